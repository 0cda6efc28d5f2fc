"""The command line: parse options, run the pipeline, render, map errors to exit codes.

stdout carries data only; warnings and errors go to stderr, each error as one
line ``policyscan: error: MESSAGE`` and an exit code from ``ExitCode``.
"""
from __future__ import annotations

import codecs
import enum
import contextlib
import os
import sys
import traceback as tb
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TextIO

import typer

from policyscan import __version__
from policyscan.errors import ExitCode, PolicyscanError
from policyscan.model import Ok, RawText, Result
from policyscan.render import Format, Writer, write_rows
from policyscan.rules import RuleBook, load_rules

if TYPE_CHECKING:
    from policyscan.analyzer import Analyzer
    from policyscan.model import Report

PROG = "policyscan"

app = typer.Typer(
    name=PROG,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Exit codes: 0 ok, 1 a --fail-on condition held, 2 usage, 3 unreadable input, 4 bad rule file, 70 internal error.",
)


def _no_flag_types() -> None:
    """Show no ``<bool>`` beside a flag in help, nor ``<list[str]>`` beside a named argument (typer versions that show types)."""
    for name, plain in (("TyperOption", lambda p: p.is_flag and not p.count), ("TyperArgument", lambda p: p.metavar is not None)):
        cls = getattr(typer.core, name, None)
        shown = getattr(cls, "display_type_rich", None)
        if shown is None or getattr(shown, "plain", False):
            continue

        def display_type_rich(self, ctx, shown=shown, plain=plain):  # type: ignore[no-untyped-def]
            return None if plain(self) else shown(self, ctx)

        display_type_rich.plain = True  # type: ignore[attr-defined]
        cls.display_type_rich = display_type_rich  # type: ignore[union-attr]


_no_flag_types()

# ---------------------------------------------------------------- shared options

FormatOpt = Annotated[
    Format,
    typer.Option(
        "--format", "-f", case_sensitive=False,
        help="Output format: table for reading, json/jsonl/csv/md for other tools, xlsx for a spreadsheet (needs --output).",
    ),
]
OutputOpt = Annotated[
    str | None,
    typer.Option("--output", "-o", metavar="PATH", help="Write the output to PATH instead of standard output."),
]
EncodingOpt = Annotated[
    str | None,
    typer.Option("--encoding", "-e", metavar="ENC", help="Decode the input as ENC (e.g. gb18030, big5) instead of guessing."),
]
RulesOpt = Annotated[
    str | None,
    typer.Option("--rules", metavar="DIR", help="Also load the rule files (*.yaml) in DIR; a ruleset named like a shipped one replaces it."),
]
COLLECTIVE_KINDS = frozenset({"government", "collective"})  # 各地人民政府, …成员单位: not names to look up


class FailOn(str, enum.Enum):
    """Conditions that make ``extract`` exit 1, for pipelines that act on them."""

    unknown_agency = "unknown-agency"  # a task names an agency rules/agencies.yaml does not know (collectives aside)
    no_targets = "no-targets"
    no_tasks = "no-tasks"
    no_deadlines = "no-deadlines"

    def holds(self, report: Report) -> bool:
        if self is FailOn.unknown_agency:
            return any(
                not a.known and a.kind not in COLLECTIVE_KINDS
                for t in report.tasks
                for a in (*t.lead, *t.cooperating, *t.responsible)
            )
        return not {
            FailOn.no_targets: report.targets,
            FailOn.no_tasks: report.tasks,
            FailOn.no_deadlines: report.deadlines,
        }[self]


FailOnOpt = Annotated[
    list[FailOn] | None,
    typer.Option(
        "--fail-on",
        metavar="CONDITION",
        case_sensitive=False,
        help="Exit 1 when a document meets this condition (repeatable): unknown-agency, no-targets, no-tasks, no-deadlines.",
    ),
]
ExplainOpt = Annotated[
    bool,
    typer.Option(
        "--explain",
        help="Instead of the records, print every number and agency name with its fate: the record it became, "
        "or the rule that rejected it, and the sentence.",
    ),
]
TracebackOpt = Annotated[
    bool,
    typer.Option("--traceback", help="On an error, print the full Python traceback as well."),
]


# ---------------------------------------------------------------- errors


def _say(kind: str, message: str) -> None:
    typer.echo(f"{PROG}: {kind}: {message}", err=True)


