"""Everything built from a rule book, built once and owned by one object.

An ``Analyzer`` makes one ``Compiled`` from its ``RuleBook``; every stage and
every rule interpreter receives it and takes the patterns, tables and tools
it needs from it: the jieba tokenizer with the agency words, the OpenCC
converter, the quantity reader built from the unit table, the comparator and
reject patterns of the targets ruleset, the table vocabulary of the
structure ruleset, the agency table and the place table. Each is built on
first use and kept for the life of the object; nothing compiled lives in a
module global, and no stage loads rule files itself.

A ``Compiled`` reads like its rule book for the rule sets themselves:
``compiled["targets"]`` is the targets ruleset, ``"tasks" in compiled`` asks
whether the book has one.
"""
from __future__ import annotations

from functools import cached_property
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from policyscan.rules import RuleBook, Ruleset

if TYPE_CHECKING:
    from opencc import OpenCC

    from policyscan.agencies import AgencyTable
    from policyscan.diff import MetricVocabulary
    from policyscan.extract.document import Places
    from policyscan.extract.targets import TargetPatterns
    from policyscan.model import Agency
    from policyscan.numbers import QuantityReader
    from policyscan.read import ChineseTests
    from policyscan.segment import Segmenter
    from policyscan.structure import TableVocabulary


T = TypeVar("T")


class Compiled:
    def __init__(self, book: RuleBook) -> None:
        self.book = book
        self.agency_names: dict[str, Agency] = {}  # written name -> resolved Agency: documents repeat them
        self._warnings: list[str] = []
        self._memo: dict[str, Any] = {}

    # ------------------------------------------------------------ the rule sets

    def __getitem__(self, name: str) -> Ruleset:
        return self.book[name]

    def __contains__(self, name: object) -> bool:
        return name in self.book

    # ------------------------------------------------------------ built on first use

    @cached_property
    def segmenter(self) -> Segmenter:
        from policyscan.segment import Segmenter, user_words

        return Segmenter(user_words(self))

    def tokens(self, text: str) -> list[tuple[str, int, int]]:
        """The words of ``text`` as (word, start, end)."""
        return self.segmenter.tokens(text)

    @cached_property
    def t2s(self) -> OpenCC:
        from opencc import OpenCC

        return OpenCC("t2s")

    def simplified(self, text: str) -> str:
        return self.t2s.convert(text)

    @cached_property
    def chinese(self) -> "ChineseTests":
        """What the reader needs to tell GB18030 from Big5: this object's converter and dictionary."""
        from policyscan.read import ChineseTests

        return ChineseTests(self.simplified, lambda w: self.segmenter.is_word(w))

    @cached_property
    def quantities(self) -> QuantityReader:
        from policyscan.numbers import QuantityReader

        tables = self.book["units"].tables
        return QuantityReader((str(w) for w in tables.get("units", [])), tables.get("unit_aliases", {}))

    @cached_property
    def target_patterns(self) -> TargetPatterns:
        from policyscan.extract.targets import TargetPatterns

        return TargetPatterns.from_book(self.book)

    @cached_property
    def tables(self) -> TableVocabulary:
        from policyscan.structure import TableVocabulary

        return TableVocabulary.from_book(self.book)

    @cached_property
    def agency_table(self) -> AgencyTable | None:
        from policyscan.agencies import AgencyTable

        return AgencyTable.from_ruleset(self.book["agencies"]) if "agencies" in self.book else None

    @cached_property
    def metrics(self) -> MetricVocabulary:
        """The indicators of the metrics ruleset, with this object's tokenizer for likeness."""
        from policyscan.diff import MetricVocabulary

        return MetricVocabulary.from_book(self.book, lambda text: [w for w, _, _ in self.tokens(text)])

    @cached_property
    def places(self) -> Places:
        from policyscan.extract.document import Places

        return Places.from_ruleset(self.book["document"])

    def memo(self, name: str, build: "Callable[[Compiled], T]") -> "T":
        """Something else built from this rule book once, by ``build(self)``, and kept here under ``name``."""
        if name not in self._memo:
            self._memo[name] = build(self)
        return self._memo[name]  # type: ignore[no-any-return]

    # ------------------------------------------------------------ notes on the document in hand

    def warn(self, message: str) -> None:
        """A stage's note about the document in hand (a table whose columns did not line up, …)."""
        if message not in self._warnings:
            self._warnings.append(message)

    def take_warnings(self) -> list[str]:
        out, self._warnings = self._warnings, []
        return out
