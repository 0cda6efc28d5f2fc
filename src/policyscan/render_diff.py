"""Diff -> table | json | jsonl | csv | md.

The JSON is ``Diff.to_dict`` (described in diff.py); this module lays the
same rows out for reading. The table groups target rows by category, puts
side A and side B in two columns with the verdict coloured (colour only on
a terminal), and fits 100 columns. csv has one row per target row, "maybe
the same" pair, agency and deadline date, told apart by ``kind``.
"""
from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from policyscan.diff import Diff, Entry, Row
from policyscan.render import NONE, Format, _md_table, make_console, readable, target_value

WIDTH = 100  # the table's width when the output is not a terminal
UNCOVERED = "no indicator"

STYLES = {
    "same": "green", "kept": "green",
    "a-more-ambitious": "yellow", "lowered": "red",
    "b-more-ambitious": "cyan", "raised": "green bold",
    "not-comparable": "magenta",
    "only-a": "red", "dropped": "red",
    "only-b": "blue", "new": "blue",
}  # fmt: skip


# ---------------------------------------------------------------- cells


def _baseline(e: Entry) -> str:
    b = e.target.baseline
    if b is None:
        return ""
    return f"{readable(b.value)}{e.target.unit}" + (f" ({b.year})" if b.year else "")


def _measure(e: Entry) -> str:
    return "" if e.measure == "level" else {"increase": "+", "decrease": "-", "per-year": "/yr "}.get(e.measure, "")


def commitment(e: Entry | None) -> str:
    """``>=93%`` with its measure: ``+20个`` for 新增20个, ``-5%`` for 下降5%, ``/yr >=60项`` for 每年."""
    if e is None:
        return ""
    return _measure(e) + target_value(e.target)


def _cell(e: Entry | None, indicator_name: str | None, many_sources: bool) -> Text:
    if e is None:
        return Text(NONE, style="dim")
    t = e.target
    text = Text(f"[{e.document + 1}] ", style="dim") if many_sources else Text()
    text.append(commitment(e))
    if t.deadline_year:
        text.append(f" by {t.deadline_year}")
    base = _baseline(e)
    if base:
        text.append(f"\nfrom {base}")
    if t.metric != indicator_name:
        text.append("\n" + t.metric, style="dim")
    return text


def _side_line(facts: dict[str, Any]) -> str:
    return f"{facts['label']}  ({_side_facts(facts)})"


def _side_facts(facts: dict[str, Any]) -> str:
    extra = [facts["province"] or ""]
    if facts["period"]:
        p = facts["period"]
        extra.append(str(p["start"]) if p["start"] == p["end"] else f"{p['start']}-{p['end']}")
    n = len(facts["documents"])
    extra.append(f"{n} document" + ("s" if n != 1 else ""))
    return ", ".join(x for x in extra if x)


def _summary(diff: Diff) -> str:
    return ", ".join(f"{n} {v}" for v, n in diff.summary.items()) or "no targets"


def _groups(diff: Diff) -> list[tuple[str, list[tuple[int, Row]]]]:
    groups: dict[str, list[tuple[int, Row]]] = {}
    for n, row in enumerate(diff.rows):
        groups.setdefault(row.indicator.category if row.indicator else UNCOVERED, []).append((n, row))
    return list(groups.items())


def _counts(c: dict[str, int]) -> str:
    return f"{c['lead']}/{c['cooperating']}/{c['responsible']}" if any(c.values()) else NONE


def _texts(texts: Sequence[str], count: int) -> str:
    if not count:
        return NONE
    shown = "、".join(texts[:3]) + ("…" if len(texts) > 3 else "")
    return shown + (f" ×{count}" if count > 1 else "")


# ---------------------------------------------------------------- table


def _table(title: str, columns: Sequence[tuple[str, dict[str, Any]]]) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_lines=False, pad_edge=False, expand=True)
    for name, options in columns:
        table.add_column(name, **options)
    return table


