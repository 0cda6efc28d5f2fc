"""policyscan diff: alignment by indicator, verdicts, agencies across the 2018 reform, batch databases, the command."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from policyscan.cli import app
from policyscan.diff import DB_COLUMNS, MetricVocabulary, compare, reports_from_db, uncovered
from policyscan.render_diff import CSV_COLUMNS, WIDTH

from .conftest import analyze_text, analyzer_for

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GUANGDONG = CORPUS / "guangdong-2016-quality-province-decision.txt"
HUBEI_2016 = CORPUS / "hubei-2016-quality-supervision-plan.txt"
HUBEI_2020 = CORPUS / "hubei-2020-quality-province-opinions.txt"
MORE = next(
    (docs for docs in (sorted((up / "shared" / "eval" / "more" / "docs").glob("*.txt")) for up in ROOT.parents[:2]) if docs), []
)  # beside the repository (or its worktree folder), when present

runner = CliRunner()

# Two small plans of one province, five years apart, written for these tests.
PLAN_2016 = """湖北省质量提升行动计划(2016—2020年)

一、主要目标
到2020年,制造业产品质量合格率达到95%以上,万台特种设备死亡率控制在0.3以下,有效期内省名牌产品达到1000个,单位生产总值能耗下降5%,国家地理标志保护产品达到150个。

二、重点任务
(一)加强产品质量监管。开展产品质量监督抽查。(牵头单位:省质监局;配合单位:省发展改革委)
(二)推进品牌建设。培育一批知名品牌。(牵头单位:省质监局、省工商局)
"""
PLAN_2021 = """湖北省质量强省行动方案(2021—2025年)

一、主要目标
到2025年,制造业产品质量合格率达到93%以上,万台特种设备死亡率控制在0.25以下,有效期内省名牌产品达到1000个,单位生产总值能耗下降3%,新增国家地理标志保护产品20个,每万人发明专利拥有量达到10件。

