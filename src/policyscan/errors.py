"""Errors the user can act on, with stable codes and exit codes.

Every message is one line that names the thing at fault and says what to do.
The CLI prints ``policyscan: error: message`` on stderr and exits with
the error's exit code; ``--traceback`` shows the full story.
"""
from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    OK = 0
    FINDINGS = 1  # only with --fail-on: the documents had what was asked for
    USAGE = 2  # bad options or arguments
    BAD_INPUT = 3  # an input file is missing, a directory, binary or undecodable
    BAD_RULES = 4  # a rule file does not load or validate
    INTERNAL = 70  # a bug: please report it with --traceback


# code -> (exit code, message template)
CATALOG: dict[str, tuple[ExitCode, str]] = {
    "input-missing": (ExitCode.BAD_INPUT, "{path}: no such file; check the path"),
    "input-directory": (
        ExitCode.BAD_INPUT,
        "{path}: is a directory; name the files inside it (e.g. {path}/*.txt)",
    ),
    "input-unreadable": (ExitCode.BAD_INPUT, "{path}: cannot read ({reason}); check its permissions"),
    "input-binary": (
        ExitCode.BAD_INPUT,
        "{path}: looks like a binary file ({kind}); give a text, HTML, DOCX or PDF document",
    ),
    "input-undecodable": (
        ExitCode.BAD_INPUT,
        "{path}: cannot decode as {tried}; pass --encoding (e.g. --encoding gb18030)",
    ),
    "input-mixed-encoding": (
        ExitCode.BAD_INPUT,
        "{path}: mixes encodings (UTF-8, then {other} from line {line}); convert it to one encoding and try again",
    ),
    "input-bad-encoding": (
        ExitCode.BAD_INPUT,
        "{path}: cannot decode as {encoding} ({reason}); try another --encoding or leave it out",
    ),
    "input-empty": (ExitCode.BAD_INPUT, "{path}: has no text; check that it is the document you meant"),
    "input-pdf-no-text": (
        ExitCode.BAD_INPUT,
        "{path}: the PDF has no text layer (a scan?); run OCR on it or give a text version",
    ),
    "input-format": (ExitCode.BAD_INPUT, "{path}: {reason}"),
    "input-special": (ExitCode.BAD_INPUT, "{path}: is {kind}, not a regular file; give a document file"),
    "input-too-large": (
        ExitCode.BAD_INPUT,
        "{path}: {size} is over the size limit of {limit}; split it, or raise the limit with {env} (e.g. {env}=200M)",
    ),
    "max-bytes-invalid": (ExitCode.USAGE, "{env}={value!r} is not a size; give bytes, or 500K, 50M, 2G"),
    "encoding-unknown": (ExitCode.USAGE, "unknown encoding '{encoding}'; use a name such as utf-8, gb18030, big5"),
    "rules-invalid": (ExitCode.BAD_RULES, "{count} problem(s) in the rule files:\n{details}"),
    "rule-timeout": (
        ExitCode.BAD_RULES,
        "{path}: rule '{rule}' ({where}) ran over {seconds} s on one text and was stopped; simplify its pattern "
        "(a nested repeat such as (a+)+ backtracks without end)",
    ),
    "rules-dir-missing": (ExitCode.BAD_RULES, "{path}: no such rules directory; check --rules"),
    "output-unwritable": (ExitCode.USAGE, "{path}: cannot write ({reason}); choose another --output"),
    "output-binary": (ExitCode.USAGE, "--format {fmt} writes a binary file; give it --output PATH (e.g. -o report.{fmt})"),
    "db-invalid": (
        ExitCode.BAD_INPUT,
        "{path}: not a policyscan results database ({reason}); give the SQLite file that policyscan batch wrote",
    ),
    "db-empty": (ExitCode.BAD_INPUT, "{path}: no documents for {selection}; check --province and --period"),
    "eval-no-gold": (
        ExitCode.USAGE,
        "{path}: no gold documents (*.json, *.jsonl); give the folder of hand-annotated answers first",
    ),
    "usage": (ExitCode.USAGE, "{message}"),
    "batch-empty": (ExitCode.BAD_INPUT, "{paths}: no documents found (.txt .md .html .docx .pdf …); check the folder"),
    "worker-died": (
        ExitCode.INTERNAL,
        "{path}: the worker analysing it died ({reason}); run policyscan extract on it alone with --traceback and report it",
    ),
    "out-unwritable": (ExitCode.USAGE, "{path}: cannot write ({reason}); choose another --out"),
    "db-unusable": (ExitCode.USAGE, "{path}: not a policyscan database ({reason}); choose another --db"),
    "expect-missing": (
        ExitCode.USAGE,
        "{path}: no results.jsonl, so not the --out of an earlier batch; run batch --out {path} first",
    ),
    "report-compare": (
        ExitCode.USAGE,
        "--compare {name}: no document of that path or file name, and no province of that name, in the report",
    ),
    "report-db-empty": (ExitCode.BAD_INPUT, "{path}: no documents in the database; run policyscan batch DIR --db {path} first"),
    "report-output": (ExitCode.USAGE, "report writes one HTML file; give --output PATH (e.g. --output report.html)"),
    "dask-missing": (ExitCode.USAGE, "--engine dask needs dask.distributed; pip install 'policyscan[dask]'"),
    "dask-scheduler": (ExitCode.USAGE, "cannot start or reach {address} ({reason}); check --scheduler"),
}


class PolicyscanError(Exception):
    """An error with a stable code from ``CATALOG``."""

    def __init__(self, code: str, **fields: object) -> None:
        exit_code, template = CATALOG[code]
        self.code = code
        self.exit_code = exit_code
        self.fields = fields
        super().__init__(template.format(**fields))

    @property
    def message(self) -> str:
        return str(self)