def renderable(diff: Diff) -> RenderableType:
    d = diff.to_dict()
    many_a, many_b = len(diff.a.reports) > 1, len(diff.b.reports) > 1
    parts: list[RenderableType] = []
    for name, facts, many in (("A", d["a"], many_a), ("B", d["b"], many_b)):
        parts += [Text(f"{name}  {facts['label']}", style="bold"), Text("   " + _side_facts(facts))]
        if many:  # the documents a cell's [n] refers to
            parts += [Text(f"   [{n}] {doc['source']}", style="dim") for n, doc in enumerate(facts["documents"], 1)]
    parts.append(Text("targets: " + _summary(diff)))
    for category, rows in _groups(diff):
        table = _table(
            f"{category} ({len(rows)})",
            (
                ("indicator", {"width": 20, "overflow": "fold"}),
                ("A", {"ratio": 3, "overflow": "fold"}),
                ("B", {"ratio": 3, "overflow": "fold"}),
                ("verdict", {"no_wrap": True, "min_width": 16}),
            ),
        )
        last = None
        for _, row in rows:
            name = row.indicator.name if row.indicator else None
            shown = "" if row.indicator is not None and row.indicator is last else (name or NONE)
            last = row.indicator
            table.add_row(
                Text(shown),
                _cell(row.a, name, many_a),
                _cell(row.b, name, many_b),
                Text(row.verdict, style=STYLES.get(row.verdict, "")),
            )
        parts.append(table)
    if diff.maybe_same:
        table = _table(
            "maybe the same (listed apart, not merged)",
            (("A", {"ratio": 1, "overflow": "fold"}), ("B", {"ratio": 1, "overflow": "fold"}), ("similarity", {"no_wrap": True})),
        )
        for i, j, s in diff.maybe_same:
            a, b = diff.rows[i].a, diff.rows[j].b
            assert a is not None and b is not None
            table.add_row(Text(f"{a.target.metric} {commitment(a)}"), Text(f"{b.target.metric} {commitment(b)}"), Text(f"{s:.2f}"))
        parts.append(table)
    if diff.agencies:
        table = _table(
            "agencies (tasks led/cooperating/responsible)",
            (
                ("agency", {"ratio": 3, "overflow": "fold"}),
                ("A", {"no_wrap": True}),
                ("B", {"no_wrap": True}),
                ("note", {"ratio": 3, "overflow": "fold"}),
            ),
        )
        for g in diff.agencies:
            note = f"{g.reform_year or ''} reform: was {'、'.join(g.former)}".strip() if g.reform else ""
            table.add_row(Text(g.canonical), Text(_counts(g.a)), Text(_counts(g.b)), Text(note, style="dim"))
        parts.append(table)
    if diff.deadlines:
        table = _table(
            "deadlines",
            (("date", {"no_wrap": True}), ("A", {"ratio": 1, "overflow": "fold"}), ("B", {"ratio": 1, "overflow": "fold"})),
        )
        for row in diff.deadlines:
            table.add_row(Text(row.date), Text(_texts(row.a, row.a_count)), Text(_texts(row.b, row.b_count)))
        parts.append(table)
    return Group(*parts)


# ---------------------------------------------------------------- csv and markdown

CSV_COLUMNS = (
    "kind", "category", "indicator", "name", "verdict",
    "a_metric", "a_target", "a_baseline", "a_deadline_year", "a_source",
    "b_metric", "b_target", "b_baseline", "b_deadline_year", "b_source",
    "similarity", "agency", "a_lead", "a_cooperating", "a_responsible",
    "b_lead", "b_cooperating", "b_responsible", "reform", "former",
    "date", "a_deadlines", "b_deadlines",
)  # fmt: skip


def _side_fields(prefix: str, e: Entry | None) -> dict[str, Any]:
    if e is None:
        return {}
    return {
        f"{prefix}_metric": e.target.metric,
        f"{prefix}_target": commitment(e),
        f"{prefix}_baseline": _baseline(e),
        f"{prefix}_deadline_year": e.target.deadline_year or "",
        f"{prefix}_source": e.source,
    }


