"""Shared fixtures: the shipped rules, and documents built from text or from corpus/."""
from __future__ import annotations

from pathlib import Path

import pytest

from policyscan.model import RawText
from policyscan.rules import load_rules

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def book():
    return load_rules()


@pytest.fixture(scope="session")
def corpus_reports(book):
    """Every corpus document run through the whole pipeline once."""
    return {p.name: analyzer_for(book).analyze(str(p)) for p in sorted(CORPUS.glob("*.txt"))}


_ANALYZERS: dict[int, object] = {}


def analyzer_for(book):
    """One Analyzer per rule book for the whole test session (building one loads jieba)."""
    from policyscan.analyzer import Analyzer

    if id(book) not in _ANALYZERS:
        _ANALYZERS[id(book)] = (book, Analyzer(book))
    return _ANALYZERS[id(book)][1]


def analyze_text(text: str, book, source: str = "snippet.txt"):
    return analyzer_for(book).analyze(RawText(source, text, "utf-8"))
