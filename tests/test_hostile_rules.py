"""A user's rule files: every problem reported with file and line, all at once, exit 4; YAML read safely;
a pattern that backtracks without end stopped in time, naming the rule and the document."""
from __future__ import annotations

import ast
import csv
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policyscan.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()

GOOD_RULE = """\
  - id: user.by-month
    pattern: '(?P<year>20\\d\\d)年(?P<month>\\d{1,2})月底前'
    examples:
      match: [2021年6月底前完成]
"""

# id, the file (after "ruleset: deadlines\nrules:\n" unless it starts with "!"), the problems as (line, text)
PROBLEMS = [
    ("malformed-yaml", "  - id: user.x\n    pattern: '[unclosed\n    examples: {match: [x]}\n", [(6, "[R001] not valid YAML: found unexpected end of stream")]),
    ("unknown-key", "  - id: user.x\n    patern: '年底前'\n    pattern: '年底前'\n    examples: {match: [年底前]}\n",
     [(4, "[R003] rule 'user.x': unknown key 'patern'")]),
    ("duplicate-id", GOOD_RULE + GOOD_RULE, [(7, "[R007] duplicate rule id 'user.by-month'")]),
    ("bad-regex", "  - id: user.x\n    pattern: '(?P<year>20\\d\\d'\n    examples: {match: [2020]}\n",
     [(4, "[R006] rule 'user.x': bad regex: missing ) at position 15")]),
    ("missing-example", "  - id: user.x\n    pattern: '年底前'\n", [(3, "[R009] rule 'user.x': needs at least one 'match' example")]),
    ("missing-pattern", "  - id: user.x\n    examples: {match: [年底前]}\n", [(3, "[R002] rule 'user.x': needs a 'pattern'")]),
    ("unknown-emit-key", "  - id: user.x\n    pattern: '年底前'\n    emit: {knd: by}\n    examples: {match: [年底前]}\n",
     [(5, "[R003] rule 'user.x': unknown emit key 'knd' for ruleset 'deadlines'")]),
    ("undefined-fragment", "  - id: user.x\n    pattern: '{nowhere}年底前'\n    examples: {match: [年底前]}\n",
     [(4, "[R004] rule 'user.x': undefined fragment '{nowhere}'")]),
    ("table-entry-shape", "!ruleset: agencies\ntables:\n  agencies:\n    - {canonical: 县数据局, aliases: 数据局}\n    - 县财政局\n",
     [(4, "[R010] table 'agencies': 'aliases' must be a list, not '数据局'"),
      (5, "[R010] table 'agencies': each entry must be a mapping with canonical, aliases")]),
    ("unknown-ruleset", "!ruleset: deadline\nrules: []\n", [(1, "[R002] unknown ruleset 'deadline' (known: agencies, comparators, "
                                                              "deadlines, document, metrics, normalize, sections, structure, targets, tasks, units)")]),
    ("not-a-mapping", "!- just\n- a list\n", [(1, "[R002] a rule file must be a mapping with 'ruleset' and 'rules'")]),
    ("python-tag", "!ruleset: deadlines\nrules: !!python/object/apply:os.system ['echo unsafe']\n",
     [(2, "[R001] not valid YAML: could not determine a constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'")]),
]


def rule_file(body: str) -> str:
    return body[1:] if body.startswith("!") else "ruleset: deadlines\nrules:\n" + body


def check(rules: Path):
    return runner.invoke(app, ["rules", "--check", "--rules", str(rules)])


@pytest.mark.parametrize("name, body, problems", PROBLEMS, ids=[p[0] for p in PROBLEMS])
def test_each_rule_file_problem_is_named_with_file_and_line(tmp_path: Path, name: str, body: str, problems) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(rule_file(body), encoding="utf-8")
    result = check(tmp_path)
    details = "".join(f"{path}:{line}: {text}\n" for line, text in problems)
    assert (result.exit_code, result.stdout) == (4, "")
    assert result.stderr == f"policyscan: error: {len(problems)} problem(s) in the rule files:\n{details}"


def test_all_the_problems_of_all_the_files_at_once(tmp_path: Path) -> None:
    for name, body, _ in PROBLEMS:
        (tmp_path / f"{name}.yaml").write_text(rule_file(body), encoding="utf-8")
    result = check(tmp_path)
    expected = [f"{tmp_path / name}.yaml:{line}: {text}" for name, _, problems in PROBLEMS for line, text in problems]
    # each file after the first that loads as a deadlines ruleset is one ruleset too many in one directory
    loaded = sorted(name for name, body, _ in PROBLEMS if not body.startswith("!") and name != "malformed-yaml")
    expected += [f"{tmp_path / name}.yaml:1: [R007] ruleset 'deadlines' is also defined in {tmp_path / loaded[0]}.yaml" for name in loaded[1:]]
    lines = result.stderr.splitlines()
    assert (result.exit_code, lines[0]) == (4, f"policyscan: error: {len(expected)} problem(s) in the rule files:")
    assert sorted(lines[1:]) == sorted(expected)
    assert runner.invoke(app, ["extract", str(ROOT / "corpus" / "gansu-2015-quality-action-plan.txt"), "--rules", str(tmp_path)]).exit_code == 4