def _report_error(exc: BaseException, show_traceback: bool) -> ExitCode:
    """Print one error line (and the traceback when asked); return its exit code."""
    if show_traceback:
        tb.print_exception(exc, file=sys.stderr)
    if isinstance(exc, PolicyscanError):
        _say("error", exc.message)
        return exc.exit_code
    name = type(exc).__name__
    hint = "" if show_traceback else "; run again with --traceback and report it"
    _say("error", f"internal error ({name}: {exc}){hint}")
    return ExitCode.INTERNAL


def _silence_stdout() -> None:
    """After a closed pipe (``| head``), send what is left to /dev/null so exit is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # a stream without a file descriptor
        pass


@contextlib.contextmanager
def _guard(show_traceback: bool) -> Iterator[None]:
    """Turn what a command raises into an error line and an exit code."""
    try:
        yield
    except typer.Exit:
        raise
    except BrokenPipeError:
        _silence_stdout()
        raise typer.Exit(ExitCode.OK) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except Exception as exc:
        raise typer.Exit(_report_error(exc, show_traceback)) from None


def _fail(code: ExitCode) -> NoReturn:
    raise typer.Exit(int(code))


# ---------------------------------------------------------------- helpers


def _book(rules_dir: str | None) -> RuleBook:
    """The shipped rules plus a user's directory: loaded and validated once, before any input."""
    return load_rules(rules_dir)


def _analyzer(rules_dir: str | None, encoding: str | None = None) -> "Analyzer":
    from policyscan.analyzer import Analyzer  # builds jieba and OpenCC: only when a command needs them

    return Analyzer(rules_dir, encoding=encoding)


def _check_encoding(encoding: str | None) -> None:
    if encoding is None:
        return
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise PolicyscanError("encoding-unknown", encoding=encoding) from None


class _Output:
    """Where a command's data goes: standard output, or a file written whole or not at all.

    A file is checked before any analysis runs, written to a temporary file
    beside it, and renamed over the target only when the run has something
    to write (``keep``): a failed run leaves an existing file as it was.
    """

    def __init__(self, path: str | None, binary: bool = False) -> None:
        self.path = None if path in (None, "-") else Path(path)
        self.binary = binary
        self.keep = True
        self._tmp: Path | None = None
        if self.path is not None:
            _check_writable(self.path)

    def __enter__(self) -> TextIO:
        if self.path is None:
            return sys.stdout
        import tempfile

        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent or ".")
        except OSError as exc:
            raise PolicyscanError("output-unwritable", path=self.path, reason=exc.strerror or exc) from None
        self._tmp = Path(tmp)
        self._stream = open(fd, "wb") if self.binary else open(fd, "w", encoding="utf-8", newline="")
        return self._stream

    def __exit__(self, exc_type: object, exc: object, tb_: object) -> None:
        if self._tmp is None:
            return
        self._stream.close()
        if exc_type is None and self.keep:
            os.replace(self._tmp, self.path)  # type: ignore[arg-type]
        else:
            self._tmp.unlink(missing_ok=True)


def _check_writable(path: Path) -> None:
    """Refuse an --output that cannot be written, before any work is done."""
    parent = path.parent if str(path.parent) else Path(".")
    reason = None
    if path.is_dir():
        reason = "it is a directory"
    elif not parent.is_dir():
        reason = "No such file or directory"
    elif not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        reason = "Permission denied"
    if reason:
        raise PolicyscanError("output-unwritable", path=path, reason=reason)


def _output(path: str | None, fmt: Format | None = None) -> _Output:
    binary = fmt is not None and Format(fmt).binary
    if binary and path in (None, "-"):
        raise PolicyscanError("output-binary", fmt=Format(fmt).value)
    return _Output(path, binary)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------- commands


def _version(value: bool) -> None:
    if value:
        typer.echo(f"{PROG} {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", "-V", is_eager=True, callback=_version, help="Print the version and exit."),
    ] = False,
) -> None:
    """Extract quantified targets, lead agencies and deadlines from Chinese government policy documents.

    Example:

        policyscan extract corpus/*.txt --format csv --bom -o plans.csv
    """
    if ctx.invoked_subcommand is None:  # `policyscan` alone: the help, and success
        typer.echo(ctx.get_help())
        raise typer.Exit()


