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

import functools
import hashlib
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from policyscan.errors import PolicyscanError
from policyscan.model import Err, Ok, RawText, Report, Result
from policyscan.rules import RuleBook, load_rules

if TYPE_CHECKING:
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

    def __init__(self, rules: str | Path | RuleBook | None = None, *, encoding: str | None = None) -> None:
        self.rules_dir = None if rules is None or isinstance(rules, RuleBook) else str(rules)
        self.book = rules if isinstance(rules, RuleBook) else load_rules(rules)
        self.encoding = encoding
        from policyscan.compiled import Compiled  # jieba and OpenCC load here, not on import

        self.compiled = Compiled(self.book)

    @property
    def rules_digest(self) -> str:
        return self.book.digest

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
        return read_text(str(source), encoding or self.encoding)

    def analyze(self, source: str | Path | RawText, encoding: str | None = None) -> Report:
        """One document (a path, '-', its text, or RawText) -> Report."""
        return self.analyze_raw(self.read(source, encoding))

    def analyze_raw(self, raw: RawText) -> Report:
        from policyscan.extract.deadlines import extract_deadlines
        from policyscan.extract.document import extract_document
        from policyscan.extract.targets import extract_targets
        from policyscan.extract.tasks import extract_tasks
        from policyscan.normalize import normalize
        from policyscan.structure import parse

        c = self.compiled
        book = c.book
        doc = normalize(raw, book)
        structure = parse(doc)
        facts = extract_document(doc, book)
        deadlines = extract_deadlines(doc, structure, facts, book)
        targets = extract_targets(doc, structure, facts, deadlines, book)
        tasks = extract_tasks(doc, structure, deadlines, book)
        return Report(
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

    def result(self, source: str | Path, encoding: str | None = None) -> Result:
        """``analyze`` that returns ``Err`` for an input it cannot analyse instead of raising."""
        path = str(source)
        try:
            return Ok(path, self.analyze(source, encoding))
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

    @functools.cached_property
    def metrics(self) -> "MetricVocabulary":
        """The metric vocabulary of ``rules/metrics.yaml``, built on first use (for ``diff``) and kept."""
        from policyscan.diff import MetricVocabulary
        from policyscan.segment import tokens

        book = self.book
        return MetricVocabulary.from_book(book, lambda text: [w for w, _, _ in tokens(text, book)])


# ---------------------------------------------------------------- process workers

_WORKER: Analyzer | None = None


def _init_worker(book: RuleBook, encoding: str | None) -> None:
    """Each worker process builds its own Analyzer once, at start-up, from the parent's rule book."""
    global _WORKER
    _WORKER = Analyzer(book, encoding=encoding)


def _work(path: str) -> Result:
    assert _WORKER is not None, "worker not initialised"
    return _WORKER.result(path)
