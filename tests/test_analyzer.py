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