QuoteOpt = Annotated[
    bool,
    typer.Option("--quote", "-q", help="Table: print under each target, task and deadline the sentence of the raw document it came from."),
]
BomOpt = Annotated[
    bool,
    typer.Option("--bom", "--excel", help="CSV: start with the UTF-8 byte order mark, so that Excel shows the Chinese text."),
]


def _on_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _analysed(analyzer: "Analyzer", files: list[str], encoding: str | None) -> Iterator[tuple[Result, RawText | None]]:
    """Each input read (kept, for line numbers and quotes) and analysed, in order; a progress line on a terminal."""
    from policyscan.read import encoding_doubt

    progress = len(files) > 1 and _on_terminal(sys.stderr)
    shown = 0
    results = analyzer.pipe(files, encoding=encoding)
    for i, path in enumerate(files, start=1):
        if progress:
            line = f"{PROG}: [{i}/{len(files)}] {path}"
            sys.stderr.write("\r" + line.ljust(shown))
            sys.stderr.flush()
            shown = len(line)
        result = next(results)
        if progress:  # clear the progress line before anything else is said
            sys.stderr.write("\r" + " " * shown + "\r")
            shown = 0
        raw = result.raw if isinstance(result, Ok) else None
        if raw is not None and (doubt := encoding_doubt(raw, encoding)):
            _say("warning", doubt)
        yield result, raw


@app.command()
def extract(
    files: Annotated[
        list[str],
        typer.Argument(metavar="FILE", help="Documents to analyze (text, HTML, DOCX or PDF); '-' reads standard input."),
    ],
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    quote: QuoteOpt = False,
    bom: BomOpt = False,
    encoding: EncodingOpt = None,
    rules: RulesOpt = None,
    fail_on: FailOnOpt = None,
    explain: ExplainOpt = False,
    traceback: TracebackOpt = False,
) -> None:
    """Extract targets, tasks with their agencies, and deadlines from each FILE.

    A file that cannot be read is reported on stderr and the others are still
    processed; the exit code is then that file's (3). With --fail-on, a
    document that meets the condition is named on stderr and the exit code is
    1 (when no file failed to read). Every row names its line in the document.

    Example:

        policyscan extract corpus/*.txt --quote

        policyscan extract corpus/*.txt --format xlsx -o plans.xlsx

        policyscan extract plan.txt --explain
    """
    with _guard(traceback):
        _check_encoding(encoding)
        out = _output(output, fmt)
        analyzer = _analyzer(rules, encoding)
        if explain:
            _fail(_explain(analyzer, files, fmt, out))
        code = ExitCode.OK
        with out as stream:
            writer = Writer(fmt, stream, many=len(files) > 1, quote=quote, bom=bom)
            for result, raw in _analysed(analyzer, files, encoding):
                if not result.ok:
                    if traceback and result.traceback:
                        sys.stderr.write(result.traceback)
                    hint = "; run again with --traceback and report it" if result.code == "internal" and not traceback else ""
                    _say("error", result.message + hint)
                    code = max(code, ExitCode(result.exit_code))
                    continue
                report = result.report
                for warning in report.warnings:
                    _say("warning", f"{report.source}: {warning}")
                for condition in fail_on or ():
                    if condition.holds(report):
                        _say("fail-on", f"{report.source}: {condition.value}")
                        code = max(code, ExitCode.FINDINGS)
                writer.write(report, raw.text if raw else None)
            out.keep = writer.count > 0
            if out.keep or not Format(fmt).binary:
                writer.close()
        if code:
            _fail(code)


@app.command()
def normalize(
    file: Annotated[str, typer.Argument(metavar="FILE", help="The document to normalize; '-' reads standard input.")],
    encoding: EncodingOpt = None,
    rules: RulesOpt = None,
    output: OutputOpt = None,
    traceback: TracebackOpt = False,
) -> None:
    """Print FILE's normalized text: simplified characters, half-width digits and punctuation, repaired OCR digits.

    Example:

        policyscan normalize corpus/gansu-2015-quality-action-plan.txt | less
    """
    with _guard(traceback):
        _check_encoding(encoding)
        from policyscan.read import encoding_doubt

        out = _output(output)
        analyzer = _analyzer(rules, encoding)
        raw = analyzer.read(file)
        if doubt := encoding_doubt(raw, encoding):
            _say("warning", doubt)
        text = analyzer.normalize(raw).text
        with out as stream:
            stream.write(text if text.endswith("\n") else text + "\n")
            stream.flush()


