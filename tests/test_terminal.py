"""The table, quotes, spreadsheets and conventions as an analyst meets them at a terminal."""
from __future__ import annotations

import collections
import csv
import io
import json
from pathlib import Path

import pytest
import typer.main
from rich.cells import cell_len
from typer.testing import CliRunner

from policyscan.cli import app
from policyscan.model import Report, Span
from policyscan.render import BOM, SHEETS, XLSX_MAX_WIDTH, Source, _names_lines, clip, fold

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "corpus").glob("*.txt"))
GANSU = ROOT / "corpus" / "gansu-2015-quality-action-plan.txt"
SHANXI = ROOT / "corpus" / "shanxi-quality-certification-plan.txt"
GROUP = typer.main.get_command(app)

runner = CliRunner()

PLAN = """\
某省质量提升行动方案
一、主要目标
到2020年,全省产品质量合格率稳定在93%以上。
二、重点任务
(一)推进质量认证。2018年底前完成5000家企业质量管理体系换版工作。(牵头单位:省质监局,责任单位:省发展改革委、省住房城乡建设厅、省食品药品监管局、省经信委、省商务厅)
(二)加强标准建设。2018年底前发布地方标准。
2018年底前建成标准信息平台。(省发展改革委牵头,省住房城乡建设厅配合)
"""


def run(*args: object, columns: int = 80, input: str | None = None):  # noqa: A002
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": str(columns)}, input=input)


