"""Reports in SQLite: the schema ``batch --db`` writes and the way back to Reports.

Plain tables with foreign keys, so the file opens in Datasette and
sqlite-utils as is. A document is keyed by the sha256 of its bytes; every
path it was found under is a row of ``document_paths``. Writing a document
replaces all its rows in one transaction, so a re-run (or a run killed
halfway and started again) never leaves a document half written.

    documents       one row per document: facts, versions and report_json
                    (the Report contract, ``Report.to_dict()``, as JSON)
    document_paths  path -> sha256, one row per path a document was found under
    targets         one row per target
    tasks           one row per task; lead/cooperating/responsible joined with 、
    task_agencies   one row per agency and role of a task: canonical name, successor
    deadlines       one row per deadline of the document
    errors          one row per path that could not be analysed

Views: ``targets_by_province``, ``agency_workload``, ``deadlines_by_year``.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from policyscan.errors import PolicyscanError
from policyscan.model import Err, Period, Report, number

SCHEMA_VERSION = 1  # PRAGMA user_version of a policyscan database

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    sha256 TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    title TEXT,
    province TEXT,
    city TEXT,
    date TEXT,
    period_start INTEGER,
    period_end INTEGER,
    issuer TEXT,
    doc_number TEXT,
    encoding TEXT,
    n_targets INTEGER NOT NULL,
    n_tasks INTEGER NOT NULL,
    n_deadlines INTEGER NOT NULL,
    policyscan_version TEXT NOT NULL,
    rules_digest TEXT NOT NULL,
    report_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS document_paths (
    path TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL REFERENCES documents(sha256) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS targets (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL REFERENCES documents(sha256) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    metric TEXT NOT NULL,
    comparator TEXT NOT NULL,
    value NUMERIC NOT NULL,
    value_max NUMERIC,
    value_exact TEXT NOT NULL,
    unit TEXT,
    baseline_value NUMERIC,
    baseline_year INTEGER,
    deadline_year INTEGER,
    binding TEXT,
    section TEXT,
    text TEXT,
    span_start INTEGER,
    span_end INTEGER,
    rule TEXT
);
CREATE TABLE IF NOT EXISTS tasks (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL REFERENCES documents(sha256) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    section TEXT,
    title TEXT,
    lead TEXT,
    cooperating TEXT,
    responsible TEXT,
    deadline_year INTEGER,
    text TEXT,
    span_start INTEGER,
    span_end INTEGER
);
CREATE TABLE IF NOT EXISTS task_agencies (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    sha256 TEXT NOT NULL REFERENCES documents(sha256) ON DELETE CASCADE,
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    canonical TEXT,
    known INTEGER NOT NULL,
    successor TEXT,
    reform_year INTEGER,
    kind TEXT,
    span_start INTEGER,
    span_end INTEGER
);
CREATE TABLE IF NOT EXISTS deadlines (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL REFERENCES documents(sha256) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    text TEXT NOT NULL,
    date TEXT,
    kind TEXT NOT NULL,
    section TEXT,
    context TEXT,
    rule TEXT,
    span_start INTEGER,
    span_end INTEGER
);
CREATE TABLE IF NOT EXISTS errors (
    path TEXT PRIMARY KEY,
    sha256 TEXT,
    code TEXT NOT NULL,
    exit_code INTEGER NOT NULL,
    message TEXT NOT NULL,
    policyscan_version TEXT NOT NULL,
    rules_digest TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_province ON documents(province);
CREATE INDEX IF NOT EXISTS document_paths_sha256 ON document_paths(sha256);
CREATE INDEX IF NOT EXISTS targets_sha256 ON targets(sha256);
CREATE INDEX IF NOT EXISTS targets_metric ON targets(metric);
CREATE INDEX IF NOT EXISTS tasks_sha256 ON tasks(sha256);
CREATE INDEX IF NOT EXISTS task_agencies_task ON task_agencies(task_id);
CREATE INDEX IF NOT EXISTS task_agencies_sha256 ON task_agencies(sha256);
CREATE INDEX IF NOT EXISTS task_agencies_canonical ON task_agencies(canonical);
CREATE INDEX IF NOT EXISTS task_agencies_name ON task_agencies(name);
CREATE INDEX IF NOT EXISTS deadlines_sha256 ON deadlines(sha256);
CREATE INDEX IF NOT EXISTS deadlines_date ON deadlines(date);
CREATE VIEW IF NOT EXISTS targets_by_province AS
    SELECT d.province, d.city, d.title, d.path, d.period_start, d.period_end,
           t.metric, t.comparator, t.value, t.value_max, t.unit, t.deadline_year, t.binding, t.section, t.text
    FROM targets t JOIN documents d ON d.sha256 = t.sha256
    ORDER BY d.province, d.path, t.ordinal;
CREATE VIEW IF NOT EXISTS agency_workload AS
    SELECT coalesce(a.canonical, a.name) AS agency, a.successor, a.role,
           count(DISTINCT a.task_id) AS tasks, count(DISTINCT a.sha256) AS documents
    FROM task_agencies a
    GROUP BY coalesce(a.canonical, a.name), a.successor, a.role
    ORDER BY tasks DESC, agency, a.role;
CREATE VIEW IF NOT EXISTS deadlines_by_year AS
    SELECT substr(x.date, 1, 4) AS year, x.kind, count(*) AS deadlines, count(DISTINCT x.sha256) AS documents
    FROM deadlines x
    WHERE x.date IS NOT NULL
    GROUP BY substr(x.date, 1, 4), x.kind
    ORDER BY year, x.kind;
"""

