"""extract --explain: the fate of every number and agency name, and the rule that decided it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policyscan import explain
from policyscan.cli import app
from policyscan.model import RawText
from tests.conftest import analyzer_for

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "corpus").glob("*.txt"))
# the second development set, beside the repository (or beside a worktree's parent) when present
MORE = next((sorted(p.glob("*.txt")) for p in (ROOT.parent / "shared" / "eval" / "more" / "docs",
                                               ROOT.parents[1] / "shared" / "eval" / "more" / "docs") if p.is_dir()), [])
PLAN = ROOT / "tests" / "data" / "county-business-environment-plan.txt"
runner = CliRunner()

DOC = """甘肃省质量发展行动计划
一、发展回顾
全省新建国家级质检中心5个,产品质量合格率达到92%。
二、主要目标
到2020年,制造业产品质量合格率由2015年的88%提高到95%,主要农产品合格率由2010年的88.9%提高到2015年的94.3%。
截至2016年底,全省有效期内名牌产品已达到1268个。
贯彻《质量发展纲要(2011—2020年)》,建立由31个部门组成的联席会议制度,新建省级质检中心20个,培育世界500强企业。
三、重点任务
(一)完善质量激励机制。建立质量奖励制度。(省质监局牵头,省财政厅配合)
(二)强化法治保障。(县发展改革局主抓,县财政局配合)
(三)加强监管。县司法局主抓,县法院配合,完成清理。
"""


@pytest.fixture(scope="module")
def fates(compiled):
    return explain.explain_raw(analyzer_for(compiled), RawText("plan.txt", DOC, "utf-8"))[1]


def fate_of(fates, text, sentence_part, kind="number"):
    found = [f for f in fates if f.kind == kind and f.text == text and sentence_part in f.sentence]
    assert len(found) == 1, [(f.text, f.sentence) for f in found]
    return found[0]


@pytest.mark.parametrize(
    "text, sentence, fate, rule",
    [
        ("88", "由2015年的88%", "target", "target.not.starting-level"),  # the starting level is the baseline
        ("95", "由2015年的88%", "target", "target.text"),
        ("88.9", "由2010年的88.9%", "rejected", "target.past.from-to"),  # a change already achieved
        ("94.3", "由2010年的88.9%", "rejected", "target.past.from-to"),
        ("2020", "到2020年", "deadline", "deadline.by-year"),
        ("5", "全省新建国家级质检中心5个", "rejected", "review section 一、发展回顾"),
        ("1268", "截至2016年底", "rejected", "target.past.as-of"),
        ("2011", "《质量发展纲要", "rejected", "inside a document title 《…》"),
        ("31", "由31个部门组成", "rejected", "target.not.composition"),
        ("20", "新建省级质检中心20个", "target", "target.text"),
        ("500", "世界500强", "ignored", "no measure word"),
    ],
)
def test_each_number_has_its_fate_and_rule(fates, text, sentence, fate, rule) -> None:
    f = fate_of(fates, text, sentence)
    assert (f.fate, f.rule) == (fate, rule)


def test_a_baseline_names_its_target(fates) -> None:
    f = fate_of(fates, "88", "由2015年的88%")
    assert f.record == "target 制造业产品质量合格率 >= 95%"
    assert f.reason == "its baseline (the level a change starts from)"


def test_a_reject_rule_gives_its_reason(fates) -> None:
    assert fate_of(fates, "31", "由31个部门组成").reason == "description"
    assert fate_of(fates, "88.9", "由2010年的88.9%").reason == "reports a change already achieved"


@pytest.mark.parametrize(
    "name, sentence, fate, record, rule",
    [
        ("省质监局", "省质监局牵头", "task", "task (一) 完善质量激励机制: lead", "lead"),
        ("省财政厅", "省质监局牵头", "task", "task (一) 完善质量激励机制: cooperating", "cooperating"),
        ("县发展改革局", "县发展改革局主抓", "task", "task (二) 强化法治保障: cooperating as 县发展改革局主抓", "no role word"),
        ("县司法局", "县司法局主抓", "ignored", "", "no agency clause"),
        ("县法院", "县司法局主抓", "ignored", "", "no agency clause"),
    ],
)
def test_each_agency_name_has_its_fate(fates, name, sentence, fate, record, rule) -> None:
    f = fate_of(fates, name, sentence, kind="agency")
    assert (f.fate, f.record, f.rule) == (fate, record, rule)


def test_every_fate_quotes_its_text_through_its_span(fates) -> None:
    assert fates
    for f in fates:
        assert DOC[f.span.start:f.span.end] == f.text
        assert f.sentence[f.at:f.at + len(f.text)] == f.text
        assert f.fate in explain.FATES and f.rule and f.reason


@pytest.mark.parametrize(
    "text, names",
    [
        ("省质监局牵头,省财政厅、省人社厅配合", ["省质监局", "省财政厅", "省人社厅"]),
        ("由省商务厅会同省公安厅开展专项整治", ["省商务厅", "省公安厅"]),
        ("湖北省发展和改革委员会、湖北省质量技术监督局", ["湖北省发展和改革委员会", "湖北省质量技术监督局"]),
        ("县司法局主抓,县法院、县检察院配合", ["县司法局", "县法院", "县检察院"]),
        ("各乡镇人民政府要高度重视", ["各乡镇人民政府"]),
        ("新建国家级质检中心5个,培育省级技术中心", []),
        ("全面提升市场服务中心的水平", []),
    ],
)
def test_agency_names(compiled, text, names) -> None:
    assert [text[s:e] for s, e in explain.agency_names(text, compiled)] == names


@pytest.mark.parametrize("path", CORPUS + MORE, ids=lambda p: p.stem)
def test_every_target_and_agency_is_explained(compiled, path) -> None:
    report, fates = explain.explain(analyzer_for(compiled), str(path))
    values = {f.record for f in fates if f.fate == "target" and f.reason == "its value"}
    assert {explain.target_words(t) for t in report.targets} <= values
    n_agencies = sum(len(t.lead) + len(t.cooperating) + len(t.responsible) for t in report.tasks)
    assert sum(f.fate == "task" for f in fates) >= 0.95 * n_agencies


# ---------------------------------------------------------------- the command


def test_extract_explain_prints_fates_by_sentence(tmp_path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text("二、主要目标\n到2020年,合格率由2015年的88%提高到95%。\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path), "--explain"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "二、  到2020年,合格率由2015年的88%提高到95%。\n"
        "  2020 -> deadline 到2020年 -> 2020-12-31 (by)  [deadline.by-year: part of a time limit]\n"
        "  2015: rejected (period.annual-plan-year): a plain year (「2015年」) is a time limit only in an annual plan for that year\n"
        "  88 -> target 合格率 >= 95%  [target.not.starting-level: its baseline (the level a change starts from)]\n"
        "  95 -> target 合格率 >= 95%  [target.text: its value]\n"
    )


def test_extract_explain_json(tmp_path) -> None:
    result = runner.invoke(app, ["extract", str(PLAN), "--explain", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data[0]) == {"source", "kind", "text", "span", "section", "sentence", "fate", "record", "rule", "reason"}
    zhuzhua = [d for d in data if d["kind"] == "agency" and d["rule"] == "no role word"]
    assert [d["text"] for d in zhuzhua] == ["县行政审批服务局", "县发展改革局"]


def test_extract_explain_csv_has_a_row_per_fate() -> None:
    result = runner.invoke(app, ["extract", str(PLAN), "--explain", "--format", "csv"])
    lines = result.stdout.splitlines()
    assert lines[0] == ",".join(explain.COLUMNS)
    json_count = len(json.loads(runner.invoke(app, ["extract", str(PLAN), "--explain", "-f", "json"]).stdout))
    assert len(lines) - 1 == json_count


def test_extract_explain_reports_a_missing_file_and_goes_on(tmp_path) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path / "nope.txt"), str(PLAN), "--explain", "-f", "jsonl"])
    assert result.exit_code == 3
    assert result.stderr == f"policyscan: error: {tmp_path / 'nope.txt'}: no such file; check the path\n"
    assert result.stdout.count("\n") > 10


def test_a_document_number_is_named(compiled) -> None:
    text = "甘肃省人民政府办公厅文件\n甘政办发〔2015〕12号\n一、主要目标\n到2020年,新建质检中心20个。\n"
    fates = explain.explain_raw(analyzer_for(compiled), RawText("x.txt", text, "utf-8"))[1]
    assert [(f.text, f.rule) for f in fates if f.kind == "number"] == [
        ("2015", "a document number"), ("12", "a document number"), ("2020", "deadline.by-year"), ("20", "target.text"),
    ]


def test_a_table_baseline_is_its_column(compiled) -> None:
    report, fates = explain.explain(analyzer_for(compiled), str(ROOT / "corpus" / "hubei-2016-quality-supervision-plan.txt"))
    from_tables = [t for t in report.targets if t.baseline is not None and t.rule == "target.table"]
    baselines = [f for f in fates if f.rule == "baseline column"]
    assert from_tables and len(baselines) == len(from_tables)
    assert {f.record for f in baselines} == {explain.target_words(t) for t in from_tables}


def test_both_ends_of_a_range_with_a_multiplier_are_its_value(compiled) -> None:
    text = "二、主要目标\n到2020年,新增就业3-5万人。\n"
    fates = explain.explain_raw(analyzer_for(compiled), RawText("x.txt", text, "utf-8"))[1]
    assert [(f.text, f.record, f.reason) for f in fates if f.fate == "target"] == [
        ("3", "target 新增就业 = 30000-50000人", "its value"), ("5万", "target 新增就业 = 30000-50000人", "its value"),
    ]
