"""render.py on hand-built reports: the JSON contract and every output format."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from rich.cells import cell_len

from policyscan.model import (
    Agency,
    Baseline,
    Deadline,
    DocumentFacts,
    Mention,
    Period,
    Report,
    Span,
    Target,
    Task,
)
from policyscan.render import CSV_COLUMNS, Format, Writer, number, plain, readable, render, target_value, to_dict, write_rows

GUIDE_TOP = {"source", "document", "targets", "tasks", "deadlines"}
GUIDE_DOCUMENT = {"title", "province", "issuer", "date", "doc_number", "period"}
GUIDE_TARGET = {"metric", "comparator", "value", "value_max", "unit", "baseline", "deadline_year", "binding", "section", "text"}
GUIDE_TASK = {"section", "title", "lead", "cooperating", "responsible", "deadline_year", "text"}
GUIDE_DEADLINE = {"text", "date", "kind"}


def _deadline(text: str = "2018年底前", date: dt.date | None = dt.date(2018, 12, 31), kind: str = "by") -> Deadline:
    return Deadline(text, date, kind, Span(40, 40 + len(text)), "三、(五)", f"{text}完成换版工作", "deadline.by-year-end")


def _target(**changes: object) -> Target:
    fields: dict[str, object] = dict(
        metric="新建省级重点实验室、工程(技术)研究中心、企业技术中心等创新平台",
        comparator="=",
        value=Decimal("20"),
        value_max=None,
        unit="个",
        baseline=None,
        deadline_year=2015,
        binding=None,
        section="(十二)",
        text="新建省级重点实验室、工程(技术)研究中心、企业技术中心等创新平台20个",
        span=Span(100, 135),
        rule="target.plain-count",
        mentions=(Mention("创新平台20个", Span(128, 135), "(十二)"),),
    )
    fields.update(changes)
    return Target(**fields)  # type: ignore[arg-type]


def _task() -> Task:
    return Task(
        section="(二)",
        title="完善质量发展激励机制",
        lead=(Agency("省质监局", "甘肃省质量技术监督局", True),),
        cooperating=(Agency("省发展改革委", None, True), Agency("省工信委", None, False)),
        responsible=(),
        deadline_year=None,
        text="(省质监局牵头,省发展改革委、省工信委配合)",
        span=Span(300, 322),
        deadlines=(_deadline(),),
    )


def _report(source: str = "corpus/gansu-2015-quality-action-plan.txt", **changes: object) -> Report:
    fields: dict[str, object] = dict(
        source=source,
        encoding="utf-8",
        document=DocumentFacts(
            title="甘肃省贯彻实施质量发展纲要2015年行动计划",
            province="甘肃省",
            date=dt.date(2015, 3, 2),
            doc_number="甘政办发〔2015〕25号",
            period=Period(2015, 2015),
        ),
        targets=(
            _target(),
            _target(
                metric="国家级质检中心",
                value=Decimal("3"),
                value_max=Decimal("5"),
                baseline=Baseline(Decimal("26"), 2015),
                binding="expected",
                text="新增3-5个国家质检中心",
            ),
        ),
        tasks=(_task(),),
        deadlines=(_deadline(), _deadline("每年", None, "recurring")),
    )
    fields.update(changes)
    return Report(**fields)  # type: ignore[arg-type]


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    "value, expected, kind",
    [
        (Decimal("50000000000"), 50000000000, int),
        (Decimal("500") * Decimal("100000000"), 50000000000, int),
        (Decimal("16.4") * Decimal("100000000"), 1640000000, int),
        (Decimal("5E+10"), 50000000000, int),
        (Decimal("93.0"), 93, int),
        (Decimal("0.29"), 0.29, float),
        (Decimal("94.3"), 94.3, float),
        (Decimal("3.5"), 3.5, float),
    ],
)
def test_number_is_exact(value: Decimal, expected: object, kind: type) -> None:
    out = number(value)
    assert out == expected and type(out) is kind
    assert json.loads(json.dumps(out)) == expected


def test_number_none() -> None:
    assert number(None) is None


@pytest.mark.parametrize(
    "value, expected",
    [(Decimal("5E+10"), "50000000000"), (Decimal("3.50"), "3.5"), (Decimal("93.0"), "93"), (Decimal("0.29"), "0.29"), (None, "")],
)
def test_plain(value: Decimal | None, expected: str) -> None:
    assert plain(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [("24000000000", "240亿"), ("100000000", "1亿"), ("99999999", "9999.9999万"), ("4786000", "478.6万"), ("99999", "99999"), ("0.21", "0.21")],
)
def test_readable(value: str, expected: str) -> None:
    assert readable(Decimal(value)) == expected


def test_json_has_no_float_noise() -> None:
    report = _report(targets=(_target(value=Decimal("16.4") * Decimal("100000000"), unit="元"),))
    text = render([report], Format.json)
    assert '"value": 1640000000,' in text
    assert "1639999999" not in text


@pytest.mark.parametrize(
    "comparator, value, value_max, unit, expected",
    [
        ("=", "20", None, "个", "20个"),
        (">=", "93", None, "%", ">=93%"),
        ("=", "3", "5", "个", "3-5个"),
        ("~", "120", None, "个", "~120个"),
        ("<=", "0.5", None, "个百分点", "<=0.5个百分点"),
        ("=", "50000000000", None, "元", "500亿元"),
        ("=", "1640000000", None, "元", "16.4亿元"),
        (">", "6500000", None, "户", ">650万户"),
        ("=", "10000", None, "家", "10000家"),
        ("=", "100000", "150000", "人", "10万-15万人"),
        ("=", "12", None, "", "12"),
    ],
)
def test_target_value(comparator: str, value: str, value_max: str | None, unit: str, expected: str) -> None:
    t = _target(comparator=comparator, value=Decimal(value), value_max=Decimal(value_max) if value_max else None, unit=unit)
    assert target_value(t) == expected


# ---------------------------------------------------------------- dict


def test_to_dict_has_guide_keys_and_extras() -> None:
    d = to_dict(_report())
    assert set(d) == GUIDE_TOP | {"encoding", "schema_version", "policyscan", "rules_digest", "sha256", "warnings"}
    assert set(d["document"]) == GUIDE_DOCUMENT | {"city", "spans"}
    assert set(d["targets"][0]) == GUIDE_TARGET | {"span", "rule", "mentions", "change", "recurring"}
    assert set(d["tasks"][0]) == GUIDE_TASK | {"span", "agencies", "deadlines", "rule"}
    assert set(d["deadlines"][0]) == GUIDE_DEADLINE | {"span", "section", "context", "rule"}


def test_to_dict_values() -> None:
    d = to_dict(_report())
    assert d["document"]["date"] == "2015-03-02"
    assert d["document"]["period"] == {"start": 2015, "end": 2015}
    first, second = d["targets"]
    assert first["value"] == 20 and first["value_max"] is None and first["baseline"] is None
    assert first["span"] == {"start": 100, "end": 135}
    assert first["mentions"] == [{"text": "创新平台20个", "span": {"start": 128, "end": 135}, "section": "(十二)"}]
    assert (second["value"], second["value_max"]) == (3, 5)
    assert second["baseline"] == {"value": 26, "year": 2015}
    task = d["tasks"][0]
    assert task["lead"] == ["省质监局"]
    assert task["cooperating"] == ["省发展改革委", "省工信委"]
    assert task["responsible"] == []
    lead = {"name": "省质监局", "role": "lead", "canonical": "甘肃省质量技术监督局", "known": True}
    assert task["agencies"][0].items() >= lead.items()
    assert [a["role"] for a in task["agencies"]] == ["lead", "cooperating", "cooperating"]
    assert task["deadlines"][0]["date"] == "2018-12-31"
    assert d["deadlines"][1] == {
        "text": "每年",
        "date": None,
        "kind": "recurring",
        "span": {"start": 40, "end": 42},
        "section": "三、(五)",
        "context": "每年完成换版工作",
        "rule": "deadline.by-year-end",
    }


def test_to_dict_missing_facts_are_null() -> None:
    d = to_dict(_report(document=DocumentFacts()))
    assert d["document"] == {**{k: None for k in GUIDE_DOCUMENT | {"city"}}, "spans": {}}


# ---------------------------------------------------------------- formats


def test_json_one_document_is_an_object() -> None:
    text = render([_report()], Format.json)
    assert json.loads(text)["source"] == "corpus/gansu-2015-quality-action-plan.txt"
    assert "甘肃省" in text  # not \u escaped


@pytest.mark.parametrize("count", [0, 1, 2, 3])
def test_json_several_documents_are_an_array(count: int) -> None:
    reports = [_report(f"doc{i}.txt") for i in range(count)]
    data = json.loads(render(reports, Format.json, many=True))
    assert [d["source"] for d in data] == [f"doc{i}.txt" for i in range(count)]


def test_json_single_with_no_report_writes_nothing() -> None:
    assert render([], Format.json, many=False) == ""


@pytest.mark.parametrize("count", [0, 1, 3])
def test_jsonl_one_line_per_document(count: int) -> None:
    lines = render([_report(f"doc{i}.txt") for i in range(count)], Format.jsonl).splitlines()
    assert len(lines) == count
    assert [json.loads(line)["source"] for line in lines] == [f"doc{i}.txt" for i in range(count)]


def test_csv_header_and_rows() -> None:
    text = render([_report("a.txt"), _report("b.txt")], Format.csv)
    lines = text.splitlines()
    assert lines[0] == ",".join(CSV_COLUMNS)
    assert lines[0].startswith("source,kind,")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["kind"] for r in rows] == ["target", "target", "task", "deadline", "deadline"] * 2
    assert [r["source"] for r in rows] == ["a.txt"] * 5 + ["b.txt"] * 5
    task = rows[2]
    assert task["lead"] == "省质监局"
    assert task["cooperating"] == "省发展改革委、省工信委"
    assert task["responsible"] == ""
    assert (rows[1]["value"], rows[1]["value_max"], rows[1]["baseline_value"], rows[1]["baseline_year"]) == ("3", "5", "26", "2015")
    assert (rows[4]["date"], rows[4]["deadline_kind"]) == ("", "recurring")


def test_csv_with_no_report_still_has_header() -> None:
    assert render([], Format.csv).splitlines() == [",".join(CSV_COLUMNS)]


def test_markdown_headers_and_escaping() -> None:
    report = _report(targets=(_target(metric="A|B"),))
    text = render([report, _report("b.txt", document=DocumentFacts())], Format.md)
    headers = [line for line in text.splitlines() if line.startswith("#")]
    assert headers == [
        "## 甘肃省贯彻实施质量发展纲要2015年行动计划",
        "### Targets (1)",
        "### Tasks (1)",
        "### Deadlines (2)",
        "## b.txt",
        "### Targets (2)",
        "### Tasks (1)",
        "### Deadlines (2)",
    ]
    assert "| A\\|B | 20个 |" in text
    assert "- plan period: 2015" in text
    assert "| (二) | 完善质量发展激励机制 | 省质监局 | 省发展改革委、省工信委 | - | - |" in text


def _table_lines(text: str, title: str) -> list[str]:
    """The lines of one rich table: from its title to the blank line after it."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].strip() == "" and i > start + 1), len(lines))
    return lines[start:end]