def rows(diff: Diff) -> Iterable[dict[str, Any]]:
    """The flat rows csv and md are made of."""
    for row in diff.rows:
        ind = row.indicator
        yield {
            "kind": "target",
            "category": ind.category if ind else "",
            "indicator": ind.id if ind else "",
            "name": ind.name if ind else "",
            "verdict": row.verdict,
            **_side_fields("a", row.a),
            **_side_fields("b", row.b),
        }
    for i, j, s in diff.maybe_same:
        yield {"kind": "maybe-same", **_side_fields("a", diff.rows[i].a), **_side_fields("b", diff.rows[j].b), "similarity": f"{s:.2f}"}
    for g in diff.agencies:
        yield {
            "kind": "agency", "agency": g.canonical,
            **{f"a_{role}": n for role, n in g.a.items()},
            **{f"b_{role}": n for role, n in g.b.items()},
            "reform": g.reform_year or "" if g.reform else "", "former": "、".join(g.former),
        }  # fmt: skip
    for d in diff.deadlines:
        yield {"kind": "deadline", "date": d.date, "a_deadlines": "、".join(d.a), "b_deadlines": "、".join(d.b)}


def markdown(diff: Diff) -> str:
    d = diff.to_dict()
    lines = ["## diff", "", f"- A: {_side_line(d['a'])}", f"- B: {_side_line(d['b'])}", f"- targets: {_summary(diff)}", ""]
    lines += _md_table(
        ("category", "indicator", "A", "B", "verdict"),
        (
            (
                r.indicator.category if r.indicator else UNCOVERED,
                r.indicator.name if r.indicator else None,
                _md_side(r.a),
                _md_side(r.b),
                r.verdict,
            )
            for r in diff.rows
        ),
    )
    if diff.maybe_same:
        lines += ["", "### maybe the same (listed apart, not merged)", ""]
        lines += _md_table(
            ("A", "B", "similarity"),
            ((_md_side(diff.rows[i].a), _md_side(diff.rows[j].b), f"{s:.2f}") for i, j, s in diff.maybe_same),
        )
    if diff.agencies:
        lines += ["", "### agencies (tasks led/cooperating/responsible)", ""]
        lines += _md_table(
            ("agency", "A", "B", "reform"),
            ((g.canonical, _counts(g.a), _counts(g.b), f"{g.reform_year}: was {'、'.join(g.former)}" if g.reform else None) for g in diff.agencies),
        )
    if diff.deadlines:
        lines += ["", "### deadlines", ""]
        lines += _md_table(("date", "A", "B"), ((x.date, _texts(x.a, x.a_count), _texts(x.b, x.b_count)) for x in diff.deadlines))
    return "\n".join(lines) + "\n"


def _md_side(e: Entry | None) -> str | None:
    if e is None:
        return None
    year = f" by {e.target.deadline_year}" if e.target.deadline_year else ""
    return f"{commitment(e)}{year} ({e.target.metric})"


# ---------------------------------------------------------------- writing


def write(diff: Diff, fmt: Format, stream: TextIO) -> None:
    fmt = Format(fmt)
    if fmt is Format.json:
        stream.write(diff.to_json(indent=2) + "\n")
    elif fmt is Format.jsonl:
        stream.write(diff.to_json(indent=None) + "\n")
    elif fmt is Format.csv:
        writer = csv.DictWriter(stream, CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows(diff))
    elif fmt is Format.md:
        stream.write(markdown(diff))
    else:
        console = make_console(stream)
        if not console.is_terminal:
            console.width = WIDTH
        console.print(renderable(diff))
    stream.flush()


UNCOVERED_COLUMNS = ("source", "section", "metric", "target", "family", "text")


def uncovered_rows(pairs: Iterable[tuple[Any, Any]], family: Any) -> list[dict[str, Any]]:
    return [
        {
            "source": r.source,
            "section": t.section,
            "metric": t.metric,
            "target": target_value(t),
            "family": family(t.unit),
            "text": t.text,
        }
        for r, t in pairs
    ]

