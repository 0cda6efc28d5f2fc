"""The command line: exit codes, exact error lines, formats, stdin, several files."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import policyscan
from policyscan.cli import app
from policyscan.render import CSV_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "corpus").glob("*.txt"))
MORE = sorted((ROOT.parent / "shared" / "eval" / "more" / "docs").glob("*.txt"))  # beside the repository, when present
GANSU = ROOT / "corpus" / "gansu-2015-quality-action-plan.txt"
HUBEI = ROOT / "corpus" / "hubei-2020-quality-province-opinions.txt"

GUIDE_TOP = {"source", "document", "targets", "tasks", "deadlines"}
GUIDE_DOCUMENT = {"title", "province", "issuer", "date", "doc_number", "period"}
GUIDE_TARGET = {"metric", "comparator", "value", "value_max", "unit", "baseline", "deadline_year", "binding", "section", "text"}
GUIDE_TASK = {"section", "title", "lead", "cooperating", "responsible", "deadline_year", "text"}
GUIDE_DEADLINE = {"text", "date", "kind"}

runner = CliRunner()


def run(*args: str, input: bytes | str | None = None):  # noqa: A002
    return runner.invoke(app, [str(a) for a in args], input=input)


def error_lines(result) -> list[str]:
    return result.stderr.splitlines()


# ---------------------------------------------------------------- options


def test_version() -> None:
    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"policyscan {policyscan.__version__}\n")


@pytest.mark.parametrize(
    "args",
    [
        ("extract",),  # no FILE
        ("extract", "x.txt", "--format", "xml"),
        ("extract", "x.txt", "--no-such-option"),
        ("no-such-command",),
        ("normalize",),
        ("rules", "--format", "yaml"),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""


@pytest.mark.parametrize("fmt", ["JSON", "Json", "json"])
def test_format_is_case_insensitive(fmt: str) -> None:
    result = run("extract", "missing.txt", "--format", fmt)
    assert result.exit_code == 3  # got past option parsing


def test_unknown_encoding_fails_before_reading(tmp_path: Path) -> None:
    result = run("extract", tmp_path / "missing.txt", "--encoding", "klingon-8")
    assert result.exit_code == 2
    assert error_lines(result) == ["policyscan: error: unknown encoding 'klingon-8'; use a name such as utf-8, gb18030, big5"]


# ---------------------------------------------------------------- bad input: one line on stderr, exit 3


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    result = run("extract", path)
    assert result.exit_code == 3
    assert result.stdout == ""
    assert error_lines(result) == [f"policyscan: error: {path}: no such file; check the path"]


def test_directory(tmp_path: Path) -> None:
    result = run("extract", tmp_path)
    assert result.exit_code == 3
    assert error_lines(result) == [
        f"policyscan: error: {tmp_path}: is a directory; name the files inside it (e.g. {tmp_path}/*.txt)"
    ]


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    result = run("extract", path)
    assert result.exit_code == 3
    [line] = error_lines(result)
    assert line.startswith(f"policyscan: error: {path}: looks like a binary file (")
    assert line.endswith("); give a text, HTML, DOCX or PDF document")


def test_undecodable_with_forced_encoding(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("到2020年，质量发展水平显著提升。".encode("gb18030"))
    result = run("extract", path, "--encoding", "utf-8")
    assert result.exit_code == 3
    [line] = error_lines(result)
    assert line.startswith(f"policyscan: error: {path}: cannot decode as utf-8 (")
    assert line.endswith("); try another --encoding or leave it out")


def test_forced_encoding_that_fits_reads(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(GANSU.read_text(encoding="utf-8").encode("gb18030", errors="replace"))
    result = run("extract", path, "--encoding", "gb18030", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["encoding"].lower().replace("-", "") == "gb18030"


def test_several_files_one_bad(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    result = run("extract", GANSU, missing, HUBEI, "--format", "json")
    assert result.exit_code == 3
    assert error_lines(result) == [f"policyscan: error: {missing}: no such file; check the path"]
    data = json.loads(result.stdout)
    assert [Path(d["source"]).name for d in data] == [GANSU.name, HUBEI.name]


def test_several_files_all_bad_json_is_empty_array(tmp_path: Path) -> None:
    result = run("extract", tmp_path / "a.txt", tmp_path / "b.txt", "--format", "json")
    assert result.exit_code == 3
    assert len(error_lines(result)) == 2
    assert json.loads(result.stdout) == []


# ---------------------------------------------------------------- rules


BROKEN_YAML = "ruleset: deadlines\nrules:\n  - id: x\n    pattern: [unclosed\n"


def test_bad_rules_dir_fails_before_any_file(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text(BROKEN_YAML, encoding="utf-8")
    result = run("extract", tmp_path / "missing.txt", "--rules", tmp_path)
    assert result.exit_code == 4
    assert result.stdout == ""
    lines = error_lines(result)
    assert lines[0].startswith("policyscan: error: ") and lines[0].endswith("problem(s) in the rule files:")
    assert any(line.startswith(f"{tmp_path / 'broken.yaml'}:5: [R001] not valid YAML") for line in lines[1:])
    assert not any("no such file" in line for line in lines)


def test_missing_rules_dir(tmp_path: Path) -> None:
    result = run("extract", GANSU, "--rules", tmp_path / "nowhere")
    assert result.exit_code == 4
    assert error_lines(result) == [f"policyscan: error: {tmp_path / 'nowhere'}: no such rules directory; check --rules"]


def test_rules_check_reports_broken_yaml(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text(BROKEN_YAML, encoding="utf-8")
    result = run("rules", "--check", "--rules", tmp_path)
    assert result.exit_code == 4
    assert f"{tmp_path / 'broken.yaml'}:5: [R001]" in result.stderr


USER_RULES = """\
ruleset: deadlines
version: 3
description: a user's replacement
replace: true
rules:
  - id: user.by-year-end
    description: 年底前
    pattern: '(?P<year>20\\d\\d)年底前'
    emit: {kind: by}
    examples:
      match: [{text: 2018年底前完成}]
      no_match: [去年底]
