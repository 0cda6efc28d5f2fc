"""Layouts: the same document as PDF text (hard-wrapped, page footers), with pinyin glosses, in Taiwan wording, as tables of every kind."""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from policyscan.model import RawText
from policyscan.normalize import normalize

from .conftest import analyzer_for

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
MORE = ROOT.parent / "shared" / "eval" / "more" / "docs"
DOCUMENTS = sorted(CORPUS.glob("*.txt")) + sorted(MORE.glob("*.txt"))

# ---------------------------------------------------------------- 1. PDF text

FOOTERS = ("— {n} —", "- {n} -", "第{n}页 共{total}页", "第 {n} 页")


def as_pdf_text(text: str, seed: int) -> str:
    """``text`` as text taken from a PDF: every line cut at a width of 30-40 characters, a page footer every ~25 lines."""
    rng = random.Random(seed)
    width = rng.randint(30, 40)
    footer = FOOTERS[seed % len(FOOTERS)]
    wrapped: list[str] = []
    for line in text.split("\n"):
        wrapped.extend(line[k:k + width] for k in range(0, max(len(line), 1), width))
    pages = -(-len(wrapped) // 25)
    out: list[str] = []
    page, next_break = 1, rng.randint(22, 28)
    for n, line in enumerate(wrapped, 1):
        out.append(line)
        if n == next_break:
            out.append(footer.format(n=page, total=pages))
            page, next_break = page + 1, next_break + rng.randint(22, 28)
    return "\n".join(out)


def facts(report):
    """What must not change with the layout: targets, tasks and deadlines, without their positions."""
    targets = [(t.metric, t.comparator, t.value, t.unit, t.deadline_year) for t in report.targets]
    tasks = [(t.section, t.title, tuple(a.name for a in (*t.lead, *t.cooperating, *t.responsible))) for t in report.tasks]
    deadlines = [(d.text, d.date, d.kind) for d in report.deadlines]
    return targets, tasks, deadlines


@pytest.fixture(scope="module")
def originals(compiled):
    if not DOCUMENTS:
        pytest.skip("no corpus documents")
    analyzer = analyzer_for(compiled)
    return {p.name: analyzer.analyze(RawText(str(p), p.read_text(encoding="utf-8"), "utf-8")) for p in DOCUMENTS}


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_pdf_text_extracts_what_the_original_does(path, compiled, originals):
    seed = sum(map(ord, path.name))
    raw = as_pdf_text(path.read_text(encoding="utf-8"), seed)
    report = analyzer_for(compiled).analyze(RawText(path.name, raw, "utf-8"))
    want_targets, want_tasks, want_deadlines = facts(originals[path.name])
    got_targets, got_tasks, got_deadlines = facts(report)
    assert got_targets == want_targets
    assert got_tasks == want_tasks
    assert got_deadlines == want_deadlines


def _quoted(raw: str, span, compiled) -> str:
    """The raw text a span covers, normalized, without line breaks and spaces (and the pipes a table row is quoted with)."""
    text = normalize(RawText("quote", raw[span.start:span.end], "utf-8"), compiled).text
    return re.sub(r"[\s|]", "", text)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_pdf_text_spans_quote_the_raw_text(path, compiled, originals):
    """Every record's span covers the same words in the wrapped text as in the original, page footers left out."""
    original = path.read_text(encoding="utf-8")
    raw = as_pdf_text(original, sum(map(ord, path.name)))
    report = analyzer_for(compiled).analyze(RawText(path.name, raw, "utf-8"))
    want = originals[path.name]
    pairs = list(zip([*want.deadlines, *want.tasks, *want.targets], [*report.deadlines, *report.tasks, *report.targets]))
    assert pairs and len(report.targets) == len(want.targets)
    for before, after in pairs:
        assert _quoted(raw, after.span, compiled) == _quoted(original, before.span, compiled)
