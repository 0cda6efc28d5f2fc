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
    from policyscan.pipeline import analyze_path

    return {p.name: analyze_path(str(p), book=book) for p in sorted(CORPUS.glob("*.txt"))}


def analyze_text(text: str, book, source: str = "snippet.txt"):
    from policyscan.pipeline import analyze

    return analyze(RawText(source, text, "utf-8"), book)
