"""A folder -> reports, in parallel, into files and SQLite; one bad file never stops the rest.

    walk      every document under the folders, sorted; hidden files and symlink loops skipped
    gather    the same bytes (sha256) under several paths: one document, analysed once
    run       a process pool (or a Dask cluster) whose workers build one Analyzer each;
              results stream back in walk order, the same for any number of workers
    outputs   --out DIR (one JSON per document, results.jsonl, summary.csv, errors.csv,
              each written to a temporary file and renamed) and --db FILE (see db.py)
    expect    this run against a previous --out: a per-document diff of targets, tasks, deadlines

Nothing holds all reports: each result is written, compared and counted as it
arrives, and only a bounded number of documents are in flight at once.
"""
from __future__ import annotations

import collections
import csv
import dataclasses
import enum
import hashlib
import json
import os
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from policyscan import __version__
from policyscan.analyzer import DOCUMENT_SUFFIXES, Analyzer
from policyscan.errors import CATALOG, ExitCode, PolicyscanError
from policyscan.model import Err, Ok, Report, Result
from policyscan.rules import RuleBook

RESULTS = "results.jsonl"
SUMMARY = "summary.csv"
ERRORS = "errors.csv"
DOCUMENTS = "documents"  # one JSON per document, at its name + ".json"
SUMMARY_COLUMNS = ("name", "paths", "sha256", "status", "title", "province", "city", "date", "period",
                   "targets", "tasks", "deadlines", "warnings", "error")
ERROR_COLUMNS = ("path", "code", "exit_code", "message")


class FailOn(str, enum.Enum):
    """When ``batch`` exits 1: a document failed (error), also when one yielded nothing (empty), or never (none)."""

    error = "error"
    empty = "empty"
    none = "none"


class Engine(str, enum.Enum):
    local = "local"
    dask = "dask"


# ---------------------------------------------------------------- walk


@dataclasses.dataclass(frozen=True)
class Item:
    """One document to analyse: the paths its bytes were found under, first one first."""

    sha256: str  # "" when the file could not be read to hash it (the analysis then reports why)
    paths: tuple[str, ...]
    names: tuple[str, ...]  # each path relative to the folders given: how --out and --expect name it

    @property
    def path(self) -> str:
        return self.paths[0]

    @property
    def name(self) -> str:
        return self.names[0]


def _is_document(name: str) -> bool:
    return name.lower().endswith(DOCUMENT_SUFFIXES)


def walk(roots: Iterable[str], note: Callable[[str], None]) -> list[tuple[str, str]]:
    """(path, name) of every document under ``roots``, in a stable order.

    A directory is walked recursively, entries sorted by name; a file given
    directly is taken whatever its suffix. Under a directory only files with
    a suffix ``extract`` reads (.txt .text .md .html .htm .xhtml .shtml .docx
    .pdf) are documents; hidden files and directories (a name starting with
    '.'), symlink loops and broken symlinks are skipped and reported through
    ``note``. A path's name is relative to the directory the roots share.
    """
    roots = list(roots)
    for root in roots:
        if not os.path.exists(root):
            raise PolicyscanError("input-missing", path=root)
    bases = [os.path.abspath(r) if os.path.isdir(r) else os.path.dirname(os.path.abspath(r)) for r in roots]
    base = os.path.commonpath(bases)
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    others = 0

    def add(path: str) -> None:
        key = os.path.abspath(path)
        if key not in seen:
            seen.add(key)
            found.append((path, os.path.relpath(key, base)))

    def visit(directory: str, ancestors: frozenset[tuple[int, int]]) -> None:
        nonlocal others
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            note(f"{directory}: cannot list ({exc.strerror}); skipped")
            return
        for entry in entries:
            path = os.path.join(directory, entry.name)
            if entry.name.startswith("."):
                note(f"{path}: hidden; skipped")
                continue
            try:
                st = os.stat(path)
            except OSError:
                note(f"{path}: broken symlink; skipped")
                continue
            if entry.is_dir():
                key = (st.st_dev, st.st_ino)
                if key in ancestors:
                    note(f"{path}: symlink loop; skipped")
                    continue
                visit(path, ancestors | {key})
            elif _is_document(entry.name):
                add(path)
            else:
                others += 1

    for root in roots:
        if os.path.isdir(root):
            st = os.stat(root)
            visit(root, frozenset({(st.st_dev, st.st_ino)}))
        else:
            add(root)
    if others:
        suffixes = " ".join(DOCUMENT_SUFFIXES)
        note(f"{others} file(s) without a document suffix ({suffixes}); skipped (name a file to include it)")
    return found


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a named pipe or a device: opening it may block; the reader says why
            return ""
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