@pytest.mark.parametrize("title", ["Targets (2)", "Tasks (1)", "Deadlines (2)"])
def test_table_aligns_chinese_text(title: str) -> None:
    """Rich pads every line of a table to one display width, counting a Chinese character as two."""
    body = _table_lines(render([_report()], Format.table, width=160), title)
    assert len(body) >= 5  # title, blank, header, rule, rows
    assert len({cell_len(line) for line in body}) == 1
    assert len({len(line) for line in body}) > 1  # the rows with Chinese are fewer characters wide


def test_table_header_panel_and_no_escape_codes() -> None:
    text = render([_report()], Format.table, width=160)
    assert "\x1b[" not in text
    assert "甘肃省贯彻实施质量发展纲要2015年行动计划" in text.splitlines()[0]
    for fact in ("甘肃省", "2015-03-02", "甘政办发〔2015〕25号", "corpus/gansu-2015-quality-action-plan.txt"):
        assert fact in text
    assert "3-5个" in text and "26个 (2015)" in text


def test_table_does_not_read_markup() -> None:
    text = render([_report(targets=(_target(metric="[bold]合格率[/bold]"),))], Format.table, width=160)
    assert "[bold]合格率[/bold]" in text


def test_table_says_what_is_missing() -> None:
    text = render([_report(targets=(), tasks=())], Format.table, width=120)
    assert "no targets, tasks found" in text
    assert "Deadlines (2)" in text