def test_yaml_is_read_with_a_safe_loader_only() -> None:
    """Every yaml.load in the package passes a loader that is the SafeLoader or a subclass of it; no other way in."""
    import yaml

    from policyscan import rules

    unsafe = {"unsafe_load", "full_load", "load_all", "unsafe_load_all", "full_load_all"}
    for path in sorted((ROOT / "src" / "policyscan").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "yaml":
                assert node.attr not in unsafe | {"Loader", "FullLoader", "UnsafeLoader"}, f"{path}: yaml.{node.attr}"
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "load" and getattr(node.func, "value", None) \
                    and getattr(node.func.value, "id", None) == "yaml":
                loader = next(k.value for k in node.keywords if k.arg == "Loader")
                assert isinstance(loader, ast.Name) and issubclass(getattr(rules, loader.id), yaml.SafeLoader), path


# ---------------------------------------------------------------- patterns that backtrack without end

CATASTROPHIC = """\
ruleset: deadlines
rules:
  - id: user.catastrophic
    description: a nested repeat, anchored at the end
    pattern: '(a+)+$'
    examples:
      match: [aaa]
"""


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    rules = tmp_path / "my-rules"
    rules.mkdir()
    (rules / "deadlines.yaml").write_text(CATASTROPHIC, encoding="utf-8")
    return rules


def long_line_document(folder: Path) -> Path:
    """A plan whose last line is 40,000 letters a and one b: (a+)+$ tries every way to split the a's."""
    path = folder / "long-line.txt"
    path.write_text("到2020年,制造业产品质量合格率达到95%以上。\n" + "a" * 40_000 + "b", encoding="utf-8")
    return path


def test_a_catastrophic_user_pattern_on_a_long_line_is_stopped_naming_the_rule_and_the_document(tmp_path: Path, hostile: Path) -> None:
    doc = long_line_document(tmp_path)
    result = runner.invoke(app, ["extract", str(doc), "--rules", str(hostile)])
    assert (result.exit_code, result.stdout) == (4, "")
    assert result.stderr == (
        f"policyscan: error: {doc}: rule 'user.catastrophic' ({hostile / 'deadlines.yaml'}:3) ran over 2 s on one text "
        "and was stopped; simplify its pattern (a nested repeat such as (a+)+ backtracks without end)\n"
    )


def test_the_same_rule_on_ordinary_text_works(tmp_path: Path, hostile: Path) -> None:
    """The rule is only slow where it backtracks: a document without a run of a's is analysed with it in the book."""
    doc = tmp_path / "plan.txt"
    doc.write_text("到2020年,制造业产品质量合格率达到95%以上。\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(doc), "--rules", str(hostile), "--format", "csv"])
    assert (result.exit_code, result.stderr) == (0, "")
    assert ",95," in result.stdout


def test_in_a_batch_it_is_that_documents_error_and_the_rest_go_on(tmp_path: Path, hostile: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    doc = long_line_document(docs)
    (docs / "plan.txt").write_text("到2020年,制造业产品质量合格率达到95%以上。\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(docs), "--rules", str(hostile), "--out", str(out), "--workers", "2"])
    assert result.exit_code == 1
    with open(out / "errors.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["path"], r["code"], r["exit_code"]) for r in rows] == [(str(doc), "rule-timeout", "4")]
    assert rows[0]["message"].startswith(f"{doc}: rule 'user.catastrophic' ({hostile / 'deadlines.yaml'}:3) ran over 2 s")
    assert (out / "documents" / "plan.txt.json").exists()


def test_the_shipped_rules_stay_on_re_and_a_users_use_regex(hostile: Path) -> None:
    import re

    import regex

    from policyscan.rules import load_rules

    book = load_rules(hostile)
    user = book["deadlines"].rule("user.catastrophic")
    assert isinstance(user.regex, regex.Pattern) and user.timeout == 2.0
    shipped = [r for rs in book.rulesets.values() for r in rs.rules if r.id != "user.catastrophic"]
    assert shipped and all(isinstance(r.regex, re.Pattern) and r.timeout is None for r in shipped)


def test_no_extractor_calls_a_rules_regex_directly() -> None:
    """Rules are matched through Rule.search/match/fullmatch/finditer, which bound a user's pattern in time."""
    import re

    calls = re.compile(r"\b(?:rule|r)\.regex\.(?:search|match|fullmatch|finditer|findall|sub)\(")
    for path in sorted((ROOT / "src" / "policyscan").rglob("*.py")):
        if path.name != "rules.py":
            assert not calls.search(path.read_text(encoding="utf-8")), path