@pytest.fixture()
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def corpus_json() -> list[dict]:
    result = run("extract", *CORPUS, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# ---------------------------------------------------------------- tables that read


@pytest.mark.parametrize("columns", [80, 100, 160])
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_no_agency_name_is_split(path: Path, columns: int, corpus_json: list[dict]) -> None:
    """Every agency name of every task stands whole on a line of the default table, as often as tasks name it."""
    doc = next(d for d in corpus_json if d["source"] == str(path))
    result = run("extract", path, columns=columns)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= columns
    named = collections.Counter(n for task in doc["tasks"] for role in ("lead", "cooperating", "responsible") for n in task[role])
    shown = {name: sum(line.count(name) for line in lines) for name in named}
    assert {name: n for name, n in shown.items() if n < named[name]} == {}


def test_table_at_80_columns(plan: Path) -> None:
    """Roles in their own columns when they fit, names wrapped between names, empty columns dropped, a line per row."""
    result = run("extract", plan)
    assert result.exit_code == 0, result.stderr
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    start = lines.index("Tasks (2)")
    assert lines[start + 2 : start + 10] == [
        "  section   title          lead           cooperating              year   line",
        " " + "─" * 78,
        "  (一)      推进质量认证   省质监局       省发展改革委、           2018   5",
        "                                          省住房城乡建设厅、",
        "                                          省食品药品监管局、",
        "                                          省经信委、省商务厅",
        "  (二)      加强标准建设   省发展改革委   省住房城乡建设厅         2018   6",
        "",
    ]
    assert "responsible" not in result.stdout  # no task here names one
    assert "baseline" not in result.stdout and "binding" not in result.stdout


def test_roles_share_a_column_when_they_do_not_fit_beside_the_title() -> None:
    result = run("extract", GANSU)
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    header = next(line for line in lines if line.lstrip().startswith("section"))
    assert header.split() == ["section", "title", "agencies", "year", "line"]
    assert any("   lead 省质监局   " in line for line in lines)
    assert any("coop 省发展改革委、省工信委、" in line for line in lines)


@pytest.mark.parametrize(
    "names, width, expected",
    [
        (("省质监局", "省发展改革委", "省工信委"), 40, ["省质监局、省发展改革委、省工信委"]),
        (("省质监局", "省发展改革委", "省工信委"), 24, ["省质监局、省发展改革委、", "省工信委"]),
        (("省质监局", "省发展改革委", "省工信委"), 14, ["省质监局、", "省发展改革委、", "省工信委"]),
    ],
)
def test_names_wrap_only_between_names(names: tuple[str, ...], width: int, expected: list[str]) -> None:
    assert _names_lines((("", names),), width) == expected


def test_labelled_names_hang_under_their_label() -> None:
    cell = (("lead", ("省质监局",)), ("coop", ("省发展改革委", "省工信委", "省科技厅")))
    assert _names_lines(cell, 23) == ["lead 省质监局", "coop 省发展改革委、", "     省工信委、省科技厅"]


@pytest.mark.parametrize(
    "text, width, expected",
    [
        ("完成5000家企业换版", 6, ["完成", "5000家", "企业换", "版"]),  # the number is not broken
        ("企业质量管理体系换版工作。", 8, ["企业质量", "管理体系", "换版工", "作。"]),  # 。 does not open a line
        ("换版工作。(牵头单位", 12, ["换版工作。", "(牵头单位"]),  # ( does not end one
    ],
)
def test_fold(text: str, width: int, expected: list[str]) -> None:
    assert fold(text, width) == expected


# ---------------------------------------------------------------- traceable from the table


def test_quote_prints_each_target_sentence(plan: Path) -> None:
    result = run("extract", plan, "--quote")
    assert result.exit_code == 0, result.stderr
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    start = lines.index("Targets (2)")
    assert lines[start + 4 : start + 10] == [
        "  全省产品质量合格率                           >=93%    2020   一、       3",
        "  > 到2020年,全省产品质量合格率稳定在93%以",
        "  上。",
        "  企业质量管理体系换版                         5000家   2018   二、(一)   5",
        "  > 2018年底前完成5000家企业质量管理体系换版",
        "  工作。",
    ]


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_quote_shows_every_target_of_the_corpus(path: Path, corpus_json: list[dict]) -> None:
    """Each target's figure, as the raw document writes it, is in the quoted sentence printed under its row."""
    doc = next(d for d in corpus_json if d["source"] == str(path))
    raw = path.read_text(encoding="utf-8")
    result = run("extract", path, "--quote", columns=100)
    assert result.exit_code == 0, result.stderr
    quoted = [line for line in result.stdout.splitlines() if line.lstrip().startswith("> ")]
    assert len(quoted) >= len(doc["targets"]) + len(doc["tasks"]) + len(doc["deadlines"])
    flat = "".join(result.stdout.split())
    source = Source(raw)
    for target in doc["targets"]:
        span = Span(target["span"]["start"], target["span"]["end"])
        quote = "".join(source.quote(span).split())
        assert ">" + quote in flat
        figure = "".join(raw[span.start : span.end].split())
        assert figure[:20] in quote


def test_same_deadline_in_one_section_is_told_apart(plan: Path) -> None:
    result = run("extract", plan, "--quote")
    rows = [line.split() for line in result.stdout.splitlines() if line.strip().startswith("2018年底前 ")]
    assert [row[-2:] for row in rows] == [["二、(一)", "5"], ["二、(二)", "6"], ["二、(二)", "7"]]
    assert "> 2018年底前发布地方标准。" in result.stdout
    assert "> 2018年底前建成标准信息平台。" in result.stdout


@pytest.mark.parametrize(
    "start, end, expected",
    [
        (5, 9, "第一句话。"),
        (10, 14, "第二句很长很长很长…"),
        (20, 22, "…很长很长很长很长的…"),
    ],
)
def test_source_quote_trims_around_the_span(start: int, end: int, expected: str) -> None:
    text = "前言部分。第一句话。第二句很长很长很长很长很长很长的话;后文\n"
    assert Source(text).quote(Span(start, end), limit=9 if start else 30) == expected


def test_source_line() -> None:
    source = Source("一\n二\n\n三")
    assert [source.line(Span(i, i)) for i in (0, 2, 4, 5)] == [1, 2, 3, 4]


def test_md_and_csv_name_the_line(plan: Path) -> None:
    md = run("extract", plan, "--format", "md").stdout
    assert "| (二) | 加强标准建设 | 省发展改革委 | 省住房城乡建设厅 | - | 2018 | 6 |" in md
    rows = list(csv.DictReader(io.StringIO(run("extract", plan, "--format", "csv").stdout)))
    assert [(r["kind"], r["line"]) for r in rows] == [
        ("target", "3"), ("target", "5"), ("task", "5"), ("task", "6"),
        ("deadline", "3"), ("deadline", "5"), ("deadline", "6"), ("deadline", "7"),
    ]  # fmt: skip


# ---------------------------------------------------------------- spreadsheets


def test_xlsx_has_one_sheet_per_kind_with_the_json_counts(tmp_path: Path, corpus_json: list[dict]) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "corpus.xlsx"
    result = run("extract", *CORPUS, "--format", "xlsx", "-o", out)
    assert (result.exit_code, result.stdout) == (0, "")
    book = load_workbook(out)
    assert book.sheetnames == ["targets", "tasks", "deadlines", "documents"]
    counts = {kind: sum(len(d[kind]) for d in corpus_json) for kind in ("targets", "tasks", "deadlines")}
    counts["documents"] = len(corpus_json)
    for name, sheet in zip(book.sheetnames, book.worksheets):
        assert [c.value for c in sheet[1]] == list(SHEETS[name])
        assert sheet.max_row - 1 == counts[name], name
        assert sheet.freeze_panes == "A2"
    tasks = book["tasks"]
    header = [c.value for c in tasks[1]]
    for column in ("lead", "title"):
        i = header.index(column)
        values = [str(row[i].value or "") for row in tasks.iter_rows(min_row=2)]
        widest = max(cell_len(v) for v in values)
        assert widest > max(len(v) for v in values)  # a Chinese character counts two
        assert tasks.column_dimensions[tasks.cell(1, i + 1).column_letter].width == min(widest, XLSX_MAX_WIDTH) + 2
    targets = book["targets"]
    first = dict(zip([c.value for c in targets[1]], [c.value for c in targets[2]]))
    doc = corpus_json[0]
    assert (first["source"], first["metric"], first["value"]) == (doc["source"], doc["targets"][0]["metric"], doc["targets"][0]["value"])
    assert first["rule"] == doc["targets"][0]["rule"]


@pytest.mark.parametrize("output", [None, "-"])
def test_xlsx_needs_an_output_file(output: str | None) -> None:
    args = ["extract", GANSU, "--format", "xlsx"] + (["-o", output] if output else [])
    result = run(*args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "policyscan: error: --format xlsx writes a binary file; give it --output PATH (e.g. -o report.xlsx)\n"


@pytest.mark.parametrize("flag", ["--bom", "--excel"])
def test_csv_bom(flag: str) -> None:
    result = run("extract", SHANXI, "--format", "csv", flag)
    assert result.exit_code == 0
    assert result.stdout.startswith(BOM + "source,kind,")
    assert not run("extract", SHANXI, "--format", "csv").stdout.startswith(BOM)


def test_csv_task_rows_carry_their_rule() -> None:
    rows = list(csv.DictReader(io.StringIO(run("extract", SHANXI, "--format", "csv").stdout)))
    tasks = [r for r in rows if r["kind"] == "task"]
    assert tasks and all(r["rule"].startswith("task.") for r in tasks)
    assert {r["rule"] for r in tasks} <= {"task.label.lead", "task.label.cooperating", "task.label.responsible"}


def test_task_rule_round_trips(corpus_json: list[dict]) -> None:
    for doc in corpus_json:
        assert Report.from_dict(doc).to_dict() == doc


# ---------------------------------------------------------------- help and conventions


def test_no_arguments_prints_help_and_succeeds() -> None:
    result = run()
    assert result.exit_code == 0
    assert "Usage: policyscan" in result.stdout and "extract" in result.stdout


def test_short_version() -> None:
    assert run("-V").stdout == run("--version").stdout != ""


def test_shell_completion_options() -> None:
    text = run("--help").stdout
    assert "--install-completion" in text and "--show-completion" in text


@pytest.mark.parametrize("args", [[], *[[name] for name in sorted(GROUP.commands)]])  # type: ignore[attr-defined]
def test_help_has_no_bool_placeholder(args: list[str]) -> None:
    result = run(*args, "--help", columns=160)
    assert result.exit_code == 0
    assert "<bool>" not in result.stdout


def test_progress_line_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    two = [GANSU, SHANXI]
    assert run("extract", *two, "--format", "jsonl").stderr == ""
    monkeypatch.setattr("policyscan.cli._on_terminal", lambda _stream: True)
    result = run("extract", *two, "--format", "jsonl")
    assert f"\rpolicyscan: [1/2] {GANSU}" in result.stderr
    assert f"\rpolicyscan: [2/2] {SHANXI}" in result.stderr
    assert result.stderr.endswith("\r")  # the line is cleared when the run is done
    assert len(result.stdout.splitlines()) == 2
    assert run("extract", GANSU, "--format", "jsonl").stderr == ""  # one file: nothing to count


# ---------------------------------------------------------------- rule authors

TYPO_RULES = """\
ruleset: deadlines
version: 1
rules:
  - id: user.by-year-end
    description: 年底前
    pattern: '(?P<year>20\\d\\d)年底前'
    emit: {kind: by}
    examples:
      match: [2018年底前完成]
  - id: user.by-month
    description: 月底前
    emit:
      kind: by
      sope: month
    patern: '(?P<month>\\d+)月底前'
    examples:
      match: [3月底前完成]
"""


def test_rule_error_names_the_line_of_the_bad_key(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(TYPO_RULES, encoding="utf-8")
    assert TYPO_RULES.splitlines()[14].strip().startswith("patern:")  # line 15
    result = run("rules", "--check", "--rules", tmp_path)
    assert result.exit_code == 4
    problems = result.stderr.splitlines()[1:]
    assert f"{path}:15: [R003] rule 'user.by-month': unknown key 'patern'" in problems
    assert f"{path}:14: [R003] rule 'user.by-month': unknown emit key 'sope' for ruleset 'deadlines'" in problems


@pytest.mark.parametrize(
    "text, width, expected",
    [
        ("agencies, reforms", 20, "agencies, reforms"),
        ("agencies, reforms", 12, "agencies, …"),
        ("agencies, reforms", 6, "agenc…"),
    ],
)
def test_clip_cuts_between_items(text: str, width: int, expected: str) -> None:
    assert clip(text, width) == expected


def test_rules_fits_80_columns() -> None:
    result = run("rules", columns=80)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    rows = [line.split() for line in lines[4:] if line.strip()]
    from policyscan.rules import load_rules

    names = tuple(sorted(load_rules().rulesets))
    assert [row[0] for row in rows] == list(names)
    assert [row[-1].endswith(f"{name}.yaml") for row, name in zip(rows, names)] == [True] * len(names)  # paths whole
    assert "…" in result.stdout  # the table lists are cut, with an ellipsis


# ---------------------------------------------------------------- honest encodings


def test_forced_encoding_without_chinese_warns(plan: Path) -> None:
    result = run("extract", plan, "--encoding", "latin-1", "--format", "jsonl")
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == (
        f"policyscan: warning: {plan}: decoded as iso8859-1, the text has no Chinese characters;"
        " the encoding looks wrong (leave --encoding out to have it detected)"
    )
    assert run("extract", plan, "--encoding", "utf-8", "--format", "jsonl").stderr == ""
    assert "looks wrong" in run("normalize", plan, "--encoding", "latin-1").stderr