二、重点任务
(一)加强产品质量监管。开展产品质量监督抽查。(牵头单位:省市场监管局;配合单位:省发展改革委)
"""


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def analyzer(compiled):
    return analyzer_for(compiled)


@pytest.fixture(scope="module")
def vocabulary(analyzer):
    return analyzer.metrics


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plans")
    (folder / "hubei-2016.txt").write_text(PLAN_2016, encoding="utf-8")
    (folder / "hubei-2021.txt").write_text(PLAN_2021, encoding="utf-8")
    return folder / "hubei-2016.txt", folder / "hubei-2021.txt"


def _refs(d: dict, side: str) -> list[tuple[int, int]]:
    return [(row[side]["ref"]["document"], row[side]["ref"]["target"]) for row in d["targets"] if row[side]]


def _every_target_once(d: dict, reports_a, reports_b) -> None:
    for side, reports in (("a", reports_a), ("b", reports_b)):
        refs = _refs(d, side)
        assert len(refs) == len(set(refs))
        assert sorted(refs) == [(n, i) for n, r in enumerate(reports) for i in range(len(r.targets))]


# ---------------------------------------------------------------- the corpus


def test_guangdong_and_hubei_2016_align_their_pass_rates(analyzer, vocabulary, corpus_reports):
    gd, hb = corpus_reports[GUANGDONG.name], corpus_reports[HUBEI_2016.name]
    d = compare([gd], [hb], vocabulary).to_dict()
    paired = [r for r in d["targets"] if r["a"] and r["b"] and "合格率" in r["a"]["metric"] and "合格率" in r["b"]["metric"]]
    assert paired, "no 合格率 target of Guangdong is on one row with one of Hubei"
    manufacturing = [r for r in paired if r["a"]["metric"] == "制造业产品质量合格率"]
    assert len(manufacturing) == 1 and manufacturing[0]["indicator"] == "product-pass-rate"
    assert manufacturing[0]["verdict"] in {"a-more-ambitious", "b-more-ambitious", "same"}
    _every_target_once(d, [gd], [hb])


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.txt")))
def test_a_document_diffed_with_itself_is_all_same(name, vocabulary, corpus_reports):
    report = corpus_reports[name]
    result = compare([report], [report], vocabulary)
    assert {r.verdict for r in result.rows} <= {"same"}
    assert len(result.rows) == len(report.targets)
    assert not result.differ
    assert all(g.a == g.b for g in result.agencies)


def test_every_corpus_target_resolves_to_an_indicator(vocabulary, corpus_reports):
    missing = [(name, t.metric) for name, r in corpus_reports.items() for t in r.targets if vocabulary.resolve(t) is None]
    assert missing == []


@pytest.mark.skipif(not MORE, reason="the second development set is not beside the repository")
def test_the_second_set_is_covered_but_for_activities(analyzer, vocabulary):
    reports = [analyzer.analyze(str(p)) for p in MORE]
    left = uncovered(reports, vocabulary)
    total = sum(len(r.targets) for r in reports)
    assert total > 50
    assert all(t.unit in ("场", "次", "场次") for _, t in left), [t.metric for _, t in left]


def test_every_metric_example_resolves_to_its_indicator_through_the_whole_vocabulary(compiled):
    vocabulary = compiled.metrics
    for rule in compiled["metrics"].rules:
        for example in rule.match_examples:
            got = vocabulary.resolve_text(example.text)
            assert got is not None and got.id == rule.id, f"{example.where}: {example.text!r} resolves to {got and got.id}"


def test_the_analyzer_builds_its_vocabulary_once(analyzer):
    assert analyzer.metrics is analyzer.metrics
    assert analyzer.metrics.by_id["product-pass-rate"].category == "产品质量"


# ---------------------------------------------------------------- verdicts on small documents


@pytest.mark.parametrize(
    "a, b, indicator, verdict",
    [
        # a higher floor is more ambitious where higher is better; > beats >= at the same figure
        ("到2020年,制造业产品质量合格率达到98%以上。", "到2020年,制造业产品质量合格率达到95%以上。", "product-pass-rate", "a-more-ambitious"),
        ("到2020年,制造业产品质量合格率达到95%以上。", "到2020年,制造业产品质量合格率超过95%。", "product-pass-rate", "b-more-ambitious"),
        # lower is better: a lower ceiling is more ambitious
        ("到2020年,万台特种设备死亡率控制在0.3以下。", "到2020年,万台特种设备死亡率控制在0.25以下。", "special-equipment-deaths", "b-more-ambitious"),
        # a bigger cut of something that should fall is more ambitious
        ("单位生产总值能耗下降5%。", "单位生产总值能耗下降3%。", "energy-intensity", "a-more-ambitious"),
        # aligned by what is measured, not by wording
        ("到2020年,有效期内省名牌产品达到1000个。", "到2020年,有效期内湖北名牌达到1000个。", "famous-brands", "same"),
        ("到2020年,主导和参与制修订国家、行业标准300项。", "到2020年,主导或参与制修订国家标准、行业标准300项以上。", "national-industry-standards", "same"),
        # a level against a change, a figure against a rate
        ("到2020年,国家地理标志保护产品达到150个。", "到2020年,新增国家地理标志保护产品20个。", "geographical-indications", "not-comparable"),
        ("到2020年,检验检测机构营业收入达到240亿元。", "检验检测机构营业收入增长10%。", "testing-revenue", "not-comparable"),
    ],
)
def test_verdicts(a, b, indicator, verdict, compiled, vocabulary):
    ra, rb = analyze_text(a, compiled, "a.txt"), analyze_text(b, compiled, "b.txt")
    assert len(ra.targets) == len(rb.targets) == 1
    result = compare([ra], [rb], vocabulary)
    assert [(r.indicator.id if r.indicator else None, r.verdict) for r in result.rows] == [(indicator, verdict)]
    swapped = {"a-more-ambitious": "b-more-ambitious", "b-more-ambitious": "a-more-ambitious"}.get(verdict, verdict)
    assert [r.verdict for r in compare([rb], [ra], vocabulary).rows] == [swapped]


def test_different_indicators_stay_apart(compiled, vocabulary):
    ra = analyze_text("到2020年,制造业产品质量合格率达到95%以上。", compiled, "a.txt")
    rb = analyze_text("到2020年,农产品质量安全监测总体合格率达到95%以上。", compiled, "b.txt")
    rows = compare([ra], [rb], vocabulary).rows
    assert [(r.indicator.id, r.verdict) for r in rows] == [
        ("product-pass-rate", "only-a"),
        ("agricultural-product-pass-rate", "only-b"),
    ]


def test_within_an_indicator_the_closer_wording_pairs_first(compiled, vocabulary):
    ra = analyze_text("到2020年,可比性产品质量监督抽查合格率达到95%,制造业产品质量合格率达到93%以上。", compiled, "a.txt")
    rb = analyze_text("到2025年,制造业产品质量合格率达到94%以上。", compiled, "b.txt")
    rows = compare([ra], [rb], vocabulary).rows
    assert [(r.a.target.metric if r.a else None, r.b.target.metric if r.b else None, r.verdict) for r in rows] == [
        ("制造业产品质量合格率", "制造业产品质量合格率", "b-more-ambitious"),
        ("可比性产品质量监督抽查合格率", None, "only-a"),
    ]


def test_unaligned_lookalikes_are_listed_apart_not_merged(compiled, vocabulary):
    ra = analyze_text("到2020年,全省建成智慧停车场50个。", compiled, "a.txt")
    rb = analyze_text("到2025年,全市建成智慧停车场80个。", compiled, "b.txt")
    d = compare([ra], [rb], vocabulary).to_dict()
    assert [(r["indicator"], r["verdict"]) for r in d["targets"]] == [(None, "only-a"), (None, "only-b")]
    assert [(m["a"], m["b"]) for m in d["maybe_same"]] == [(0, 1)]


def test_over_time(plans, analyzer, vocabulary):
    old, new = (analyzer.analyze(str(p)) for p in plans)
    d = compare([old], [new], vocabulary, over_time=True).to_dict()
    assert [(r["indicator"], r["verdict"]) for r in d["targets"]] == [
        ("product-pass-rate", "lowered"),
        ("famous-brands", "kept"),
        ("invention-patents-per-10k", "new"),
        ("geographical-indications", "not-comparable"),
        ("special-equipment-deaths", "raised"),
        ("energy-intensity", "lowered"),
    ]
    assert d["summary"] == {"kept": 1, "lowered": 2, "raised": 1, "not-comparable": 1, "new": 1}
    _every_target_once(d, [old], [new])


def test_agencies_before_and_after_the_2018_reform_are_one_line(plans, analyzer, vocabulary):
    old, new = (analyzer.analyze(str(p)) for p in plans)
    agencies = compare([old], [new], vocabulary).to_dict()["agencies"]
    assert agencies[0] == {
        "canonical": "省市场监督管理局",
        "a": {"lead": 2, "cooperating": 0, "responsible": 0},
        "b": {"lead": 1, "cooperating": 0, "responsible": 0},
        "reform": True,
        "former": ["省工商行政管理局", "省质量技术监督局"],
        "reform_year": 2018,
        "names": {"a": ["省工商局", "省质监局"], "b": ["省市场监管局"]},
    }
    assert agencies[1]["canonical"] == "省发展和改革委员会" and agencies[1]["reform"] is False


def test_deadlines_are_one_timeline(plans, analyzer, vocabulary):
    old, new = (analyzer.analyze(str(p)) for p in plans)
    assert compare([old], [new], vocabulary).to_dict()["deadlines"] == [
        {"date": "2020-12-31", "a": {"count": 1, "texts": ["到2020年"]}, "b": {"count": 0, "texts": []}},
        {"date": "2025-12-31", "a": {"count": 0, "texts": []}, "b": {"count": 1, "texts": ["到2025年"]}},
    ]


def test_a_change_attribute_on_a_target_wins_over_wording(compiled, vocabulary):
    import dataclasses

    base = analyze_text("单位生产总值能耗下降5%。", compiled, "a.txt").targets[0]
    assert base.change == "decrease"
    assert vocabulary.measure(dataclasses.replace(base, change="increase")) == "increase"
    assert vocabulary.measure(dataclasses.replace(base, change=None, metric=base.metric + "下降")) == "decrease"


# ---------------------------------------------------------------- the command


def test_diff_of_a_document_with_itself_exits_0_with_exit_code():
    result = run("diff", GUANGDONG, GUANGDONG, "--exit-code", "--format", "json")
    assert result.exit_code == 0, result.stderr
    d = json.loads(result.stdout)
    assert d["differ"] is False and {r["verdict"] for r in d["targets"]} == {"same"}


def test_diff_of_two_documents_exits_1_with_exit_code():
    result = run("diff", GUANGDONG, HUBEI_2016, "--exit-code", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["differ"] is True
    assert run("diff", GUANGDONG, HUBEI_2016, "--format", "json").exit_code == 0  # without --exit-code


def test_json_shape(plans):
    d = json.loads(run("diff", *plans, "--format", "json").stdout)
    assert set(d) == {"over_time", "a", "b", "targets", "maybe_same", "agencies", "deadlines", "summary", "differ"}
    assert set(d["a"]) == {"label", "province", "period", "documents"}
    assert d["a"]["province"] == "湖北省" and d["b"]["period"] == {"start": 2021, "end": 2025}
    row = d["targets"][0]
    assert set(row) == {"indicator", "name", "category", "family", "direction", "a", "b", "verdict"}
    assert {"metric", "comparator", "value", "unit", "deadline_year", "source", "ref", "family", "measure"} <= set(row["a"])
    assert row["a"]["value"] == 95 and row["a"]["measure"] == "level"


def test_markdown(plans):
    result = run("diff", *plans, "--format", "md", "--over-time")
    assert result.exit_code == 0
    a, b = plans
    assert result.stdout == "\n".join([
        "## diff",
        "",
        f"- A: {a}  (湖北省, 2016-2020, 1 document)",
        f"- B: {b}  (湖北省, 2021-2025, 1 document)",
        "- targets: 1 kept, 2 lowered, 1 raised, 1 not-comparable, 1 new",
        "",
        "| category | indicator | A | B | verdict |",
        "|---|---|---|---|---|",
        "| 产品质量 | 产品质量合格率 | >=95% by 2020 (制造业产品质量合格率) | >=93% by 2025 (制造业产品质量合格率) | lowered |",
        "| 品牌 | 名牌产品 | >=1000个 by 2020 (有效期内省名牌产品) | >=1000个 by 2025 (有效期内省名牌产品) | kept |",
        "| 知识产权 | 每万人发明专利拥有量 | - | >=10件 by 2025 (每万人发明专利拥有量) | new |",
        "| 知识产权 | 地理标志保护产品 | >=150个 by 2020 (国家地理标志保护产品) | +20个 by 2025 (新增国家地理标志保护产品) | not-comparable |",
        "| 特种设备 | 万台特种设备死亡率 | <=0.3 by 2020 (万台特种设备死亡率) | <=0.25 by 2025 (万台特种设备死亡率) | raised |",
        "| 生态环境 | 单位生产总值能耗 | -5% by 2020 (单位生产总值能耗) | -3% by 2025 (单位生产总值能耗) | lowered |",
        "",
        "### agencies (tasks led/cooperating/responsible)",
        "",
        "| agency | A | B | reform |",
        "|---|---|---|---|",
        "| 省市场监督管理局 | 2/0/0 | 1/0/0 | 2018: was 省工商行政管理局、省质量技术监督局 |",
        "| 省发展和改革委员会 | 0/1/0 | 0/1/0 | - |",
        "",
        "### deadlines",
        "",
        "| date | A | B |",
        "|---|---|---|",
        "| 2020-12-31 | 到2020年 | - |",
        "| 2025-12-31 | - | 到2025年 |",
        "",
    ])  # fmt: skip


def test_csv_has_the_same_rows(plans):
    result = run("diff", *plans, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == list(CSV_COLUMNS)
    kinds = [r["kind"] for r in rows]
    assert kinds == ["target"] * 6 + ["agency"] * 2 + ["deadline"] * 2
    assert (rows[0]["indicator"], rows[0]["a_target"], rows[0]["b_target"], rows[0]["verdict"]) == (
        "product-pass-rate", ">=95%", ">=93%", "a-more-ambitious",
    )


def test_table_fits_100_columns_and_groups_by_category():
    result = run("diff", GUANGDONG, HUBEI_2016)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(cell_len(line.rstrip()) for line in lines) <= WIDTH
    rows = json.loads(run("diff", GUANGDONG, HUBEI_2016, "--format", "json").stdout)["targets"]
    categories = list(dict.fromkeys(r["category"] for r in rows))
    titles = [line.rstrip() for line in lines if line[:1] not in (" ", "A", "B", "t", "")]
    expected = [f"{c} ({sum(r['category'] == c for r in rows)})" for c in categories]
    assert titles[: len(expected)] == expected
    assert "a-more-ambitious" in result.stdout and "only-b" in result.stdout


def test_uncovered_lists_targets_no_indicator_covers(tmp_path):
    doc = tmp_path / "parking.txt"
    doc.write_text("到2020年,全省建成智慧停车场50个,制造业产品质量合格率达到95%以上。\n", encoding="utf-8")
    result = run("diff", "--uncovered", doc, "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout == (
        "source,section,metric,target,family,text\n"
        f"{doc},,全省建成智慧停车场,50个,count,全省建成智慧停车场50个\n"
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (("diff", "x.txt"), "diff compares two documents (got 1); or give --db PATH with --province"),
        (("diff", "--province", "广东省"), "--province and --period select documents from a database; give --db PATH"),
        (("diff", "--db", "r.sqlite", "--province", "广东省"), "with --db give two --province (and at most one --period), or one --province and two --period"),
        (("diff", "--db", "r.sqlite", "--province", "湖北省", "--period", "2021", "--period", "20x"), "--period '20x': give years as START-END, e.g. 2016-2020"),
        (("diff", "a.txt", "b.txt", "--db", "r.sqlite"), "give either two documents or --db PATH, not both"),
    ],
)
def test_usage_errors(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.sqlite").write_bytes(b"")
    result = run(*args)
    assert (result.exit_code, result.stderr) == (2, f"policyscan: error: {message}\n")


# ---------------------------------------------------------------- batch databases


@pytest.fixture(scope="module")
def database(tmp_path_factory, analyzer, corpus_reports, plans):
    """A results database with the batch command's columns, from real reports."""
    path = tmp_path_factory.mktemp("db") / "results.sqlite"
    reports = [corpus_reports[GUANGDONG.name], corpus_reports[HUBEI_2016.name], corpus_reports[HUBEI_2020.name]]
    reports += [analyzer.analyze(str(p)) for p in plans]
    return _write_db(path, reports), reports


