"""Word segmentation with jieba and a user dictionary built from the rule files.

Agency names and their abbreviations (rules/agencies.yaml, at the common
levels: 省工信委, 市场监管局, 自治区发展改革委) are added to jieba's
dictionary so they come out as one word; so are metric words when the
targets ruleset offers a ``metric_words`` table. Each ``Segmenter`` owns a
private ``jieba.Tokenizer`` (the global one is left alone), loaded quietly:
its progress lines would go to stderr. The Analyzer's ``Compiled`` builds
one and keeps it.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

import jieba

from policyscan.agencies import agency_words

if TYPE_CHECKING:
    from policyscan.compiled import Compiled

jieba.setLogLevel(logging.WARNING)


def user_words(compiled: "Compiled") -> tuple[str, ...]:
    """The words the rule files add to the dictionary."""
    words = list(agency_words(compiled))
    if "targets" in compiled:
        words.extend(str(w) for w in compiled["targets"].tables.get("metric_words", ()) if w)
    return tuple(sorted(set(words)))


class Segmenter:
    """jieba with a user dictionary, initialised once."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self.words = tuple(words)
        self._tk = jieba.Tokenizer()
        self._tk.initialize()
        for word in self.words:
            self._tk.add_word(word)  # with the frequency that keeps it in one piece

    def is_word(self, word: str) -> bool:
        """Whether the dictionary holds ``word``."""
        return bool(self._tk.FREQ.get(word))

    def tokens(self, text: str) -> list[tuple[str, int, int]]:
        """The words of ``text`` as (word, start, end), positions into ``text``."""
        if not text:
            return []
        return [(word, start, end) for word, start, end in self._tk.tokenize(text)]