TABLES = ("documents", "document_paths", "targets", "tasks", "task_agencies", "deadlines", "errors")


def connect(path: str | Path) -> sqlite3.Connection:
    """Open (creating when new) a policyscan database; refuse a file that is something else."""
    try:
        conn = sqlite3.connect(str(path), isolation_level=None)
        conn.execute("PRAGMA foreign_keys = ON")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise PolicyscanError("db-unusable", path=path, reason=exc) from None
    if version not in (0, SCHEMA_VERSION) or (version == 0 and tables):
        conn.close()
        reason = f"schema version {version}" if version else "it holds other tables"
        raise PolicyscanError("db-unusable", path=path, reason=reason)
    if version == 0:
        conn.executescript(f"BEGIN; {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")
    return conn


def _span(span: object) -> tuple[int | None, int | None]:
    return (span.start, span.end) if span is not None else (None, None)  # type: ignore[attr-defined]


def _forget_paths(conn: sqlite3.Connection, paths: Iterable[str], keep: str | None = None) -> None:
    """Drop these paths' rows; a document no path leads to any more goes with them (its rows cascade)."""
    for path in paths:
        row = conn.execute("SELECT sha256 FROM document_paths WHERE path = ?", (path,)).fetchone()
        conn.execute("DELETE FROM document_paths WHERE path = ?", (path,))
        conn.execute("DELETE FROM errors WHERE path = ?", (path,))
        if row and row[0] != keep and not conn.execute("SELECT 1 FROM document_paths WHERE sha256 = ?", row).fetchone():
            conn.execute("DELETE FROM documents WHERE sha256 = ?", row)