def _write_db(path: Path, reports) -> Path:
    con = sqlite3.connect(path)
    con.execute(f"CREATE TABLE documents ({', '.join(DB_COLUMNS)})")
    for r in reports:
        f = r.document
        con.execute(
            f"INSERT INTO documents VALUES ({', '.join('?' * len(DB_COLUMNS))})",
            (
                r.sha256, r.source, f.title, f.province, f.city, f.date.isoformat() if f.date else None,
                f.period.start if f.period else None, f.period.end if f.period else None,
                f.issuer, f.doc_number, r.version, r.rules_digest, json.dumps(r.to_dict(), ensure_ascii=False),
            ),
        )  # fmt: skip
    con.commit()
    con.close()
    return path


def test_reports_from_db_select_by_province_and_period(database):
    path, reports = database
    assert reports_from_db(path, "广东省") == [reports[0]]
    hubei_2016, hubei_2020, plan_2016, plan_2021 = reports[1:]
    assert reports_from_db(path, "湖北省") == [plan_2016, hubei_2016, hubei_2020, plan_2021]
    # a plan period within the range, or without one the document's date
    assert reports_from_db(path, "湖北省", "2016-2020") == [plan_2016, hubei_2016, hubei_2020]
    assert reports_from_db(path, "湖北省", "2021-2025") == [plan_2021]
    assert reports_from_db(path) == [plan_2016, reports[0], hubei_2016, hubei_2020, plan_2021]  # by date