RULE_COLUMNS = ("ruleset", "version", "rules", "examples", "tables", "file")


rules_app = typer.Typer(no_args_is_help=False, context_settings={"help_option_names": ["-h", "--help"]})
app.add_typer(rules_app, name="rules")


@rules_app.callback(invoke_without_command=True)
def rules_command(
    ctx: typer.Context,
    rules: RulesOpt = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Validate the rule files and run every rule's examples; exit 4 on a problem."),
    ] = False,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    traceback: TracebackOpt = False,
) -> None:
    """List the rule sets in use: file, version, rule and example counts, tables.

    'rules suggest' proposes rule stubs for what no rule turned into a record.

    Example:

        policyscan rules --rules my-rules/ --check
    """
    if ctx.invoked_subcommand:
        return
    with _guard(traceback):
        book = _book(rules)
        if check:
            problems = _analyzer(rules).example_problems()
            if problems:
                raise PolicyscanError("rules-invalid", count=len(problems), details="\n".join(problems))
            n_rules = sum(len(rs.rules) for rs in book.rulesets.values())
            n_examples = sum(len(r.match_examples) + len(r.no_match_examples) for rs in book.rulesets.values() for r in rs.rules)
            n_examples += sum(len(t.match_examples) + len(t.no_match_examples) for rs in book.rulesets.values() for t in rs.table_examples)
            _say("ok", f"{len(book.rulesets)} rule sets, {n_rules} rules, {n_examples} examples")
            return
        rows = [
            {
                "ruleset": rs.name,
                "version": rs.version,
                "rules": len(rs.rules),
                "examples": sum(len(r.match_examples) + len(r.no_match_examples) for r in rs.rules),
                "tables": ", ".join(rs.tables),
                "file": _shown(rs.path),
            }
            for rs in sorted(book.rulesets.values(), key=lambda rs: rs.name)
        ]
        with _output(output, fmt) as stream:
            write_rows(rows, RULE_COLUMNS, fmt, stream, title="rules")


@app.command("diff")
def diff_command(
    files: Annotated[
        list[str] | None,
        typer.Argument(metavar="A B", help="Two documents to compare (with --uncovered: any number)."),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", metavar="PATH", help="Compare sets of documents from this results database (policyscan batch)."),
    ] = None,
    province: Annotated[
        list[str] | None,
        typer.Option("--province", metavar="NAME", help="With --db: a side's province (twice for two provinces, once with two --period)."),
    ] = None,
    period: Annotated[
        list[str] | None,
        typer.Option("--period", metavar="START-END", help="With --db: a plan period, e.g. 2016-2020 (twice for one province over time)."),
    ] = None,
    over_time: Annotated[
        bool,
        typer.Option("--over-time", help="Read A as the earlier plan and B as the later: raised, lowered, kept, dropped, new."),
    ] = False,
    uncovered: Annotated[
        bool,
        typer.Option("--uncovered", help="List the targets no indicator of rules/metrics.yaml covers, instead of comparing."),
    ] = False,
    exit_code: Annotated[
        bool,
        typer.Option("--exit-code", help="Exit 1 when the commitments differ and 0 when they are the same."),
    ] = False,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    encoding: EncodingOpt = None,
    rules: RulesOpt = None,
    traceback: TracebackOpt = False,
) -> None:
    """Compare two documents' (or two sets of documents') commitments: targets aligned by indicator, agencies, deadlines.

    Targets pair when they measure the same indicator of rules/metrics.yaml;
    each row has a verdict: same, a-more-ambitious, b-more-ambitious,
    not-comparable, only-a, only-b (over time: kept, raised, lowered,
    dropped, new). With --db, --province 广东省 --province 湖北省 compares two
    provinces and --province 湖北省 --period 2016-2020 --period 2021-2025 one
    province over time.

    Example:

        policyscan diff corpus/guangdong-2016-quality-province-decision.txt corpus/hubei-2016-quality-supervision-plan.txt

        policyscan diff --db results.sqlite --province 广东省 --province 湖北省 --format md
    """
    from policyscan import diff as diffing
    from policyscan.render_diff import UNCOVERED_COLUMNS, uncovered_rows, write

    with _guard(traceback):
        files = files or []
        provinces, periods = province or [], period or []
        labels: tuple[str | None, str | None] = (None, None)
        if db is None and (provinces or periods):
            raise PolicyscanError("usage", message="--province and --period select documents from a database; give --db PATH")
        if db is not None and files:
            raise PolicyscanError("usage", message="give either two documents or --db PATH, not both")
        for p in periods:
            diffing.parse_period(p)
        _check_encoding(encoding)
        out = _output(output)
        analyzer = _analyzer(rules, encoding)
        vocabulary = analyzer.metrics

        def analyzed(paths: list[str]) -> list[Report]:
            reports = []
            for result in analyzer.pipe(paths):
                if not result.ok:
                    if traceback and result.traceback:
                        sys.stderr.write(result.traceback)
                    hint = "; run again with --traceback and report it" if result.code == "internal" and not traceback else ""
                    _say("error", result.message + hint)
                    _fail(ExitCode(result.exit_code))
                for warning in result.report.warnings:
                    _say("warning", f"{result.report.source}: {warning}")
                reports.append(result.report)
            return reports

        if uncovered:
            if db is None and not files:
                raise PolicyscanError("usage", message="--uncovered needs documents or --db PATH")
            reports = diffing.select_all(db, provinces, periods) if db is not None else analyzed(files)
            rows = uncovered_rows(diffing.uncovered(reports, vocabulary), vocabulary.family)
            with out as stream:
                write_rows(rows, UNCOVERED_COLUMNS, fmt, stream, title="targets no indicator covers")
            return
        if db is not None:
            chosen = diffing.select_sides(db, provinces, periods)
            a, b, labels, over_time = chosen.a, chosen.b, chosen.labels, over_time or chosen.over_time
        elif len(files) == 2:
            a, b = analyzed(files[:1]), analyzed(files[1:])
        else:
            raise PolicyscanError("usage", message=f"diff compares two documents (got {len(files)}); or give --db PATH with --province")

        result = diffing.compare(a, b, vocabulary, over_time=over_time, labels=labels)
        with out as stream:
            write(result, fmt, stream)
        if exit_code and result.differ:
            _fail(ExitCode.FINDINGS)