def gather(found: list[tuple[str, str]]) -> list[Item]:
    """Group paths by the sha256 of their bytes, in order of first appearance."""
    groups: dict[str, tuple[list[str], list[str]]] = {}
    items: list[Item | str] = []
    for path, name in found:
        sha = _sha256(path)
        if not sha:
            items.append(Item("", (path,), (name,)))
            continue
        if sha not in groups:
            groups[sha] = ([], [])
            items.append(sha)
        groups[sha][0].append(path)
        groups[sha][1].append(name)
    return [
        it if isinstance(it, Item) else Item(it, tuple(groups[it][0]), tuple(groups[it][1]))
        for it in items
    ]


# ---------------------------------------------------------------- the per-document function and its engines

_LOCAL = threading.local()  # one Analyzer per worker (process, or thread of a Dask worker)


def _init_worker(book: RuleBook, encoding: str | None) -> None:
    """Build this worker's Analyzer once, at start-up (kept for the next batch with the same rules)."""
    current = getattr(_LOCAL, "analyzer", None)
    if current is None or current.book.digest != book.digest or current.encoding != encoding:
        _LOCAL.analyzer = Analyzer(book, encoding=encoding)


def analyze_one(path: str) -> Result:
    """The per-document function every engine maps: a path -> Ok or Err, never raising."""
    return _LOCAL.analyzer.result(path)


def _dask_one(path: str, book: RuleBook, encoding: str | None) -> Result:
    _init_worker(book, encoding)
    return analyze_one(path)


def _died(path: str, reason: str) -> Err:
    exit_code, template = CATALOG["worker-died"]
    return Err(path, "worker-died", int(exit_code), template.format(path=path, reason=reason))


Unit = tuple[str, "Result | None"]  # a path to analyse, or its result when it is already known (kept, --changed-only)


def _ready(result: Result) -> Any:
    from concurrent.futures import Future

    future: Future[Result] = Future()
    future.set_result(result)
    return future


def _local_results(units: Iterator[Unit], book: RuleBook, encoding: str | None, workers: int) -> Iterator[tuple[Result, bool]]:
    """(result, analysed now) per unit, in input order, from ``workers`` processes.

    At most a few documents per worker are in flight, and a unit whose result
    is known passes through in its place. When a worker dies (a crash in a C
    extension, the OOM killer) the pool breaks and takes every document in
    flight with it: those are run again one at a time in a pool of their own,
    so the one that kills its worker again becomes that document's error and
    the rest go on. No process starts until a document needs one.
    """
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    if workers <= 1:
        for path, known in units:
            if known is None:
                _init_worker(book, encoding)
            yield (known, False) if known is not None else (analyze_one(path), True)
        return

    def pool(n: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=n, initializer=_init_worker, initargs=(book, encoding))

    limit = 4 * workers  # documents in flight: enough to keep every worker busy, few enough to keep memory flat
    executor: ProcessPoolExecutor | None = None
    alone: ProcessPoolExecutor | None = None

    def isolated(path: str) -> Result:
        nonlocal alone
        alone = alone or pool(1)
        try:
            return alone.submit(analyze_one, path).result()
        except BrokenProcessPool:
            alone.shutdown(wait=False, cancel_futures=True)
            alone = None
            return _died(path, "it was killed or crashed")

    def submit(path: str) -> Future[Result]:
        nonlocal executor
        executor = executor or pool(workers)
        try:
            return executor.submit(analyze_one, path)
        except BrokenProcessPool as exc:
            future: Future[Result] = Future()
            future.set_exception(exc)
            return future

    pending: collections.deque[tuple[str, Future[Result], bool]] = collections.deque()
    try:
        while True:
            while len(pending) < limit and (unit := next(units, None)) is not None:
                path, known = unit
                pending.append((path, submit(path), True) if known is None else (path, _ready(known), False))
            if not pending:
                return
            path, future, fresh = pending[0]
            try:
                result = future.result()
            except BrokenProcessPool:
                # the pool went down with every document in flight: what finished stands, the rest run alone
                assert executor is not None
                executor.shutdown(wait=False, cancel_futures=True)
                executor = None
                for path, future, fresh in pending:
                    done = future.done() and not future.cancelled() and future.exception() is None
                    yield (future.result() if done else isolated(path)), fresh
                pending.clear()
                continue
            pending.popleft()
            yield result, fresh
    finally:
        for ex in (executor, alone):
            if ex is not None:
                ex.shutdown(wait=True, cancel_futures=True)