def test_province_sets_from_a_database(database):
    path, reports = database
    result = run("diff", "--db", path, "--province", "广东省", "--province", "湖北省", "--format", "json")
    assert result.exit_code == 0, result.stderr
    d = json.loads(result.stdout)
    assert (d["a"]["label"], d["b"]["label"]) == ("广东省", "湖北省")
    hubei = reports_from_db(path, "湖北省")
    assert [doc["source"] for doc in d["b"]["documents"]] == [r.source for r in hubei]
    assert d["over_time"] is False
    _every_target_once(d, reports[:1], hubei)
    assert any(r["a"] and r["b"] and r["indicator"] == "product-pass-rate" for r in d["targets"])


def test_one_province_over_time_from_a_database(database):
    path, reports = database
    result = run("diff", "--db", path, "--province", "湖北省", "--period", "2016-2020", "--period", "2021-2025", "--format", "json")
    assert result.exit_code == 0, result.stderr
    d = json.loads(result.stdout)
    assert d["over_time"] is True and (d["a"]["label"], d["b"]["label"]) == ("湖北省 2016-2020", "湖北省 2021-2025")
    assert set(d["summary"]) <= {"kept", "raised", "lowered", "not-comparable", "dropped", "new"}
    _every_target_once(d, reports_from_db(path, "湖北省", "2016-2020"), reports_from_db(path, "湖北省", "2021-2025"))
    # 省质监局 (2016) and 省市场监管局 (2021) on one line
    line = next(g for g in d["agencies"] if g["canonical"] == "省市场监督管理局")
    assert line["reform"] and line["b"]["lead"] == 1