from policyscan.batch import Engine as BatchEngine, FailOn as BatchFailOn  # noqa: E402  (the batch command's choices)


@app.command()
def batch(
    dirs: Annotated[
        list[str],
        typer.Argument(metavar="DIR", help="Folders to walk (recursively) and documents to analyze."),
    ],
    out: Annotated[
        str | None,
        typer.Option("--out", metavar="DIR", help="Write one JSON per document, results.jsonl, summary.csv and errors.csv into DIR."),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", metavar="FILE", help="Write documents, targets, tasks, agencies, deadlines and errors into the SQLite database FILE."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", "-j", metavar="N", help="Analyze N documents at a time in N processes (default: every core)."),
    ] = None,
    fail_on: Annotated[
        BatchFailOn,
        typer.Option("--fail-on", case_sensitive=False, help="Exit 1 when a document failed (error), also when one yielded nothing (empty), or never (none)."),
    ] = BatchFailOn.error,
    changed_only: Annotated[
        bool,
        typer.Option("--changed-only", help="Skip documents whose bytes and rules are unchanged since the last run into the same --out/--db."),
    ] = False,
    expect: Annotated[
        str | None,
        typer.Option("--expect", metavar="DIR", help="Compare with the --out of an earlier run; print the differences and exit 1 when any."),
    ] = None,
    rules: RulesOpt = None,
    engine: Annotated[
        BatchEngine,
        typer.Option("--engine", case_sensitive=False, help="Run in a local process pool, or on a Dask cluster (needs the dask extra of policyscan)."),
    ] = BatchEngine.local,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", metavar="ADDRESS", help="The Dask scheduler to use (tcp://host:8786); without it --engine dask starts a local cluster."),
    ] = None,
    encoding: EncodingOpt = None,
    traceback: TracebackOpt = False,
) -> None:
    """Analyze every document under each DIR in parallel, into files (--out) and SQLite (--db).

    One document's failure never stops the rest: it is reported on stderr and
    recorded in errors.csv and the errors table. Progress and a summary go to
    stderr; --expect differences go to stdout. Exit 1 when --fail-on held or
    --expect found differences.

    Example:

        policyscan batch corpus/ --out results/ --db results.sqlite

        policyscan batch plans/ --expect expected/ --fail-on error
    """
    from policyscan import batch as run_batch

    with _guard(traceback):
        _check_encoding(encoding)
        options = run_batch.Options(
            roots=tuple(dirs), out=out, db=db, workers=workers, fail_on=fail_on,
            changed_only=changed_only, expect=expect, rules=rules, engine=engine,
            scheduler=scheduler, encoding=encoding, traceback=traceback,
        )
        code = run_batch.run(options)
        if code:
            _fail(ExitCode(code))


