"""Word segmentation with jieba and a user dictionary built from the rule files.

Agency names and their abbreviations (rules/agencies.yaml, at the common
levels: 省工信委, 市场监管局, 自治区发展改革委) are added to jieba's
dictionary so they come out as one word; so are metric words when the
targets ruleset offers a ``metric_words`` table. jieba's own dictionary is
loaded once per process and rule set, into a private ``jieba.Tokenizer``
(the global one is left alone), and quietly: its progress lines would go
to stderr.
"""
from __future__ import annotations

import logging
import threading

import jieba

from policyscan.agencies import agency_words
from policyscan.rules import RuleBook

jieba.setLogLevel(logging.WARNING)

_LOCK = threading.Lock()
_TOKENIZERS: dict[tuple[str, ...], jieba.Tokenizer] = {}
_WORDS: dict[int, tuple[RuleBook, tuple[str, ...]]] = {}


def user_words(book: RuleBook) -> tuple[str, ...]:
    """The words the rule files add to the dictionary."""
    words = list(agency_words(book))
    if "targets" in book:
        words.extend(str(w) for w in book["targets"].tables.get("metric_words", ()) if w)
    return tuple(sorted(set(words)))


def _tokenizer(words: tuple[str, ...]) -> jieba.Tokenizer:
    """One tokenizer per user dictionary, built on first use and kept for the process."""
    with _LOCK:
        tk = _TOKENIZERS.get(words)
        if tk is None:
            tk = jieba.Tokenizer()
            tk.initialize()
            for word in words:
                tk.add_word(word)  # with the frequency that keeps it in one piece
            _TOKENIZERS[words] = tk
        return tk


def tokens(text: str, book: RuleBook) -> list[tuple[str, int, int]]:
    """The words of ``text`` as (word, start, end), positions into ``text``."""
    if not text:
        return []
    cached = _WORDS.get(id(book))
    if cached is None or cached[0] is not book:
        cached = _WORDS[id(book)] = (book, user_words(book))
    tk = _tokenizer(cached[1])
    return [(word, start, end) for word, start, end in tk.tokenize(text)]
