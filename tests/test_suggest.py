"""rules suggest: rule stubs for what no rule turned into a record, in files that rules --check accepts."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from policyscan.analyzer import Analyzer
from policyscan.cli import app
from policyscan.rules import load_rules

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
PLAN = DATA / "county-business-environment-plan.txt"
runner = CliRunner()

EXTRA = """青山县质量工作要点
一、重点任务
(一)加强作风建设。切实落实中央八项规定精神,力争用三个月时间完成整改,3个工作日内答复。(县市场监管局主抓,县纪委监委配合)
(二)严格执纪问责。持续贯彻中央八项规定精神,对标对表抓好落实。
"""


@pytest.fixture
def folder(tmp_path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(PLAN, docs / PLAN.name)
    (docs / "work-points.txt").write_text(EXTRA, encoding="utf-8")
    return docs


def suggest(*args: str):
    result = runner.invoke(app, ["rules", "suggest", *map(str, args)])
    assert result.exit_code == 0, result.output
    return result.stdout


def stubs(text: str) -> list[dict]:
    return [r for r in yaml.safe_load(text)["rules"] if ".suggested." in r["id"]]


@pytest.mark.parametrize("ruleset", ["targets", "deadlines", "tasks"])
def test_saved_stubs_pass_rules_check(folder, tmp_path, ruleset) -> None:
    out = tmp_path / "my-rules"
    out.mkdir()
    text = suggest(folder, "--ruleset", ruleset)
    (out / f"{ruleset}.yaml").write_text(text, encoding="utf-8")
    assert stubs(text), "no stubs to check"
    result = runner.invoke(app, ["rules", "--check", "--rules", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(f"policyscan: ok: {len(load_rules().rulesets)} rule sets")


@pytest.mark.parametrize("ruleset", ["targets", "deadlines", "tasks"])
def test_saved_stubs_layer_on_every_rule_in_use(folder, tmp_path, ruleset) -> None:
    (tmp_path / "r").mkdir()
    text = suggest(folder, "--ruleset", ruleset)
    (tmp_path / "r" / f"{ruleset}.yaml").write_text(text, encoding="utf-8")
    shipped = [r.id for r in load_rules()[ruleset].rules]
    loaded = [r.id for r in load_rules(str(tmp_path / "r"))[ruleset].rules]
    assert loaded == [s["id"] for s in stubs(text)] + shipped


def test_a_role_word_no_rule_knows_is_the_first_tasks_stub(folder) -> None:
    first = stubs(suggest(folder, "--ruleset", "tasks"))[0]
    assert first["id"] == "task.suggested.1"
    assert first["pattern"] == "主抓"
    assert first["emit"] == {"role": "lead", "note": "suggested: set form (verb, label or connector) once checked"}
    assert first["description"].endswith("(seen 4 times in 2 documents)")
    assert first["examples"]["match"] == [
        "(县行政审批服务局主抓,县住房城乡建设局、县自然资源局配合)",
        "(县发展改革局主抓,县财政局、县税务局配合)",
        "县司法局主抓,县法院、县检察院配合,用两年时间完成涉企行政规范性文件全面清理。",
    ]


def test_numbers_with_a_measure_word_are_grouped_by_the_words_around_them(folder) -> None:
    found = stubs(suggest(folder, "--ruleset", "targets"))
    assert [s["description"].split(":")[0] for s in found] == ["「中央_项规定」"]
    assert found[0]["emit"] == {"action": "reject", "reason": "suggested: not a target"}
    assert found[0]["examples"]["match"] == [
        "切实落实中央八项规定精神,力争用三个月时间完成整改,3个工作日内答复。",
        "持续贯彻中央八项规定精神,对标对表抓好落实。",
    ]


def test_time_spans_no_deadline_read(folder) -> None:
    found = stubs(suggest(folder, "--ruleset", "deadlines", "--top", "2"))
    assert found
    assert all(s["emit"]["kind"] in ("by", "relative") for s in found)
    # the numbers of the document's own title (三年行动方案(2023—2025年)) are the title, not a time to teach
    assert not any("行动方案" in ex for s in found for ex in s["examples"]["match"])


def test_an_edited_stub_teaches_the_role_word(folder, tmp_path) -> None:
    """The walk-through of the README: save the tasks stubs, make 主抓 a verb of lead, and the tasks come right."""
    (tmp_path / "r").mkdir()
    text = suggest(PLAN, "--ruleset", "tasks")
    text = text.replace("pattern: 主抓", "pattern: '主抓{seg_end}'", 1)
    text = text.replace("note: 'suggested: set form (verb, label or connector) once checked'", "form: verb", 1)
    (tmp_path / "r" / "tasks.yaml").write_text(text, encoding="utf-8")
    before = Analyzer().analyze(str(PLAN)).tasks
    after = Analyzer(str(tmp_path / "r")).analyze(str(PLAN)).tasks
    assert [a.name for a in before[0].cooperating] == ["县行政审批服务局主抓", "县住房城乡建设局", "县自然资源局"]
    assert [[a.name for a in t.lead] for t in after] == [["县行政审批服务局"], ["县发展改革局"], ["县市场监管局"]]
    assert [a.name for a in after[0].cooperating] == ["县住房城乡建设局", "县自然资源局"]


def test_no_stubs_still_prints_a_rule_file_that_loads(tmp_path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("一、主要目标\n到2020年,合格率达到95%。\n", encoding="utf-8")
    text = suggest(doc, "--ruleset", "targets")
    assert text.startswith("# policyscan rules suggest: 0 rule stubs for the targets rule set, from 1 document.\n")
    assert yaml.safe_load(text)["rules"] == []
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "targets.yaml").write_text(text, encoding="utf-8")
    assert [r.id for r in load_rules(str(tmp_path / "r"))["targets"].rules] == [r.id for r in load_rules()["targets"].rules]


def test_rules_still_lists_and_checks_without_suggest() -> None:
    result = runner.invoke(app, ["rules", "--format", "csv"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "ruleset,version,rules,examples,tables,file"


def test_suggest_reports_a_missing_file(tmp_path) -> None:
    result = runner.invoke(app, ["rules", "suggest", str(tmp_path / "nope.txt"), str(PLAN), "--ruleset", "tasks"])
    assert result.exit_code == 3
    assert result.stderr == f"policyscan: error: {tmp_path / 'nope.txt'}: no such file; check the path\n"
    assert "task.suggested.1" in result.stdout


@pytest.mark.parametrize("args", [["eval"], ["rules", "suggest"], ["extract"]], ids=" ".join)
def test_help_shows_an_example(args) -> None:
    result = runner.invoke(app, [*args, "--help"])
    assert result.exit_code == 0
    example = result.stdout[result.stdout.index("Example:"):]
    assert f"policyscan {' '.join(args)} " in example


def test_readme_shows_the_new_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for words in ("policyscan eval GOLD", "--explain", "policyscan rules suggest", "## Teaching policyscan a new kind of document"):
        assert words in readme


def test_a_range_of_months_no_deadline_read_becomes_a_deadlines_stub(tmp_path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("一、重点任务\n(一)推进改革。整改期为3-6个月,逾期未改的予以通报。\n", encoding="utf-8")
    (found,) = stubs(suggest(doc, "--ruleset", "deadlines"))
    assert found["description"].startswith("「期为_个月」")
    assert found["emit"] == {"kind": "relative", "date": "none"}
    assert found["examples"]["match"] == ["整改期为3-6个月,逾期未改的予以通报。"]