def test_writer_streams_each_document() -> None:
    buf = io.StringIO()
    writer = Writer(Format.jsonl, buf)
    writer.write(_report("a.txt"))
    assert buf.getvalue().count("\n") == 1
    writer.write(_report("b.txt"))
    writer.close()
    assert buf.getvalue().count("\n") == 2


ROWS = [{"ruleset": "deadlines", "rules": 12}, {"ruleset": "targets", "rules": 30}]


@pytest.mark.parametrize(
    "fmt, expected",
    [
        (Format.csv, "ruleset,rules\ndeadlines,12\ntargets,30\n"),
        (Format.jsonl, '{"ruleset":"deadlines","rules":12}\n{"ruleset":"targets","rules":30}\n'),
        (Format.md, "| ruleset | rules |\n|---|---|\n| deadlines | 12 |\n| targets | 30 |\n"),
    ],
)
def test_write_rows(fmt: Format, expected: str) -> None:
    buf = io.StringIO()
    write_rows(ROWS, ("ruleset", "rules"), fmt, buf)
    assert buf.getvalue() == expected


def test_write_rows_json_and_table() -> None:
    buf = io.StringIO()
    write_rows(ROWS, ("ruleset", "rules"), Format.json, buf)
    assert json.loads(buf.getvalue()) == ROWS
    buf = io.StringIO()
    write_rows(ROWS, ("ruleset", "rules"), Format.table, buf, title="rules")
    assert "deadlines" in buf.getvalue() and "30" in buf.getvalue()