def write_report(conn: sqlite3.Connection, report: Report, paths: list[str]) -> None:
    """Replace the rows of ``report``'s document (found under ``paths``) in one transaction."""
    sha = report.sha256
    facts = report.document
    period = facts.period
    conn.execute("BEGIN")
    try:
        _forget_paths(conn, paths, keep=sha)
        conn.execute("DELETE FROM documents WHERE sha256 = ?", (sha,))
        conn.execute(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                sha, paths[0], facts.title, facts.province, facts.city,
                facts.date.isoformat() if facts.date else None,
                period.start if period else None, period.end if period else None,
                facts.issuer, facts.doc_number, report.encoding,
                len(report.targets), len(report.tasks), len(report.deadlines),
                report.version, report.rules_digest,
                json.dumps(report.to_dict(), ensure_ascii=False),
            ),
        )
        conn.executemany("INSERT INTO document_paths VALUES (?, ?)", [(p, sha) for p in paths])
        conn.executemany(
            "INSERT INTO targets (sha256, ordinal, metric, comparator, value, value_max, value_exact, unit,"
            " baseline_value, baseline_year, deadline_year, binding, section, text, span_start, span_end, rule)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    sha, i, t.metric, t.comparator, number(t.value), number(t.value_max), str(t.value), t.unit,
                    number(t.baseline.value) if t.baseline else None, t.baseline.year if t.baseline else None,
                    t.deadline_year, t.binding, t.section, t.text, *_span(t.span), t.rule,
                )
                for i, t in enumerate(report.targets)
            ],
        )
        for i, task in enumerate(report.tasks):
            task_id = conn.execute(
                "INSERT INTO tasks (sha256, ordinal, section, title, lead, cooperating, responsible, deadline_year,"
                " text, span_start, span_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    sha, i, task.section, task.title,
                    "、".join(a.name for a in task.lead),
                    "、".join(a.name for a in task.cooperating),
                    "、".join(a.name for a in task.responsible),
                    task.deadline_year, task.text, *_span(task.span),
                ),
            ).lastrowid
            conn.executemany(
                "INSERT INTO task_agencies (task_id, sha256, role, name, canonical, known, successor, reform_year,"
                " kind, span_start, span_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (task_id, sha, role, a.name, a.canonical, int(a.known), a.successor, a.reform_year, a.kind, *_span(a.span))
                    for role, agencies in (("lead", task.lead), ("cooperating", task.cooperating), ("responsible", task.responsible))
                    for a in agencies
                ],
            )
        conn.executemany(
            "INSERT INTO deadlines (sha256, ordinal, text, date, kind, section, context, rule, span_start, span_end)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (sha, i, d.text, d.date.isoformat() if d.date else None, d.kind, d.section, d.context, d.rule, *_span(d.span))
                for i, d in enumerate(report.deadlines)
            ],
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def write_error(conn: sqlite3.Connection, err: Err, paths: list[str], sha256: str, version: str, rules_digest: str) -> None:
    """Record that the document under ``paths`` could not be analysed (its earlier rows, if any, go)."""
    conn.execute("BEGIN")
    try:
        _forget_paths(conn, paths)
        conn.executemany(
            "INSERT INTO errors VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(p, sha256 or None, err.code, err.exit_code, err.message, version, rules_digest) for p in paths],
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def stored(conn: sqlite3.Connection, sha256: str, rules_digest: str) -> Report | None:
    """The Report kept for this document when it was made with these rules, else None."""
    row = conn.execute(
        "SELECT report_json FROM documents WHERE sha256 = ? AND rules_digest = ?", (sha256, rules_digest)
    ).fetchone()
    return Report.from_dict(json.loads(row[0])) if row else None


def reports_from_db(path: str | Path, province: str | None = None, period: int | str | tuple[int, int] | Period | None = None) -> list[Report]:
    """The Reports kept in a ``batch --db`` database, ordered by path.

    ``province`` keeps documents of that province (as written in the
    ``province`` column, e.g. 湖北省). ``period`` keeps documents whose plan
    period is exactly (start, end) — a ``Period``, a tuple or "2016-2020" —
    or, given one year, whose period includes it.
    """
    if not Path(path).is_file():
        raise PolicyscanError("db-unusable", path=path, reason="no such file")
    conn = connect(path)
    try:
        where, args = [], []
        if province is not None:
            where.append("province = ?")
            args.append(province)
        if period is not None:
            if isinstance(period, str) and "-" in period:
                period = tuple(int(x) for x in period.split("-", 1))  # type: ignore[assignment]
            if isinstance(period, Period):
                period = (period.start, period.end)
            if isinstance(period, tuple):
                where.append("period_start = ? AND period_end = ?")
                args.extend(period)
            else:
                where.append("period_start <= ? AND period_end >= ?")
                args.extend((int(period), int(period)))
        sql = "SELECT report_json FROM documents" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY path"
        return [Report.from_dict(json.loads(row[0])) for row in conn.execute(sql, args)]
    finally:
        conn.close()