def _dask_results(
    units: Iterator[Unit], book: RuleBook, encoding: str | None, workers: int, scheduler: str | None
) -> Iterator[tuple[Result, bool]]:
    """The same per-document function mapped over a Dask cluster: (result, analysed now) in input order."""
    import logging

    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise PolicyscanError("dask-missing") from None
    cluster = client = shared = None
    limit = 4 * max(1, workers)

    def connect() -> None:
        nonlocal cluster, client, shared, limit
        try:
            if scheduler:
                client = Client(scheduler, timeout="20s")
                limit = 4 * max(1, sum(client.nthreads().values()))
            else:
                cluster = LocalCluster(
                    n_workers=max(1, workers), threads_per_worker=1, processes=True,
                    dashboard_address=None, silence_logs=logging.ERROR,
                )
                client = Client(cluster)
        except OSError as exc:
            raise PolicyscanError("dask-scheduler", address=scheduler or "a local cluster", reason=exc) from None
        shared = client.scatter(book, broadcast=True)  # the rule book goes to each worker once

    pending: collections.deque = collections.deque()

    def take() -> tuple[Result, bool]:
        path, future, known = pending.popleft()
        if known is not None:
            return known, False
        try:
            return future.result(), True
        except Exception as exc:  # KilledWorker after the worker died on it, or a lost connection
            return _died(path, f"{type(exc).__name__}: {exc}"), True

    try:
        for path, known in units:
            while len(pending) >= limit:
                yield take()
            if known is None and client is None:
                connect()
            future = None if known is not None else client.submit(_dask_one, path, shared, encoding, pure=False)
            pending.append((path, future, known))
        while pending:
            yield take()
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()


# ---------------------------------------------------------------- outputs


def _dumps(data: Any, **kw: Any) -> str:
    return json.dumps(data, ensure_ascii=False, **kw)


def write_atomic(path: Path, text: str) -> None:
    """Write a whole file or nothing: a temporary file beside it, renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with open(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class _AtomicStream:
    """A file written as a stream to a temporary name and renamed only by ``commit``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        self.tmp = Path(tmp)
        self.stream: TextIO = open(fd, "w", encoding="utf-8", newline="")

    def commit(self) -> None:
        self.stream.close()
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        self.stream.close()
        self.tmp.unlink(missing_ok=True)


def _json_name(name: str) -> str:
    return f"{DOCUMENTS}/{Path(name).as_posix()}.json"


