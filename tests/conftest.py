"""Shared fixtures: one Analyzer with the shipped rules, and documents built from text or from corpus/."""
from __future__ import annotations

from pathlib import Path

import pytest

from policyscan.analyzer import Analyzer
from policyscan.compiled import Compiled
from policyscan.model import RawText

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"

_ANALYZERS: dict[int, tuple[Compiled, Analyzer]] = {}


def analyzer_for(compiled: Compiled) -> Analyzer:
    """The Analyzer that owns ``compiled`` (one per rule book for the whole test session)."""
    if id(compiled) not in _ANALYZERS:
        analyzer = Analyzer(compiled.book)
        analyzer.compiled = compiled
        _ANALYZERS[id(compiled)] = (compiled, analyzer)
    return _ANALYZERS[id(compiled)][1]


def compiled_for(rules_dir=None) -> Compiled:
    """A Compiled for the shipped rules with ``rules_dir`` layered on top, owned by its Analyzer."""
    analyzer = Analyzer(rules_dir)
    _ANALYZERS[id(analyzer.compiled)] = (analyzer.compiled, analyzer)
    return analyzer.compiled


@pytest.fixture(scope="session")
def compiled() -> Compiled:
    return compiled_for()


@pytest.fixture(scope="session")
def corpus_reports(compiled):
    """Every corpus document run through the whole pipeline once."""
    return {p.name: analyzer_for(compiled).analyze(str(p)) for p in sorted(CORPUS.glob("*.txt"))}


def analyze_text(text: str, compiled, source: str = "snippet.txt"):
    return analyzer_for(compiled).analyze(RawText(source, text, "utf-8"))
