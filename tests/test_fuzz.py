"""Mutated corpus text through the whole pipeline: it finishes, its output is well-formed, its spans lie in the text.

The default run mutates 40 corpus documents (seeded) and runs a short
Hypothesis profile; POLICYSCAN_FUZZ=long runs 10,000 Hypothesis examples.
"""
from __future__ import annotations

import json
import os
import random

import pytest

from policyscan.model import RawText, Report
from tests.conftest import CORPUS, analyzer_for

NOISE = ["(", ")", "(", "）", "【", "】", "《", "》", "0", "7", "95%", "3.5", "万", "亿", "牵头", "配合", "负责",
         "\n", "\n\n", "\t", "\x00", "\x07", "\u200b", "一、", "(二)", "3.", "到2025年", "年底前", "、", ",", "。"]
TEXTS = {p.name: p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))}
LONG = os.environ.get("POLICYSCAN_FUZZ") == "long"


def mutate(text: str, rng: random.Random, edits: int) -> str:
    chars = list(text)
    for _ in range(edits):
        at = rng.randrange(len(chars) + 1)
        if rng.random() < 0.2 and chars:
            del chars[at:at + rng.randint(1, 20)]
        else:
            chars.insert(at, rng.choice(NOISE))
    return "".join(chars)


def _well_formed(report: Report, raw: str) -> None:
    data = report.to_dict()
    json.dumps(data, ensure_ascii=False)
    assert Report.from_dict(json.loads(json.dumps(data, ensure_ascii=False))) == report
    spans = [t.span for t in report.targets] + [m.span for t in report.targets for m in t.mentions]
    spans += [t.span for t in report.tasks] + [d.span for d in report.deadlines]
    spans += [a.span for t in report.tasks for a in (*t.lead, *t.cooperating, *t.responsible) if a.span]
    spans += [s for _, s in report.document.spans]
    for span in spans:
        assert 0 <= span.start <= span.end <= len(raw), span


@pytest.mark.parametrize("n", range(40))
def test_a_mutated_corpus_document_is_analysed(compiled, n: int) -> None:
    rng = random.Random(n)
    name = sorted(TEXTS)[n % len(TEXTS)]
    text = mutate(TEXTS[name], rng, edits=rng.randint(5, 200))
    raw = RawText(f"mutated-{n}-{name}", text.replace("\r", "\n"), "utf-8")
    if not raw.text.strip():
        pytest.skip("mutation left no text")
    _well_formed(analyzer_for(compiled).analyze(raw), raw.text)


hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402


@settings(max_examples=10_000 if LONG else 30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=not LONG)
@given(
    name=st.sampled_from(sorted(TEXTS)),
    cut=st.integers(min_value=0, max_value=3000),
    inserts=st.lists(st.tuples(st.integers(min_value=0, max_value=3000), st.sampled_from(NOISE)), max_size=30),
)
def test_hypothesis_mutations_finish_well_formed(compiled, name: str, cut: int, inserts: list[tuple[int, str]]) -> None:
    text = TEXTS[name][cut:cut + 3000]
    for at, piece in inserts:
        at = min(at, len(text))
        text = text[:at] + piece + text[at:]
    if not text.strip():
        return
    raw = RawText("fuzz.txt", text.replace("\r", "\n"), "utf-8")
    _well_formed(analyzer_for(compiled).analyze(raw), raw.text)