class OutDir:
    """``--out DIR``: what a run writes there, and what an earlier run left."""

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            for stale in self.path.rglob(".*.tmp"):  # left by a run that was killed
                stale.unlink()
            self.before = {row["name"] for row in read_results(self.path)} if (self.path / RESULTS).is_file() else set()
            self.results = _AtomicStream(self.path / RESULTS)
            self.summary = _AtomicStream(self.path / SUMMARY)
            self.errors = _AtomicStream(self.path / ERRORS)
        except OSError as exc:
            raise PolicyscanError("out-unwritable", path=path, reason=exc.strerror or exc) from None
        self.summary_csv = csv.writer(self.summary.stream, lineterminator="\n")
        self.summary_csv.writerow(SUMMARY_COLUMNS)
        self.errors_csv = csv.writer(self.errors.stream, lineterminator="\n")
        self.errors_csv.writerow(ERROR_COLUMNS)
        self.names: set[str] = set()

    def previous(self, item: Item, rules_digest: str) -> Report | None:
        """The Report an earlier run wrote for this document with these rules, else None."""
        try:
            data = json.loads((self.path / _json_name(item.name)).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("sha256") != item.sha256 or data.get("rules_digest") != rules_digest:
            return None
        try:
            return Report.from_dict(data)
        except (KeyError, TypeError, ValueError):
            return None

    def write(self, item: Item, result: Result, fresh: bool) -> None:
        self.names.update(item.names)
        row: dict[str, Any] = {"name": item.name, "names": list(item.names), "paths": list(item.paths), "sha256": item.sha256}
        if result.ok:
            report = result.report
            data = report.to_dict()
            if fresh or not (self.path / _json_name(item.name)).is_file():
                write_atomic(self.path / _json_name(item.name), _dumps(data, indent=2) + "\n")
            row.update(status="ok", json=_json_name(item.name), report=data, error=None)
            facts = report.document
            period = f"{facts.period.start}-{facts.period.end}" if facts.period else ""
            self.summary_csv.writerow(
                (item.name, ";".join(item.paths), item.sha256, "ok", facts.title or "", facts.province or "",
                 facts.city or "", facts.date.isoformat() if facts.date else "", period,
                 len(report.targets), len(report.tasks), len(report.deadlines), len(report.warnings), "")
            )
        else:
            row.update(status="error", json=None, report=None,
                       error={"code": result.code, "exit_code": result.exit_code, "message": result.message})
            self.summary_csv.writerow((item.name, ";".join(item.paths), item.sha256, "error", *[""] * 9, result.code))
            for path in item.paths:
                self.errors_csv.writerow((path, result.code, result.exit_code, result.message))
        self.results.stream.write(_dumps(row) + "\n")

    def commit(self) -> None:
        self.results.commit()
        self.summary.commit()
        self.errors.commit()
        for name in self.before - self.names:  # documents an earlier run wrote that are gone now
            (self.path / _json_name(name)).unlink(missing_ok=True)

    def discard(self) -> None:
        for stream in (self.results, self.summary, self.errors):
            stream.discard()


def read_results(path: str | Path) -> Iterator[dict[str, Any]]:
    """The rows of a ``--out`` folder's results.jsonl, one per document."""
    with open(Path(path) / RESULTS, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


class Database:
    """``--db FILE``: the SQLite tables of db.py, one transaction per document."""

    def __init__(self, path: str) -> None:
        from policyscan import db

        self.db = db
        self.path = path
        if os.path.isdir(path):
            raise PolicyscanError("db-unusable", path=path, reason="it is a directory")
        self.conn = db.connect(path)

    def previous(self, item: Item, rules_digest: str) -> Report | None:
        return self.db.stored(self.conn, item.sha256, rules_digest)

    def write(self, item: Item, result: Result, fresh: bool, rules_digest: str) -> None:
        if result.ok:
            if fresh or self._paths(item.sha256) != set(item.paths):
                self.db.write_report(self.conn, result.report, list(item.paths))
        else:
            self.db.write_error(self.conn, result, list(item.paths), item.sha256, __version__, rules_digest)

    def _paths(self, sha256: str) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT path FROM document_paths WHERE sha256 = ?", (sha256,))}

    def close(self) -> None:
        self.conn.close()


# ---------------------------------------------------------------- expect


TARGET_FIELDS = ("comparator", "value", "value_max", "unit", "baseline", "deadline_year", "binding", "text")
TASK_FIELDS = ("lead", "cooperating", "responsible", "deadline_year", "text")
DEADLINE_FIELDS = ("date", "kind")
DOCUMENT_FIELDS = ("title", "province", "city", "issuer", "date", "doc_number", "period")
RECORDS: tuple[tuple[str, str, Callable[[dict[str, Any]], tuple[Any, ...]], tuple[str, ...]], ...] = (
    ("targets", "target", lambda r: (r["metric"], r["section"]), TARGET_FIELDS),
    ("tasks", "task", lambda r: (r["section"], r["title"]), TASK_FIELDS),
    ("deadlines", "deadline", lambda r: (r["text"], r["section"]), DEADLINE_FIELDS),
)


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(map(str, value)) or "[]"
    if isinstance(value, dict):
        return _dumps(value, separators=(",", ":"))
    return "null" if value is None else str(value)


def _keyed(records: list[dict[str, Any]], key: Callable[[dict[str, Any]], tuple[Any, ...]]) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Records by key; a key seen again gets its occurrence number, so repeated records pair in order."""
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    counts: collections.Counter = collections.Counter()
    for r in records:
        k = key(r)
        out[(*k, counts[k])] = r
        counts[k] += 1
    return out


def _label(kind: str, key: tuple[Any, ...]) -> str:
    *parts, n = key
    text = " ".join(f"[{p}]" if i else str(p) for i, p in enumerate(parts) if p not in ("", None))
    return f"{kind} {text}" + (f" (#{n + 1})" if n else "")


def compare_reports(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """The differences between two reports (``Report.to_dict`` form) in targets, tasks, deadlines, facts."""
    lines: list[str] = []
    for field in DOCUMENT_FIELDS:
        a, b = expected["document"].get(field), actual["document"].get(field)
        if a != b:
            lines.append(f"  ~ document {field}: {_show(a)} -> {_show(b)}")
    for section, kind, key, fields in RECORDS:
        old, new = _keyed(expected.get(section, []), key), _keyed(actual.get(section, []), key)
        for k in old.keys() - new.keys():
            lines.append(f"  - {_label(kind, k)}: " + "; ".join(f"{f} {_show(old[k].get(f))}" for f in fields))
        for k in new.keys() - old.keys():
            lines.append(f"  + {_label(kind, k)}: " + "; ".join(f"{f} {_show(new[k].get(f))}" for f in fields))
        for k in old.keys() & new.keys():
            changes = [f"{f} {_show(old[k].get(f))} -> {_show(new[k].get(f))}" for f in fields if old[k].get(f) != new[k].get(f)]
            if changes:
                lines.append(f"  ~ {_label(kind, k)}: " + "; ".join(changes))
    order = {"-": 0, "+": 1, "~": 2}
    head = [x for x in lines if x.startswith("  ~ document")]
    rest = sorted((x for x in lines if not x.startswith("  ~ document")), key=lambda x: (order[x[2]], x))
    return head + rest


class Expected:
    """``--expect DIR``: a previous ``--out``, indexed by document name (reports are read one at a time)."""

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        if not (self.path / RESULTS).is_file():
            raise PolicyscanError("expect-missing", path=path)
        self.rows: dict[str, dict[str, Any]] = {}
        for row in read_results(self.path):
            slim = {k: v for k, v in row.items() if k != "report"}
            for name in row.get("names") or [row["name"]]:
                self.rows[name] = slim
        self.seen: set[str] = set()
        self.differ = 0

    def _report(self, row: dict[str, Any]) -> dict[str, Any] | None:
        try:
            return json.loads((self.path / row["json"]).read_text(encoding="utf-8"))
        except (OSError, ValueError, TypeError):
            return None

    def compare(self, item: Item, result: Result) -> list[str]:
        """Lines naming each of this document's names whose results differ from the expected ones."""
        out: list[str] = []
        actual = result.report.to_dict() if result.ok else None
        for name in item.names:
            self.seen.add(name)
            row = self.rows.get(name)
            if row is None:
                lines = [f"{name}: new document (not in {self.path})"]
            elif row["status"] != "ok" or actual is None:
                was = "ok" if row["status"] == "ok" else f"error {row['error']['code']}"
                now = "ok" if actual is not None else f"error {result.code}"  # type: ignore[union-attr]
                lines = [f"{name}: was {was}, now {now}"] if was != now else []
            else:
                expected = self._report(row)
                if expected is None:
                    lines = [f"{name}: expected report {row['json']} is missing or unreadable"]
                else:
                    diff = compare_reports(expected, actual)
                    lines = [f"{name}: changed", *diff] if diff else []
            if lines:
                self.differ += 1
                out.extend(lines)
        return out

    def missing(self) -> list[str]:
        gone = sorted(set(self.rows) - self.seen)
        self.differ += len(gone)
        return [f"{name}: missing (in {self.path}, not in this run)" for name in gone]


# ---------------------------------------------------------------- progress and summary


class Reporter:
    """Messages, progress and the closing summary, all on stderr."""

    def __init__(self, total: int, stream: TextIO | None = None, terminal: bool | None = None) -> None:
        from rich.console import Console

        self.stream = stream or sys.stderr
        self.console = Console(file=self.stream, highlight=False, soft_wrap=True, force_terminal=terminal)
        self.total = total
        self.done = 0
        self.errors = 0
        self.start = time.monotonic()
        self.bar = None
        self.step = max(1, total // 10)  # without a terminal: a line at every tenth of the documents,
        self.every = 30.0  # and at least every 30 seconds
        self.last = self.start
        if self.console.is_terminal and total:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(
                TextColumn("batch"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]} documents/s"),
                TextColumn("ETA"), TimeRemainingColumn(), TextColumn("{task.fields[errors]} failed"),
                console=self.console, transient=True,
            )
            self.task = self.bar.add_task("batch", total=total, rate="-", errors=0)
            self.bar.start()

    def say(self, kind: str, message: str) -> None:
        line = f"policyscan: {kind}: {message}"
        if self.bar is not None:
            self.bar.console.print(line, markup=False, highlight=False)
        else:
            self.stream.write(line + "\n")
            self.stream.flush()

    def write(self, text: str) -> None:
        """Text as it is (a traceback), between the progress bar's updates."""
        if self.bar is not None:
            self.bar.console.print(text.rstrip("\n"), markup=False, highlight=False)
        else:
            self.stream.write(text)
            self.stream.flush()

    def rate(self) -> float:
        elapsed = time.monotonic() - self.start
        return self.done / elapsed if elapsed > 0 else 0.0

    def advance(self, ok: bool) -> None:
        self.done += 1
        self.errors += not ok
        if self.bar is not None:
            self.bar.update(self.task, advance=1, rate=f"{self.rate():.1f}", errors=self.errors)
        elif self.done % self.step == 0 or self.done == self.total or time.monotonic() - self.last >= self.every:
            self.last = time.monotonic()
            self.say("progress", f"{self.done}/{self.total} documents, {self.errors} failed, {self.rate():.1f} documents/s")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

    def summary(self, totals: dict[str, int]) -> None:
        from rich.table import Table

        elapsed = time.monotonic() - self.start
        table = Table(title="batch", title_justify="left")
        table.add_column("")
        table.add_column("count", justify="right")
        for key, value in totals.items():
            table.add_row(key, str(value))
        table.add_row("time", f"{elapsed:.1f} s")
        table.add_row("documents/s", f"{totals['documents'] / elapsed if elapsed > 0 else 0:.1f}")
        self.console.print(table)


# ---------------------------------------------------------------- the run


@dataclasses.dataclass(frozen=True)
class Options:
    roots: tuple[str, ...]
    out: str | None = None
    db: str | None = None
    workers: int | None = None  # None: every core
    fail_on: FailOn = FailOn.error
    changed_only: bool = False
    expect: str | None = None
    rules: str | None = None
    engine: Engine = Engine.local
    scheduler: str | None = None
    encoding: str | None = None
    traceback: bool = False


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def run(options: Options, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run a batch; return its exit code (0, or 1 when a --fail-on condition held or --expect differed)."""
    from policyscan.rules import load_rules

    stdout = stdout or sys.stdout
    if options.scheduler and options.engine is not Engine.dask:
        raise PolicyscanError("usage", message="--scheduler needs --engine dask")
    if options.changed_only and not (options.out or options.db):
        raise PolicyscanError("usage", message="--changed-only needs --out or --db: they hold what the last run found")
    if options.workers is not None and options.workers < 1:
        raise PolicyscanError("usage", message="--workers must be 1 or more")
    if options.engine is Engine.dask:
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise PolicyscanError("dask-missing") from None
    book = load_rules(options.rules)  # every rule file is validated before any document is read
    digest = book.digest
    expected = Expected(options.expect) if options.expect else None  # read before --out may overwrite it

    for root in options.roots:
        if not os.path.exists(root):
            raise PolicyscanError("input-missing", path=root)
    out = OutDir(options.out) if options.out else None  # checked before the folder is walked
    database: Database | None = None
    try:
        database = Database(options.db) if options.db else None
        notes: list[str] = []
        found = walk(options.roots, notes.append)
        if not found:
            for note in notes:
                _plain_say(stderr, "skipped", note)
            raise PolicyscanError("batch-empty", paths=" ".join(options.roots))
    except BaseException:
        if out is not None:
            out.discard()
        if database is not None:
            database.close()
        raise
    items = gather(found)
    n_paths = len(found)
    del found
    reporter = Reporter(len(items), stderr)
    for note in notes:
        reporter.say("skipped", note)
    totals = collections.Counter({k: 0 for k in ("documents", "paths", "analysed", "unchanged", "targets", "tasks",
                                                  "deadlines", "errors", "empty")})
    totals["documents"], totals["paths"] = len(items), n_paths
    worst_failed = False
    diff_lines = 0

    def previous(item: Item) -> Report | None:
        if not options.changed_only or not item.sha256:
            return None
        stores = [s for s in (out, database) if s is not None]
        reports = [s.previous(item, digest) for s in stores]
        if all(r is not None and r.version == __version__ for r in reports):  # another policyscan may read differently
            return reports[0]
        return None

    def units() -> Iterator[Unit]:
        """Each document's path, with its result when the last run's is kept (not sent to the workers)."""
        for item in items:
            report = previous(item)
            yield item.path, (Ok(item.path, report) if report is not None else None)

    workers = min(options.workers or default_workers(), len(items))
    if options.engine is Engine.dask:
        stream = _dask_results(units(), book, options.encoding, workers, options.scheduler)
    else:
        stream = _local_results(units(), book, options.encoding, workers)

    completed = False
    try:
        for item, (result, fresh) in zip(items, stream, strict=True):
            totals["analysed" if fresh else "unchanged"] += 1
            if result.ok:
                report = result.report
                for warning in report.warnings if fresh else ():
                    reporter.say("warning", f"{report.source}: {warning}")
                totals["targets"] += len(report.targets)
                totals["tasks"] += len(report.tasks)
                totals["deadlines"] += len(report.deadlines)
                if not (report.targets or report.tasks or report.deadlines):
                    totals["empty"] += 1
                    if options.fail_on is FailOn.empty:
                        reporter.say("fail-on", f"{item.path}: empty (no targets, tasks or deadlines)")
                        worst_failed = True
            else:
                totals["errors"] += 1
                if options.traceback and result.traceback:
                    reporter.write(result.traceback)
                reporter.say("error", result.message + (" (also at " + ", ".join(item.paths[1:]) + ")" if len(item.paths) > 1 else ""))
                if options.fail_on is not FailOn.none:
                    worst_failed = True
            if expected is not None:
                lines = expected.compare(item, result)
                if lines:
                    diff_lines += len(lines)
                    stdout.write("\n".join(lines) + "\n")
                    stdout.flush()
            if out is not None:
                out.write(item, result, fresh)
            if database is not None:
                database.write(item, result, fresh, digest)
            reporter.advance(result.ok)
        completed = True
    finally:
        reporter.close()
        close = getattr(stream, "close", None)
        if close:
            close()
        if out is not None:
            out.commit() if completed else out.discard()
        if database is not None:
            database.close()
    if expected is not None:
        gone = expected.missing()
        if gone:
            stdout.write("\n".join(gone) + "\n")
        if expected.differ:
            reporter.say("expect", f"{expected.differ} document(s) differ from {options.expect}")
    reporter.summary(dict(totals))
    failed = worst_failed or bool(expected and expected.differ)
    return int(ExitCode.FINDINGS) if failed else int(ExitCode.OK)


def _plain_say(stream: TextIO | None, kind: str, message: str) -> None:
    (stream or sys.stderr).write(f"policyscan: {kind}: {message}\n")
