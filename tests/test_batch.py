"""policyscan batch: a folder into files and SQLite, the same for 1 and 2 workers and Dask, --expect, --changed-only."""
from __future__ import annotations

import csv
import json
import os
import random
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policyscan import batch, db
from policyscan.cli import app
from policyscan.model import Report
from policyscan.rules import load_rules

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "corpus").glob("*.txt"))
GANSU = ROOT / "corpus" / "gansu-2015-quality-action-plan.txt"
GOOD = sorted([p.name for p in CORPUS] + ["sub/gansu-gb18030.txt"])
BROKEN = "random.txt"

runner = CliRunner()


def run(*args: object):
    return runner.invoke(app, ["batch", *map(str, args)])


def make_folder(path: Path) -> Path:
    """The corpus, a GB18030 copy of one document in a subfolder, and a file of random bytes."""
    path.mkdir()
    for p in CORPUS:
        shutil.copy(p, path / p.name)
    (path / "sub").mkdir()
    (path / "sub" / "gansu-gb18030.txt").write_bytes(GANSU.read_text(encoding="utf-8").encode("gb18030"))
    (path / BROKEN).write_bytes(random.Random(9).randbytes(4096))
    return path


def tree(out: Path) -> dict[str, bytes]:
    """Every file under an --out folder, by relative path."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def rows(db_path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db_path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in db.TABLES}
    finally:
        conn.close()


def count(db_path: Path, sql: str) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return make_folder(tmp_path_factory.mktemp("batch") / "docs")


@pytest.fixture(scope="module")
def one_worker(folder: Path):
    """The folder with one worker (in this process), into --out and --db."""
    base = folder.parent / "w1"
    base.mkdir()
    result = run(folder, "--out", base / "out", "--db", base / "db.sqlite", "--workers", 1)
    return result, base / "out", base / "db.sqlite"


@pytest.fixture(scope="module")
def two_workers(folder: Path):
    base = folder.parent / "w2"
    base.mkdir()
    result = run(folder, "--out", base / "out", "--db", base / "db.sqlite", "--workers", 2, "--fail-on", "none")
    return result, base / "out", base / "db.sqlite"


# ---------------------------------------------------------------- the statement


def test_six_good_documents_in_the_output(one_worker) -> None:
    result, out, _ = one_worker
    documents = sorted(str(p.relative_to(out / "documents"))[: -len(".json")] for p in (out / "documents").rglob("*.json"))
    assert documents == GOOD
    results = list(batch.read_results(out))
    assert sorted(r["name"] for r in results if r["status"] == "ok") == GOOD
    assert [r["name"] for r in results if r["status"] == "error"] == [BROKEN]
    for row in results:
        if row["status"] == "ok":
            on_disk = json.loads((out / row["json"]).read_text(encoding="utf-8"))
            assert on_disk == row["report"]
            assert Report.from_dict(on_disk).to_dict() == on_disk


def test_results_follow_the_walk_order(one_worker) -> None:
    _, out, _ = one_worker
    names = [r["name"] for r in batch.read_results(out)]
    assert names == sorted([p.name for p in CORPUS] + [BROKEN]) + ["sub/gansu-gb18030.txt"]


def test_the_broken_file_is_in_errors(one_worker, folder: Path) -> None:
    result, out, db_path = one_worker
    message = f"{folder / BROKEN}: looks like a binary file (contains NUL bytes); give a text, HTML, DOCX or PDF document"
    with open(out / "errors.csv", encoding="utf-8", newline="") as f:
        assert list(csv.reader(f)) == [["path", "code", "exit_code", "message"], [str(folder / BROKEN), "input-binary", "3", message]]
    assert f"policyscan: error: {message}" in result.stderr.splitlines()
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT path, code, exit_code, message FROM errors").fetchall() == [(str(folder / BROKEN), "input-binary", 3, message)]


def test_sqlite_counts_match_the_json(one_worker) -> None:
    _, out, db_path = one_worker
    reports = [r["report"] for r in batch.read_results(out) if r["status"] == "ok"]
    assert count(db_path, "SELECT count(*) FROM documents") == len(reports) == 6
    assert count(db_path, "SELECT count(*) FROM targets") == sum(len(r["targets"]) for r in reports)
    assert count(db_path, "SELECT count(*) FROM tasks") == sum(len(r["tasks"]) for r in reports)
    assert count(db_path, "SELECT count(*) FROM deadlines") == sum(len(r["deadlines"]) for r in reports)
    assert count(db_path, "SELECT count(*) FROM task_agencies") == sum(len(t["agencies"]) for r in reports for t in r["tasks"])
    assert count(db_path, "SELECT count(*) FROM errors") == 1
    assert count(db_path, "SELECT count(*) FROM targets_by_province") == sum(len(r["targets"]) for r in reports)


def test_exit_1_by_default_and_0_with_fail_on_none(one_worker, two_workers) -> None:
    assert one_worker[0].exit_code == 1
    assert two_workers[0].exit_code == 0


def test_one_and_two_workers_give_identical_results(one_worker, two_workers) -> None:
    assert tree(one_worker[1]) == tree(two_workers[1])
    assert rows(one_worker[2]) == rows(two_workers[2])


def test_the_dask_engine_gives_identical_results(one_worker, folder: Path) -> None:
    out = folder.parent / "dask-out"
    result = run(folder, "--out", out, "--engine", "dask", "--workers", 2)
    assert result.exit_code == 1, result.stderr
    assert tree(out) == tree(one_worker[1])


def test_expect_passes_on_an_unchanged_folder(one_worker, folder: Path) -> None:
    result = run(folder, "--expect", one_worker[1], "--workers", 1, "--fail-on", "none")
    assert (result.exit_code, result.stdout) == (0, "")


def test_expect_fails_naming_the_document_when_one_number_is_edited(one_worker, folder: Path) -> None:
    edited = folder.parent / "edited"
    shutil.copytree(folder, edited)
    path = edited / GANSU.name
    text = path.read_text(encoding="utf-8")
    assert text.count("創新平台20個") == 1
    path.write_text(text.replace("創新平台20個", "創新平台25個"), encoding="utf-8")
    result = run(edited, "--expect", one_worker[1], "--workers", 1, "--fail-on", "none")
    metric = "新建省级重点实验室、工程(技术)研究中心、企业技术中心等创新平台"
    assert result.exit_code == 1
    assert result.stdout == (
        f"{GANSU.name}: changed\n"
        f"  ~ target {metric} [三、(十二)]: value 20 -> 25; text {metric}20个 -> {metric}25个\n"
    )
    assert f"policyscan: expect: 1 document(s) differ from {one_worker[1]}" in result.stderr.splitlines()


# ---------------------------------------------------------------- walk and duplicates


def test_walk_skips_hidden_files_loops_and_other_suffixes(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("b/z.txt", "b/a.md", "a.html", ".hidden.txt", ".git/x.txt", "notes.csv", "README"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "b" / "loop").symlink_to("..")
    (tmp_path / "gone.txt").symlink_to("nowhere.txt")
    notes: list[str] = []
    found = batch.walk([str(tmp_path), str(tmp_path / "README")], notes.append)
    assert [name for _, name in found] == ["a.html", "b/a.md", "b/z.txt", "README"]
    assert [path for path, _ in found][0] == str(tmp_path / "a.html")
    assert notes == [
        f"{tmp_path}/.git: hidden; skipped",
        f"{tmp_path}/.hidden.txt: hidden; skipped",
        f"{tmp_path}/b/loop: symlink loop; skipped",
        f"{tmp_path}/gone.txt: broken symlink; skipped",
        "2 file(s) without a document suffix (.txt .text .md .html .htm .xhtml .shtml .docx .pdf); skipped (name a file to include it)",
    ]


SMALL = "关于推进质量工作的通知\n一、主要目标\n到2020年，产品质量合格率稳定在93%以上。\n"
NOTHING = "关于召开会议的通知\n请各单位按时参加。\n"


def test_the_same_bytes_twice_are_analysed_once_and_listed_under_both_paths(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "a.txt").write_text(SMALL, encoding="utf-8")
    (docs / "sub" / "copy.txt").write_text(SMALL, encoding="utf-8")
    out, db_path = tmp_path / "out", tmp_path / "db.sqlite"
    result = run(docs, "--out", out, "--db", db_path, "--workers", 1)
    assert result.exit_code == 0, result.stderr
    [row] = list(batch.read_results(out))
    assert (row["name"], row["names"], row["paths"]) == ("a.txt", ["a.txt", "sub/copy.txt"], [str(docs / "a.txt"), str(docs / "sub" / "copy.txt")])
    assert sorted(tree(out)) == ["documents/a.txt.json", "errors.csv", "results.jsonl", "summary.csv"]
    assert [r[0] for r in rows(db_path)["document_paths"]] == [str(docs / "a.txt"), str(docs / "sub" / "copy.txt")]
    assert count(db_path, "SELECT count(*) FROM documents") == 1
    assert re.search(r"│ documents +│ +1 │", result.stderr) and re.search(r"│ paths +│ +2 │", result.stderr)


def test_fail_on_empty(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(SMALL, encoding="utf-8")
    (docs / "meeting.txt").write_text(NOTHING, encoding="utf-8")
    assert run(docs, "--workers", 1).exit_code == 0
    result = run(docs, "--workers", 1, "--fail-on", "empty")
    assert result.exit_code == 1
    assert f"policyscan: fail-on: {docs / 'meeting.txt'}: empty (no targets, tasks or deadlines)" in result.stderr.splitlines()


def test_plain_progress_lines_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(SMALL, encoding="utf-8")
    (docs / "b.txt").write_text(NOTHING, encoding="utf-8")
    result = run(docs, "--workers", 1)
    progress = [line for line in result.stderr.splitlines() if line.startswith("policyscan: progress:")]
    assert [re.sub(r"[\d.]+ documents/s", "R documents/s", line) for line in progress] == [
        "policyscan: progress: 1/2 documents, 0 failed, R documents/s",
        "policyscan: progress: 2/2 documents, 0 failed, R documents/s",
    ]
    for label in ("documents", "targets", "tasks", "deadlines", "errors", "time", "documents/s"):
        assert re.search(rf"│ {re.escape(label)} +│", result.stderr), label


# ---------------------------------------------------------------- --changed-only


@pytest.mark.parametrize("workers", [1, 2])
def test_changed_only_analyses_only_what_changed(tmp_path: Path, workers: int) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(SMALL, encoding="utf-8")
    (docs / "b.txt").write_text(SMALL.replace("93%", "90%"), encoding="utf-8")
    out, db_path = tmp_path / "out", tmp_path / "db.sqlite"
    first = run(docs, "--out", out, "--db", db_path, "--workers", workers)
    before = tree(out), rows(db_path)
    again = run(docs, "--out", out, "--db", db_path, "--workers", workers, "--changed-only")
    assert again.exit_code == 0
    assert re.search(r"│ analysed +│ +0 │", again.stderr) and re.search(r"│ unchanged +│ +2 │", again.stderr)
    assert (tree(out), rows(db_path)) == before
    (docs / "b.txt").write_text(SMALL.replace("93%", "95%"), encoding="utf-8")
    third = run(docs, "--out", out, "--db", db_path, "--workers", workers, "--changed-only")
    assert re.search(r"│ analysed +│ +1 │", third.stderr) and re.search(r"│ unchanged +│ +1 │", third.stderr)
    values = [r["report"]["targets"][0]["value"] for r in batch.read_results(out)]
    assert values == [93, 95]
    assert [r[0] for r in sqlite3.connect(db_path).execute("SELECT value FROM targets ORDER BY value")] == [93, 95]
    assert count(db_path, "SELECT count(*) FROM documents") == 2  # the old b.txt went with its path
    assert first.exit_code == 0


def test_changed_only_runs_again_after_another_policyscan_version(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(SMALL, encoding="utf-8")
    out = tmp_path / "out"
    run(docs, "--out", out, "--workers", 1)
    stored = out / "documents" / "a.txt.json"
    data = json.loads(stored.read_text(encoding="utf-8"))
    stored.write_text(json.dumps({**data, "policyscan": "0.0.1"}), encoding="utf-8")
    result = run(docs, "--out", out, "--workers", 1, "--changed-only")
    assert re.search(r"│ analysed +│ +1 │", result.stderr), result.stderr
    assert json.loads(stored.read_text(encoding="utf-8")) == data


def test_changed_only_runs_again_when_the_rules_change(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(SMALL, encoding="utf-8")
    rules = tmp_path / "rules"
    rules.mkdir()
    shipped = ROOT / "rules" / "units.yaml"
    (rules / "units.yaml").write_text(shipped.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    db_path = tmp_path / "db.sqlite"
    run(docs, "--db", db_path, "--workers", 1)
    result = run(docs, "--db", db_path, "--workers", 1, "--changed-only", "--rules", rules)
    assert re.search(r"│ analysed +│ +1 │", result.stderr), result.stderr
    digests = {r[0] for r in sqlite3.connect(db_path).execute("SELECT rules_digest FROM documents")}
    assert digests == {load_rules(str(rules)).digest} != {load_rules().digest}


# ---------------------------------------------------------------- a worker that dies


def test_a_worker_that_dies_is_that_documents_error(tmp_path: Path, monkeypatch) -> None:
    from policyscan.analyzer import Analyzer

    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a.txt", "b.txt", "c.txt", "d.txt"):
        (docs / name).write_text(SMALL.replace("93", str(90 + ord(name[0]) - ord("a"))), encoding="utf-8")
    (docs / "crash.txt").write_text(SMALL.replace("93", "80"), encoding="utf-8")
    original = Analyzer.result

    def result(self, source, encoding=None):
        if str(source).endswith("crash.txt"):
            os._exit(9)  # as a segfault or the OOM killer would
        return original(self, source, encoding)

    import multiprocessing

    monkeypatch.setattr(Analyzer, "result", result)
    method = multiprocessing.get_start_method()
    multiprocessing.set_start_method("fork", force=True)  # the workers are forked from this process, patch and all
    try:
        out = tmp_path / "out"
        code = batch.run(batch.Options(roots=(str(docs),), out=str(out), workers=2))
    finally:
        multiprocessing.set_start_method(method, force=True)
    assert code == 1
    got = [(r["name"], r["status"], r["error"] and r["error"]["code"]) for r in batch.read_results(out)]
    assert got == [("a.txt", "ok", None), ("b.txt", "ok", None), ("c.txt", "ok", None),
                   ("crash.txt", "error", "worker-died"), ("d.txt", "ok", None)]


# ---------------------------------------------------------------- the database


def test_reports_from_db_give_back_the_reports(one_worker) -> None:
    _, out, db_path = one_worker
    by_path = {r["paths"][0]: Report.from_dict(r["report"]) for r in batch.read_results(out) if r["status"] == "ok"}
    assert db.reports_from_db(db_path) == [by_path[p] for p in sorted(by_path)]
    hubei = db.reports_from_db(db_path, province="湖北省")
    assert sorted(Path(r.source).name for r in hubei) == [p.name for p in CORPUS if p.name.startswith("hubei")]
    for period in ((2016, 2020), "2016-2020"):
        assert all(r.document.period and (r.document.period.start, r.document.period.end) == (2016, 2020)
                   for r in db.reports_from_db(db_path, period=period))
    assert db.reports_from_db(db_path, province="no such province") == []


def test_schema_has_foreign_keys_indexes_and_views(one_worker) -> None:
    conn = sqlite3.connect(one_worker[2])
    names = {(t, n) for t, n in conn.execute("SELECT type, name FROM sqlite_master")}
    assert {("index", "documents_province"), ("index", "targets_metric"), ("index", "task_agencies_canonical")} <= names
    assert {("view", "targets_by_province"), ("view", "agency_workload"), ("view", "deadlines_by_year")} <= names
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    columns = [r[1] for r in conn.execute("PRAGMA table_info(documents)")]
    assert columns[:10] == ["sha256", "path", "title", "province", "city", "date", "period_start", "period_end", "issuer", "doc_number"]
    assert {"policyscan_version", "rules_digest", "report_json"} <= set(columns)
    top = conn.execute("SELECT agency, role, tasks FROM agency_workload LIMIT 1").fetchone()
    assert top == ("省质量技术监督局", "lead", max(r[0] for r in conn.execute("SELECT tasks FROM agency_workload")))


# ---------------------------------------------------------------- usage and bad input


@pytest.mark.parametrize(
    "args, code, message",
    [
        (("--scheduler", "tcp://x:1"), 2, "--scheduler needs --engine dask"),
        (("--changed-only",), 2, "--changed-only needs --out or --db: they hold what the last run found"),
        (("--workers", "0"), 2, "--workers must be 1 or more"),
        (("--expect", "{tmp}"), 2, "{tmp}: no results.jsonl, so not the --out of an earlier batch; run batch --out {tmp} first"),
    ],
)
def test_usage_errors(tmp_path: Path, args: tuple[str, ...], code: int, message: str) -> None:
    (tmp_path / "a.txt").write_text(SMALL, encoding="utf-8")
    result = run(tmp_path, *(a.format(tmp=tmp_path) for a in args))
    assert (result.exit_code, result.stdout, result.stderr) == (code, "", f"policyscan: error: {message.format(tmp=tmp_path)}\n")


def test_a_missing_folder_and_a_folder_without_documents(tmp_path: Path) -> None:
    result = run(tmp_path / "nowhere")
    assert (result.exit_code, result.stderr) == (3, f"policyscan: error: {tmp_path / 'nowhere'}: no such file; check the path\n")
    (tmp_path / "notes.csv").write_text("x", encoding="utf-8")
    result = run(tmp_path)
    assert result.exit_code == 3
    assert result.stderr.splitlines()[-1] == f"policyscan: error: {tmp_path}: no documents found (.txt .md .html .docx .pdf …); check the folder"


def test_an_out_that_is_a_file_is_refused_before_any_work(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(SMALL, encoding="utf-8")
    (tmp_path / "out").write_text("", encoding="utf-8")
    result = run(tmp_path / "a.txt", "--out", tmp_path / "out")
    assert (result.exit_code, result.stderr) == (2, f"policyscan: error: {tmp_path / 'out'}: cannot write (File exists); choose another --out\n")


def test_a_database_of_something_else_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(SMALL, encoding="utf-8")
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    result = run(tmp_path / "a.txt", "--db", other)
    assert (result.exit_code, result.stderr) == (2, f"policyscan: error: {other}: not a policyscan database (it holds other tables); choose another --db\n")


# ---------------------------------------------------------------- killed halfway, then resumed


def test_a_run_killed_halfway_resumes_with_changed_only_to_the_same_results(one_worker, folder: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    base = folder.parent / "killed"
    out, db_path = base / "out", base / "db.sqlite"
    args = ["batch", str(folder), "--out", str(out), "--db", str(db_path), "--workers", "1"]
    proc = subprocess.Popen([sys.executable, "-m", "policyscan", *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120  # a bound on waiting, not a measurement
        # the second document's JSON means the first document is in both --out and --db
        while len(list((out / "documents").glob("*.json"))) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    written = sorted(p.name for p in (out / "documents").rglob("*.json"))
    assert 2 <= len(written) < len(GOOD)  # killed halfway
    assert not (out / "results.jsonl").exists() and not (out / "summary.csv").exists()  # no half files
    for p in (out / "documents").rglob("*.json"):
        json.loads(p.read_text(encoding="utf-8"))
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    for n_targets, report_json in conn.execute("SELECT n_targets, report_json FROM documents"):
        assert n_targets == len(json.loads(report_json)["targets"])
    kept = conn.execute("SELECT count(*) FROM documents").fetchone()[0]  # a document in both stores is not analysed again
    conn.close()
    assert kept >= 1

    result = run(*args[1:], "--changed-only")
    assert result.exit_code == 1  # the random bytes, as before
    assert re.search(rf"│ unchanged +│ +{kept} │", result.stderr), result.stderr
    assert tree(out) == tree(one_worker[1])
    assert rows(db_path) == rows(one_worker[2])


def test_the_readme_queries_run_and_answer(one_worker) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [block] = re.findall(r"```sql\n(.*?)```", readme, flags=re.S)
    queries = [q.strip() for q in block.split(";") if q.strip()]
    assert len(queries) == 3
    conn = sqlite3.connect(one_worker[2])
    for query in queries:
        assert conn.execute(query).fetchall(), query


def test_a_progress_bar_on_a_terminal() -> None:
    import io

    stream = io.StringIO()
    reporter = batch.Reporter(3, stream, terminal=True)
    reporter.say("error", "x.txt: broken")
    for ok in (True, False, True):
        reporter.advance(ok)
    reporter.bar.refresh()
    reporter.close()
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", stream.getvalue())
    assert "policyscan: error: x.txt: broken" in text
    assert re.search(r"batch .*3/3 [\d.]+ documents/s ETA .* 1 failed", text), text
    assert "policyscan: progress:" not in text


def test_expect_and_out_the_same_folder_updates_the_expected_results(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(SMALL, encoding="utf-8")
    (docs / "b.txt").write_text(SMALL.replace("93%", "90%"), encoding="utf-8")
    expected = tmp_path / "expected"
    assert run(docs, "--out", expected, "--workers", 1).exit_code == 0
    (docs / "b.txt").write_text(SMALL.replace("93%", "95%"), encoding="utf-8")
    (docs / "a.txt").unlink()
    (docs / "c.txt").write_text(NOTHING, encoding="utf-8")
    result = run(docs, "--expect", expected, "--out", expected, "--workers", 1)
    assert result.exit_code == 1
    assert result.stdout == (
        "b.txt: changed\n"
        "  ~ target 产品质量合格率 [一、]: value 90 -> 95; text 产品质量合格率稳定在90%以上 -> 产品质量合格率稳定在95%以上\n"
        f"c.txt: new document (not in {expected})\n"
        f"a.txt: missing (in {expected}, not in this run)\n"
    )
    assert sorted(tree(expected)) == ["documents/b.txt.json", "documents/c.txt.json", "errors.csv", "results.jsonl", "summary.csv"]
    again = run(docs, "--expect", expected, "--workers", 1)
    assert (again.exit_code, again.stdout) == (0, "")


def test_the_dask_engine_on_a_running_scheduler(tmp_path: Path) -> None:
    """--scheduler: a cluster started elsewhere, here one worker process with two threads (an Analyzer per thread)."""
    import logging

    from distributed import LocalCluster

    docs = tmp_path / "docs"
    docs.mkdir()
    for i, value in enumerate((90, 91, 92, 93)):
        (docs / f"{i}.txt").write_text(SMALL.replace("93", str(value)), encoding="utf-8")
    (docs / "meeting.txt").write_text(NOTHING, encoding="utf-8")
    local = run(docs, "--out", tmp_path / "local", "--workers", 1)
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None, silence_logs=logging.ERROR) as cluster:
        result = run(docs, "--out", tmp_path / "dask", "--engine", "dask", "--scheduler", cluster.scheduler_address)
        assert (local.exit_code, result.exit_code) == (0, 0), result.stderr
        assert tree(tmp_path / "dask") == tree(tmp_path / "local")
        (docs / "2.txt").write_text(SMALL.replace("93", "99"), encoding="utf-8")
        again = run(docs, "--out", tmp_path / "dask", "--engine", "dask", "--scheduler", cluster.scheduler_address, "--changed-only")
    assert re.search(r"│ analysed +│ +1 │", again.stderr) and re.search(r"│ unchanged +│ +4 │", again.stderr), again.stderr
    values = [r["report"]["targets"][0]["value"] for r in batch.read_results(tmp_path / "dask") if r["report"]["targets"]]
    assert values == [90, 91, 99, 93]


@pytest.mark.parametrize("every, lines", [(None, ["3/30", "6/30", "9/30", "12/30", "15/30", "18/30", "21/30", "24/30", "27/30", "30/30"]),
                                          (0.0, [f"{n}/30" for n in range(1, 31)])])
def test_plain_progress_comes_every_tenth_and_every_so_often(every: float | None, lines: list[str]) -> None:
    import io

    stream = io.StringIO()
    reporter = batch.Reporter(30, stream)
    if every is not None:
        reporter.every = every  # as if that much time had passed between documents
    for _ in range(30):
        reporter.advance(True)
    got = [line.split()[2] for line in stream.getvalue().splitlines()]
    assert got == lines
