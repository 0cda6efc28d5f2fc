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


HAND_MADE_PDF = """\
一、主要任务
(一)提升农产品质量安全水平。健全农产品质
量安全追溯体系,推动规模以上生产主体全部纳
入追溯管理,到2025年,主要农产品监测合格率
稳定在98%以上。(省农业农村厅牵头,省市场监
管局配合)
(二)强化工业产品质量监管。完善重点工业产
品质量安全目录,对电线电缆、燃气器具等产品
开展专项整治,到2024年底前,产品监督抽查合
格 率 不 低 于 9 6 %,重点企业抽查覆盖率达到9
8.5%。加强质量安全风险监测。(省市场监管局牵头,省发
— 3 —
展改革委、省工业和信息化厅配合)
(三)完善计量检测服务体系。建设一批产业计量
测试中心,推动检验检测机构资源共享,为中小企
业提供计量校准服务5000家次以上。(省市场监管
第 4 页
局牵头,省科技厅配合)
序号
重点任务
牵头单位
完成时限
1
建立质量追溯平台
省市场监管局
2024年6月底前
第3页 共12页
序号
重点任务
牵头单位
完成时限
2
开展质量提升行动
省工业和信息化厅
长期坚持
"""


def test_hand_made_pdf_text(compiled):
    """Words and numbers cut at the line end, characters set apart, footers and a repeated table header."""
    doc = normalize(RawText("plan.pdf", HAND_MADE_PDF, "utf-8"), compiled)
    assert "健全农产品质量安全追溯体系" in doc.text
    assert "(省市场监管局牵头,省发展改革委、省工业和信息化厅配合)" in doc.text
    assert "产品监督抽查合格率不低于96%,重点企业抽查覆盖率达到98.5%。加强质量安全风险监测。" in doc.text
    assert "(省市场监管局牵头,省科技厅配合)" in doc.text
    assert not re.search(r"— 3 —|第 4 页|第3页", doc.text)
    assert doc.text.count("序号") == 1  # the header printed again on the next page is gone
    assert doc.text.endswith("序号\n重点任务\n牵头单位\n完成时限\n1\n建立质量追溯平台\n省市场监管局\n2024年6月底前\n2\n开展质量提升行动\n省工业和信息化厅\n长期坚持")
    for k, ch in enumerate(doc.text):  # every character quotes its raw position
        if ch != "\n":
            assert HAND_MADE_PDF[doc.offsets[k]] == ch


def test_text_without_a_page_width_keeps_its_lines(compiled):
    """Lines of many lengths (a text file, not a PDF) are never joined, even without a full stop."""
    text = "关于印发质量提升行动方案的通知\n各市人民政府\n" + "\n".join(f"指标{n}" for n in range(12))
    assert normalize(RawText("plan.txt", text, "utf-8"), compiled).text == text
