"""The Analyzer: one object that owns the compiled rules and runs the stages.

read -> normalize -> structure -> extract -> Report. An ``Analyzer`` loads and
validates the rule book once, builds everything compiled from it once (see
``Compiled``), and hands each stage what it needs. Many documents go through
``pipe``: one ``Ok`` or ``Err`` per input, in input order, and one bad input
never stops the rest.

    >>> from policyscan import Analyzer
    >>> analyzer = Analyzer()                      # the shipped rules/
    >>> report = analyzer.analyze("corpus/gansu-2015-quality-action-plan.txt")
    >>> for result in analyzer.pipe(["a.txt", "b.txt"], workers=2): ...
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from policyscan.errors import PolicyscanError
from policyscan.model import Document, Err, Ok, RawText, Report, Result, Structure
from policyscan.rules import RuleBook, load_rules

if TYPE_CHECKING:
    from policyscan.compiled import Compiled
    from policyscan.diff import MetricVocabulary

DOCUMENT_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xhtml", ".shtml", ".docx", ".pdf")


def _is_text(value: str) -> bool:
    """Whether a string given to ``analyze`` is document text rather than a path."""
    if "\n" in value or len(value) > 4096:
        return True
    if value == "-" or os.path.exists(value) or value.lower().endswith(DOCUMENT_SUFFIXES):
        return False
    return any("\u4e00" <= ch <= "\u9fff" for ch in value)


class Analyzer:
    """Analyse documents with one rule book.

    ``rules`` is a directory of rule files layered on the shipped ones, a
    loaded ``RuleBook``, or None for the shipped rules alone. Loading
    validates every rule file and raises ``PolicyscanError`` (exit 4) on a
    problem, before any document is read.
    """

    def __init__(self, rules: "str | Path | RuleBook | Compiled | None" = None, *, encoding: str | None = None) -> None:
        from policyscan.compiled import Compiled  # jieba and OpenCC load on first use, not on import

        if isinstance(rules, Compiled):
            self.book, self.compiled = rules.book, rules
        else:
            self.book = rules if isinstance(rules, RuleBook) else load_rules(rules)
            self.compiled = Compiled(self.book)
        self.encoding = encoding

    @property
    def rules_digest(self) -> str:
        return self.book.digest

    def example_problems(self) -> list[str]:
        """Every rule and table example of the book (shipped and user rules together) that does not behave as written."""
        from policyscan import agencies, diff, normalize, structure  # noqa: F401  (register their interpreters)
        from policyscan.extract import deadlines, document, targets, tasks  # noqa: F401
        from policyscan.rules import example_problems

        return example_problems(self.compiled)

    # ------------------------------------------------------------ one document

    def read(self, source: str | Path | RawText, encoding: str | None = None) -> RawText:
        """A path, '-' for standard input, document text, or RawText -> RawText."""
        from policyscan.read import read_text

        if isinstance(source, RawText):
            return source
        if isinstance(source, str) and _is_text(source):
            text = source.replace("\r\n", "\n").replace("\r", "\n")
            if not text.strip():
                raise PolicyscanError("input-empty", path="<text>")
            return RawText("<text>", text, "text", hashlib.sha256(source.encode("utf-8")).hexdigest())
        return read_text(str(source), encoding or self.encoding, self.compiled.chinese)

    def normalize(self, source: str | Path | RawText, encoding: str | None = None) -> "Document":
        """The text as the extractors see it, with its offset map back to the raw text."""
        from policyscan.normalize import normalize

        return normalize(self.read(source, encoding), self.compiled)

    def analyze(self, source: str | Path | RawText, encoding: str | None = None) -> Report:
        """One document (a path, '-', its text, or RawText) -> Report."""
        return self.analyze_raw(self.read(source, encoding))

    def analyze_raw(self, raw: RawText) -> Report:
        return self.stages(raw)[2]

    def stages(self, raw: RawText) -> tuple[Document, Structure, Report]:
        """The normalized text, its structure and the Report: what ``--explain`` reads the Report against."""
        from policyscan.extract.deadlines import extract_deadlines
        from policyscan.extract.document import extract_document
        from policyscan.extract.targets import extract_targets
        from policyscan.extract.tasks import extract_tasks
        from policyscan.normalize import normalize
        from policyscan.structure import parse

        from policyscan.rules import RuleTimeout

        c = self.compiled
        try:
            doc = normalize(raw, c)
            structure = parse(doc, c)
            facts = extract_document(doc, c)
            deadlines = extract_deadlines(doc, structure, facts, c)
            targets = extract_targets(doc, structure, facts, deadlines, c)
            tasks = extract_tasks(doc, structure, deadlines, c)
        except RuleTimeout as exc:  # a user's pattern that backtracks without end: this document's error
            c.take_warnings()
            raise exc.on(raw.source) from None
        report = Report(
            source=raw.source,
            encoding=raw.encoding,
            document=facts,
            targets=targets,
            tasks=tasks,
            deadlines=deadlines,
            warnings=tuple(c.take_warnings()),
            sha256=raw.sha256,
            rules_digest=self.book.digest,
        )
        return doc, structure, report

    def result(self, source: str | Path, encoding: str | None = None) -> Result:
        """``analyze`` that returns ``Err`` for an input it cannot analyse instead of raising."""
        path = str(source)
        try:
            raw = self.read(source, encoding)
            return Ok(path, self.analyze(raw), raw)
        except PolicyscanError as exc:
            return Err(path, exc.code, int(exc.exit_code), exc.message)
        except (KeyboardInterrupt, BrokenPipeError):
            raise
        except Exception as exc:  # a bug on one document: reported as its error, the rest go on
            import traceback

            return Err(path, "internal", 70, f"{path}: internal error ({type(exc).__name__}: {exc})", traceback.format_exc())

    # ------------------------------------------------------------ many documents

    def pipe(self, paths: Iterable[str | Path], workers: int = 1, encoding: str | None = None) -> Iterator[Result]:
        """One ``Ok`` or ``Err`` per path, in input order; ``workers`` > 1 uses that many processes."""
        if workers <= 1:
            for path in paths:
                yield self.result(path, encoding)
            return
        with ProcessPoolExecutor(
            max_workers=workers, initializer=_init_worker, initargs=(self.book, encoding or self.encoding)
        ) as pool:
            yield from pool.map(_work, (str(p) for p in paths), chunksize=1)

    # ------------------------------------------------------------ comparing

    @property
    def metrics(self) -> "MetricVocabulary":
        """The metric vocabulary of ``rules/metrics.yaml`` (for ``diff``), built once by the compiled book."""
        return self.compiled.metrics


# ---------------------------------------------------------------- process workers

_WORKER: Analyzer | None = None


def _init_worker(book: RuleBook, encoding: str | None) -> None:
    """Each worker process builds its own Analyzer once, at start-up, from the parent's rule book."""
    global _WORKER
    _WORKER = Analyzer(book, encoding=encoding)


def _work(path: str) -> Result:
    assert _WORKER is not None, "worker not initialised"
    return _WORKER.result(path)