def _explain(analyzer: "Analyzer", files: list[str], fmt: Format, out: _Output) -> ExitCode:
    """``extract --explain``: the fate of every number and name of each file, in one output."""
    from policyscan import explain

    code = ExitCode.OK
    fates = []
    for path in files:
        try:
            fates += explain.explain(analyzer, path)[1]
        except PolicyscanError as exc:
            _say("error", exc.message)
            code = max(code, exc.exit_code)
    with out as stream:
        explain.write(fates, fmt.value, stream)
        out.keep = bool(fates)
    return code


class EvalFormat(str, enum.Enum):
    table = "table"
    json = "json"


@app.command("eval")
def eval_command(
    gold: Annotated[
        str,
        typer.Argument(metavar="GOLD", help="Hand-annotated answers in the JSON contract: a folder of *.json/*.jsonl, or one file."),
    ],
    predicted: Annotated[
        list[str],
        typer.Argument(
            metavar="PRED_OR_DOCS",
            help="Predictions (a folder of JSON from 'extract --format json', or such files), or documents (files or a folder) to extract first.",
        ),
    ],
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Also list every missed, spurious, duplicate or wrong record with its sentence.")
    ] = False,
    fmt: Annotated[
        EvalFormat,
        typer.Option("--format", "-f", case_sensitive=False, help="Output format: table for reading, json for other tools."),
    ] = EvalFormat.table,
    output: OutputOpt = None,
    encoding: EncodingOpt = None,
    rules: RulesOpt = None,
    traceback: TracebackOpt = False,
) -> None:
    """Score extraction against hand-annotated answers: per document and in total.

    Targets precision/recall/F1 (and duplicates), comparator, unit and
    deadline-year accuracy of the matched targets, tasks exactly right,
    agencies and deadlines precision/recall/F1, and whether province, date
    and title are right. Documents are paired with their answers by file
    name; given documents instead of predictions, eval extracts them first
    (with --rules, if given).

    Example:

        policyscan eval ../shared/eval/gold corpus/ --verbose
    """
    with _guard(traceback):
        from policyscan import evaluate

        _check_encoding(encoding)
        golds = evaluate.load_gold(gold)
        out = _output(output)
        code = ExitCode.OK
        if all(evaluate.is_predictions(Path(p)) for p in predicted):
            preds: dict = {}
            for p in predicted:
                preds.update(evaluate.load_gold(p))
        else:
            analyzer = _analyzer(rules, encoding)
            preds = {}
            for result in analyzer.pipe(evaluate.document_paths(predicted)):
                if not result.ok:
                    _say("error", result.message)
                    code = max(code, ExitCode(result.exit_code))
                    continue
                preds[Path(result.report.source).name] = evaluate.as_contract(result.report)
        for name in sorted(set(preds) - set(golds)):
            _say("warning", f"{name}: no gold document of that name; not scored")
        scores = evaluate.score_all(golds, preds)
        with out as stream:
            evaluate.write(scores, fmt.value, stream, verbose)
        if code:
            _fail(code)


class SuggestRuleset(str, enum.Enum):
    targets = "targets"
    deadlines = "deadlines"
    tasks = "tasks"