def test_database_errors(database, tmp_path):
    path, _ = database
    result = run("diff", "--db", path, "--province", "广东省", "--province", "西藏自治区")
    assert (result.exit_code, result.stderr) == (3, f"policyscan: error: {path}: no documents for 西藏自治区; check --province and --period\n")
    missing = tmp_path / "none.sqlite"
    result = run("diff", "--db", missing, "--province", "广东省", "--province", "湖北省")
    assert (result.exit_code, result.stderr) == (3, f"policyscan: error: {missing}: no such file; check the path\n")
    bad = tmp_path / "bad.sqlite"
    bad.write_text("not a database", encoding="utf-8")
    result = run("diff", "--db", bad, "--province", "广东省", "--province", "湖北省")
    assert result.exit_code == 3
    assert result.stderr.startswith(f"policyscan: error: {bad}: not a policyscan results database (")


def test_uncovered_from_a_database(tmp_path, compiled, corpus_reports):
    parking = analyze_text("到2020年,全省建成智慧停车场50个,制造业产品质量合格率达到95%以上。", compiled, "parking.txt")
    path = _write_db(tmp_path / "results.sqlite", [corpus_reports[HUBEI_2016.name], parking])
    result = run("diff", "--uncovered", "--db", path, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [(row["source"], row["metric"], row["target"], row["family"]) for row in json.loads(result.stdout)] == [
        ("parking.txt", "全省建成智慧停车场", "50个", "count"),
    ]


def test_an_unreadable_document_is_one_error_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("diff", "missing.txt", GUANGDONG)
    assert (result.exit_code, result.stdout, result.stderr) == (3, "", "policyscan: error: missing.txt: no such file; check the path\n")


def test_verdicts_are_coloured_on_a_terminal_only(plans, analyzer, vocabulary):
    from rich.console import Console

    from policyscan.render_diff import renderable

    old, new = (analyzer.analyze(str(p)) for p in plans)
    result = compare([old], [new], vocabulary, over_time=True)
    colour, plain = io.StringIO(), io.StringIO()
    Console(file=colour, force_terminal=True, width=WIDTH, color_system="standard").print(renderable(result))
    Console(file=plain, width=WIDTH).print(renderable(result))
    assert "\x1b[" not in plain.getvalue() and "lowered" in plain.getvalue()
    assert "\x1b[31mlowered" in colour.getvalue() and "\x1b[32mkept" in colour.getvalue()