"""


def test_rules_lists_a_users_ruleset(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(USER_RULES, encoding="utf-8")
    result = run("rules", "--rules", tmp_path, "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = {row["ruleset"]: row for row in json.loads(result.stdout)}
    assert rows["deadlines"] == {
        "ruleset": "deadlines",
        "version": 3,
        "rules": 1,
        "examples": 2,
        "tables": "",
        "file": str(tmp_path / "mine.yaml"),
    }


@pytest.mark.parametrize(
    "match, no_match, code",
    [
        ("去年底", "今年", "E001"),  # the match example does not match
        ("2018年底前完成", "2019年底前", "E003"),  # the no_match example matches
    ],
)
def test_rules_check_runs_examples(tmp_path: Path, match: str, no_match: str, code: str) -> None:
    text = USER_RULES.replace("2018年底前完成", match).replace("[去年底]", f"[{no_match}]")
    (tmp_path / "mine.yaml").write_text(text, encoding="utf-8")
    result = run("rules", "--check", "--rules", tmp_path)
    assert result.exit_code == 4
    assert f"[{code}] rule 'user.by-year-end'" in result.stderr
    assert result.stdout == ""


def test_rules_check_ok_says_so_on_stderr(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(USER_RULES, encoding="utf-8")
    result = run("rules", "--check", "--rules", tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("policyscan: ok: ")


# ---------------------------------------------------------------- output


@pytest.mark.parametrize("path", CORPUS + MORE, ids=lambda p: p.name)
def test_json_has_guide_keys(path: Path) -> None:
    result = run("extract", path, "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert GUIDE_TOP <= set(doc)
    assert doc["source"] == str(path)
    assert GUIDE_DOCUMENT <= set(doc["document"])
    for target in doc["targets"]:
        assert GUIDE_TARGET <= set(target)
        assert isinstance(target["value"], (int, float))
    for task in doc["tasks"]:
        assert GUIDE_TASK <= set(task)
        assert all(isinstance(name, str) for role in ("lead", "cooperating", "responsible") for name in task[role])
    for deadline in doc["deadlines"]:
        assert GUIDE_DEADLINE <= set(deadline)


def test_stdin(tmp_path: Path) -> None:
    result = run("extract", "-", "--format", "json", input=GANSU.read_bytes())
    assert result.exit_code == 0, result.stderr
    from_stdin = json.loads(result.stdout)
    from_file = json.loads(run("extract", GANSU, "--format", "json").stdout)
    assert from_stdin["source"] == "-"
    assert from_stdin["targets"] == from_file["targets"]
    assert from_stdin["document"] == from_file["document"]


def test_jsonl_one_line_per_file() -> None:
    result = run("extract", *CORPUS, "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(CORPUS)
    assert [json.loads(line)["source"] for line in lines] == [str(p) for p in CORPUS]


def test_csv() -> None:
    result = run("extract", GANSU, HUBEI, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == ",".join(CSV_COLUMNS)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {row["kind"] for row in rows} <= {"target", "task", "deadline"}
    assert {row["source"] for row in rows} <= {str(GANSU), str(HUBEI)}
    tasks = [row for row in rows if row["kind"] == "task"]
    assert not any(", " in row["lead"] for row in tasks)  # agencies are joined with 、


def test_md_headers() -> None:
    result = run("extract", GANSU, HUBEI, "--format", "md")
    assert result.exit_code == 0, result.stderr
    headers = [line.split(" (")[0] for line in result.stdout.splitlines() if line.startswith("#")]
    assert [h[:3] for h in headers] == ["## ", "###", "###", "###"] * 2
    assert [h for h in headers if h.startswith("### ")] == ["### Targets", "### Tasks", "### Deadlines"] * 2


def test_table_is_the_default() -> None:
    result = run("extract", GANSU)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("╭")
    assert "\x1b[" not in result.stdout  # no colour when stdout is not a terminal
    assert "plan period" in result.stdout


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = run("extract", GANSU, "--format", "json", "--output", out)
    assert (result.exit_code, result.stdout) == (0, "")
    assert json.loads(out.read_text(encoding="utf-8"))["source"] == str(GANSU)


def test_output_unwritable(tmp_path: Path) -> None:
    out = tmp_path / "no-such-dir" / "out.json"
    result = run("extract", GANSU, "--format", "json", "--output", out)
    assert result.exit_code == 2
    assert error_lines(result) == [
        f"policyscan: error: {out}: cannot write (No such file or directory); choose another --output"
    ]


# ---------------------------------------------------------------- internal errors


def _explode(*_args: object) -> None:
    raise ValueError("boom")


def test_internal_error_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("policyscan.analyzer.Analyzer.analyze", _explode)
    result = run("extract", GANSU)
    assert result.exit_code == 70
    assert error_lines(result) == [
        f"policyscan: error: {GANSU}: internal error (ValueError: boom); run again with --traceback and report it"
    ]


def test_traceback_option(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("policyscan.analyzer.Analyzer.analyze", _explode)
    result = run("extract", GANSU, "--traceback")
    assert result.exit_code == 70
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert error_lines(result)[-1] == f"policyscan: error: {GANSU}: internal error (ValueError: boom)"


def test_warnings_go_to_stderr(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from policyscan.model import DocumentFacts, Report

    def fake(_self: object, source: object, *_args: object) -> Report:
        return Report(str(source), "utf-8", DocumentFacts(), warnings=("a table could not be rebuilt",))

    monkeypatch.setattr("policyscan.analyzer.Analyzer.analyze", fake)
    monkeypatch.chdir(tmp_path)
    Path("doc.txt").write_text("一、总体要求\n", encoding="utf-8")
    result = run("extract", "doc.txt", "--format", "jsonl")
    assert result.exit_code == 0
    assert error_lines(result) == ["policyscan: warning: doc.txt: a table could not be rebuilt"]
    assert json.loads(result.stdout)["source"] == "doc.txt"


def test_table_to_output_file_has_no_escape_codes(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    result = run("extract", GANSU, "--output", out)
    assert (result.exit_code, result.stdout) == (0, "")
    text = out.read_text(encoding="utf-8")
    assert text.startswith("╭") and "\x1b[" not in text


# ---------------------------------------------------------------- normalize


def test_normalize_prints_simplified_text() -> None:
    result = run("normalize", GANSU)
    assert result.exit_code == 0, result.stderr
    assert "质量" in result.stdout and "質量" not in result.stdout
    assert "(一)" in result.stdout  # full-width parentheses made half-width


def test_normalize_missing_file(tmp_path: Path) -> None:
    result = run("normalize", tmp_path / "x.txt")
    assert result.exit_code == 3
    assert error_lines(result) == [f"policyscan: error: {tmp_path / 'x.txt'}: no such file; check the path"]


# ---------------------------------------------------------------- a closed pipe


@pytest.mark.parametrize("args", [["extract", str(GANSU), "--format", "jsonl"], ["normalize", str(GANSU)]])
def test_closed_pipe_is_quiet(args: list[str]) -> None:
    """``policyscan ... | head``: the reader is gone before the first write."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "policyscan", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait() == 0
    assert stderr == ""


def test_collectives_are_not_unknown_agencies() -> None:
    # Gansu names 各地人民政府 and 省质量发展领导小组各成员单位 besides known departments
    assert run("extract", GANSU, "--fail-on", "unknown-agency", "--format", "json").exit_code == 0


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv", "md"])
def test_head_of_several_documents_ends_quietly(fmt: str) -> None:
    """``policyscan extract corpus/*.txt | head -3``: the reader leaves after three lines; exit 0, nothing on stderr."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    files = [str(p) for p in sorted((ROOT / "corpus").glob("*.txt"))]
    proc = subprocess.Popen(
        [sys.executable, "-m", "policyscan", "extract", *files, "--format", fmt],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    head = [proc.stdout.readline() for _ in range(3)]
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait() == 0
    assert stderr == ""
    assert all(head)