@rules_app.command("suggest")
def rules_suggest(
    files: Annotated[
        list[str],
        typer.Argument(metavar="PATH", help="Documents to read (text, HTML, DOCX or PDF), or folders of them."),
    ],
    ruleset: Annotated[
        SuggestRuleset,
        typer.Option(
            "--ruleset",
            case_sensitive=False,
            help="Which stubs: targets (numbers with a measure word that became no target), "
            "deadlines (years and time spans that became no deadline), tasks (the word after an agency name no task took).",
        ),
    ] = SuggestRuleset.targets,
    top: Annotated[int, typer.Option("--top", min=1, help="At most this many stubs, the most frequent shapes first.")] = 20,
    output: OutputOpt = None,
    encoding: EncodingOpt = None,
    rules: RulesOpt = None,
    traceback: TracebackOpt = False,
) -> None:
    """Print YAML rule stubs for what no rule turned into a record, grouped by the shape of the phrase around it.

    The stubs (id, pattern, description, the sentences as match examples)
    form a rule file of the ruleset: saved as DIR/<ruleset>.yaml it loads
    with --rules DIR, layered on the rules in use, which all stay.
    A stub acts as written once loaded: check each before using the file.

    Example:

        policyscan rules suggest plans/ --ruleset tasks > my-rules/tasks.yaml && policyscan rules --check --rules my-rules
    """
    with _guard(traceback):
        _check_encoding(encoding)
        from policyscan import suggest

        out = _output(output)
        analyzer = _analyzer(rules, encoding)
        text, errors = suggest.suggest(analyzer, files, ruleset.value, top)
        for message in errors:
            _say("error", message)
        with out as stream:
            stream.write(text)
            stream.flush()
        if errors:
            _fail(ExitCode.BAD_INPUT)


@app.command()
def report(
    paths: Annotated[
        list[str] | None,
        typer.Argument(metavar="DIR...", help="Folders to walk (recursively) and documents to analyze."),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", metavar="FILE", help="Take the documents from this results database (policyscan batch --db) instead."),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="PATH", help="The HTML file to write (required)."),
    ] = None,
    compare: Annotated[
        tuple[str, str] | None,
        typer.Option("--compare", metavar="A B", help="Add a comparison of A and B: each a document (path or file name) or a province."),
    ] = None,
    rules: RulesOpt = None,
    encoding: EncodingOpt = None,
    traceback: TracebackOpt = False,
) -> None:
    """Write one self-contained HTML page: overview charts, each document's records linked to its highlighted text.

    The page has its CSS, script and SVG charts inline and makes no network
    request; it reads with JavaScript off and prints. Overview: documents by
    province and year, targets by category and province, agency workload,
    deadlines. Per document: facts, then targets, tasks and deadlines as
    tables that sort and filter, each figure linked to its source sentence.
    A document that cannot be analysed is left out with a warning.

    Example:

        policyscan report corpus/ --output report.html

        policyscan report --db results.sqlite -o report.html --compare 广东省 湖北省
    """
    from policyscan import report_html
    from policyscan.batch import walk

    with _guard(traceback):
        if output is None:
            raise PolicyscanError("report-output")
        if db is not None and paths:
            raise PolicyscanError("usage", message="give either folders and documents or --db FILE, not both")
        if db is None and not paths:
            raise PolicyscanError("usage", message="report needs folders or documents to analyze, or --db FILE")
        _check_encoding(encoding)
        _check_writable(Path(output))
        analyzer = _analyzer(rules, encoding)
        docs: list[report_html.Doc] = []
        if db is not None:
            from policyscan.db import reports_from_db

            for r in reports_from_db(db):
                text = None
                if os.path.isfile(r.source):
                    with contextlib.suppress(PolicyscanError, OSError):
                        raw = analyzer.read(r.source, encoding)
                        text = raw.text if raw.sha256 == r.sha256 else None
                docs.append(report_html.Doc(r, text))
            if not docs:
                raise PolicyscanError("report-db-empty", path=db)
        else:
            found = walk(paths or [], lambda note: _say("warning", note))
            if not found:
                raise PolicyscanError("batch-empty", paths=" ".join(paths or []))
            failed = None
            for result in analyzer.pipe([p for p, _ in found], encoding=encoding):
                if isinstance(result, Ok):
                    docs.append(report_html.Doc(result.report, result.raw.text if result.raw else None))
                    continue
                if traceback and result.traceback:
                    sys.stderr.write(result.traceback)
                _say("warning", f"{result.message}; left out of the report")
                failed = failed or result
            if not docs and failed is not None:
                _fail(ExitCode(failed.exit_code))
        diff = None
        if compare is not None:
            from policyscan.diff import compare as compare_sides

            a, b = (report_html.chosen(name, docs) for name in compare)
            diff = compare_sides(a, b, analyzer.metrics, labels=compare)
        page = report_html.build(docs, analyzer.metrics, diff, rules_digest=analyzer.book.digest)
        report_html.write(output, page)
        _say("info", f"wrote {_shown(Path(output))}: {len(docs)} documents, {len(page.encode()) // 1024} KB")


def main() -> None:
    app(prog_name=PROG)


if __name__ == "__main__":
    main()
