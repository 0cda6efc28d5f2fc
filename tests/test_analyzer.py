"""The Analyzer and the Report contract: one object for many documents."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policyscan import Analyzer, Err, Ok, Report
from policyscan.cli import app
from policyscan.model import SCHEMA_VERSION
from tests.conftest import CORPUS, ROOT, analyzer_for

README = (ROOT / "README.md").read_text(encoding="utf-8")
CORPUS_FILES = sorted(CORPUS.glob("*.txt"))


def run(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


def _readme_recipe() -> str:
    """The rule the README shows for teaching policyscan 不足, exactly as printed there."""
    block = re.search(r"```yaml\n(  - id: cmp\.under-before\n.*?)```", README, re.S)
    assert block, "the README's 不足 recipe is missing"
    return block.group(1)


def test_readme_recipe_passes_check_and_reads_under(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "mine.yaml").write_text("ruleset: comparators\nversion: 1\nrules:\n" + _readme_recipe(), encoding="utf-8")
    checked = run("rules", "--check", "--rules", rules)
    assert checked.exit_code == 0, checked.stderr
    doc = tmp_path / "plan.txt"
    doc.write_text("到2025年，全省产品质量不合格率不足2%。\n", encoding="utf-8")
    result = run("extract", doc, "--rules", rules, "--format", "json")
    assert result.exit_code == 0, result.stderr
    [target] = json.loads(result.stdout)["targets"]
    assert (target["comparator"], target["value"], target["unit"]) == ("<", 2, "%")


def test_a_user_ruleset_extends_the_shipped_one(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text("ruleset: comparators\nrules:\n" + _readme_recipe(), encoding="utf-8")
    shipped, layered = Analyzer().book["comparators"], Analyzer(tmp_path).book["comparators"]
    assert [r.id for r in layered.rules] == ["cmp.under-before", *(r.id for r in shipped.rules)]


def test_replace_true_replaces_the_shipped_ruleset(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text("ruleset: comparators\nreplace: true\nrules:\n" + _readme_recipe(), encoding="utf-8")
    assert [r.id for r in Analyzer(tmp_path).book["comparators"].rules] == ["cmp.under-before"]


@pytest.mark.parametrize(
    "entry, line, message",
    [
        ("    - {aliases: [大数据局]}", 6, "[R010] table 'agencies': entry without 'canonical'"),
        ("    - {canonical: 数据局, alias: [数据局]}", 6, "[R003] table 'agencies': unknown key 'alias' (known: canonical, aliases)"),
        ("    - {canonical: 数据局, aliases: 数据局}", 6, "[R010] table 'agencies': 'aliases' must be a list, not '数据局'"),
        ("    - 数据局", 6, "[R010] table 'agencies': each entry must be a mapping with canonical, aliases"),
    ],
)
def test_a_malformed_agency_entry_is_exit_4_with_file_and_line(tmp_path: Path, entry: str, line: int, message: str) -> None:
    path = tmp_path / "agencies.yaml"
    path.write_text(
        "ruleset: agencies\nversion: 1\ntables:\n  agencies:\n    - {canonical: 质量技术监督局, aliases: [质监局]}\n"
        + entry + "\n",
        encoding="utf-8",
    )
    for command in (["rules", "--check"], ["extract", CORPUS_FILES[0]]):
        result = run(*command, "--rules", tmp_path)
        assert result.exit_code == 4
        assert f"{path}:{line}: {message}" in result.stderr.splitlines()


def test_report_round_trips_for_every_corpus_document(corpus_reports) -> None:
    for name, report in corpus_reports.items():
        data = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
        assert Report.from_dict(data) == report, name


def test_json_carries_schema_version_sha256_and_rules_digest() -> None:
    import hashlib

    path = CORPUS_FILES[0]
    data = json.loads(run("extract", path, "--format", "json").stdout)
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert re.fullmatch(r"[0-9a-f]{64}", data["rules_digest"])
    assert data["rules_digest"] == Analyzer().book.digest


def test_a_report_of_another_schema_version_is_refused(corpus_reports) -> None:
    data = next(iter(corpus_reports.values())).to_dict()
    with pytest.raises(ValueError, match="schema version 99"):
        Report.from_dict({**data, "schema_version": 99})


@pytest.mark.parametrize("workers", [1, 2])
def test_pipe_gives_one_result_per_input_in_order(compiled, tmp_path: Path, workers: int) -> None:
    missing = tmp_path / "missing.txt"
    paths = [*CORPUS_FILES[:2], missing, *CORPUS_FILES[2:]]
    results = list(analyzer_for(compiled).pipe(paths, workers=workers))
    assert [r.path for r in results] == [str(p) for p in paths]
    assert [type(r) for r in results] == [Ok, Ok, Err, Ok, Ok, Ok]
    err = results[2]
    assert (err.code, err.exit_code, err.message) == ("input-missing", 3, f"{missing}: no such file; check the path")
    assert all(r.report.sha256 for r in results if isinstance(r, Ok))


def test_analyze_takes_text_as_well_as_paths(compiled) -> None:
    report = analyzer_for(compiled).analyze("一、主要目标\n到2020年，全省产品质量合格率达到95%以上。\n")
    assert [(t.metric, t.comparator, t.value) for t in report.targets] == [("全省产品质量合格率", ">=", 95)]
    assert report.source == "<text>"


def test_readme_shows_the_python_api() -> None:
    assert "from policyscan import Analyzer" in README
    for call in ("Analyzer(", ".analyze(", ".pipe("):
        assert call in README


# ---------------------------------------------------------------- spans of facts and agencies, warnings


def test_document_facts_and_agencies_carry_spans_into_the_raw_text(compiled, corpus_reports) -> None:
    analyzer = analyzer_for(compiled)
    for name, report in corpus_reports.items():
        raw = analyzer.read(str(CORPUS / name)).text
        facts = report.document
        assert facts.span("province") is not None, name
        for field, span in facts.spans:
            written = compiled.simplified("".join(raw[span.start:span.end].split()))
            value = getattr(facts, field)
            if field in ("title", "issuer", "doc_number"):
                assert "".join(value.split()) in written or written in "".join(value.split()), (name, field)
            elif field in ("province", "city"):
                assert written and (written in value or value.startswith(written)), (name, field, written)
        for task in report.tasks:
            for agency in (*task.lead, *task.cooperating, *task.responsible):
                assert agency.span is not None, (name, agency.name)
                written = "".join(raw[agency.span.start:agency.span.end].split())
                assert compiled.simplified(written).replace("（", "(").replace("）", ")") == agency.name


def test_a_name_of_no_agency_shape_is_a_warning(compiled) -> None:
    report = analyzer_for(compiled).analyze("某市方案\n一、重点任务\n(一)完善质量标准。(张三同志牵头,市财政局配合)\n")
    assert report.warnings == ("line 3: 「张三同志」 is named as lead but has no agency shape rules/agencies.yaml knows",)


def test_a_table_whose_cells_do_not_line_up_is_a_warning(compiled) -> None:
    report = analyzer_for(compiled).analyze("某市方案\n一、主要指标\n指标名称\n2025年\n合格率\n达标率\n抽检率\n覆盖率\n")
    assert report.warnings == ("lines 3–8: a table (「指标名称」 …) whose cells do not line up into columns; read as text",)


def test_a_deadline_year_outside_1949_2100_is_a_warning_not_a_deadline(tmp_path: Path) -> None:
    (tmp_path / "deadlines.yaml").write_text(
        "ruleset: deadlines\nrules:\n  - id: user.old-year-end\n    pattern: '(?P<year>19\\d\\d)年底前'\n"
        "    emit: {kind: by, date: year-end}\n    examples: {match: [1930年底前完成]}\n",
        encoding="utf-8",
    )
    report = Analyzer(tmp_path).analyze("某市方案\n一、重点任务\n(一)1930年底前完成标准清理。\n")
    assert [d.text for d in report.deadlines] == []
    assert report.warnings == ("line 3: 「1930年底前」 names the year 1930, outside 1949–2100; not read as a deadline",)


def test_warnings_of_one_document_do_not_leak_into_the_next(compiled) -> None:
    analyzer = analyzer_for(compiled)
    assert analyzer.analyze("某市方案\n一、重点任务\n(一)完善质量标准。(张三同志牵头,市财政局配合)\n").warnings
    assert analyzer.analyze(str(CORPUS_FILES[0])).warnings == ()
