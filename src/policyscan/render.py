"""Report -> table | json | jsonl | csv | md.

The JSON is the Report contract itself (``Report.to_dict`` in model.py);
this module only lays records out for reading.
A ``Writer`` takes reports one at a time, so a long run streams its output
(and ``| head`` sees the first document before the last one is analyzed).
Only the ``table`` format goes through rich; the data formats are written
as plain text, never wrapped.
"""
from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, TextIO

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from policyscan.model import Agency, DocumentFacts, Report, Target, number
from policyscan.model import _date  # one date format for every output


class Format(str, enum.Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    md = "md"


AGENCY_SEP = "、"
NONE = "-"  # a missing value in table and md output (ASCII: "—" is ambiguous-width in CJK terminals)

# ---------------------------------------------------------------- values


def plain(value: Decimal | None) -> str:
    """A Decimal as text without exponent or trailing zeros: 5E+10 -> 50000000000."""
    if value is None:
        return ""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


# ---------------------------------------------------------------- JSON


def to_dict(report: Report) -> dict[str, Any]:
    """One document's JSON object: the Report contract, ``Report.to_dict``."""
    return report.to_dict()


def _json(obj: Any, *, indent: int | None) -> str:
    separators = None if indent else (",", ":")
    return json.dumps(obj, ensure_ascii=False, indent=indent, separators=separators)


# ---------------------------------------------------------------- csv

CSV_COLUMNS = (
    "source", "kind", "section", "text",
    "metric", "comparator", "value", "value_max", "unit", "baseline_value", "baseline_year", "binding",
    "title", "lead", "cooperating", "responsible",
    "deadline_year", "date", "deadline_kind",
    "start", "end", "rule",
)  # fmt: skip


def _agencies(agencies: Sequence[Agency], sep: str = AGENCY_SEP) -> str:
    return sep.join(a.name for a in agencies)


def csv_rows(report: Report) -> Iterator[dict[str, Any]]:
    """One row per target, task and deadline; ``kind`` says which."""
    for t in report.targets:
        yield {
            "source": report.source, "kind": "target", "section": t.section, "text": t.text,
            "metric": t.metric, "comparator": t.comparator, "value": plain(t.value),
            "value_max": plain(t.value_max), "unit": t.unit,
            "baseline_value": plain(t.baseline.value) if t.baseline else "",
            "baseline_year": t.baseline.year if t.baseline else "",
            "binding": t.binding or "", "deadline_year": t.deadline_year or "",
            "start": t.span.start, "end": t.span.end, "rule": t.rule,
        }  # fmt: skip
    for k in report.tasks:
        yield {
            "source": report.source, "kind": "task", "section": k.section, "text": k.text,
            "title": k.title, "lead": _agencies(k.lead), "cooperating": _agencies(k.cooperating),
            "responsible": _agencies(k.responsible), "deadline_year": k.deadline_year or "",
            "start": k.span.start, "end": k.span.end,
        }  # fmt: skip
    for d in report.deadlines:
        yield {
            "source": report.source, "kind": "deadline", "section": d.section, "text": d.text,
            "date": _date(d.date) or "", "deadline_kind": d.kind,
            "start": d.span.start, "end": d.span.end, "rule": d.rule,
        }  # fmt: skip


# ---------------------------------------------------------------- shared display


def _or_none(value: object) -> str:
    return NONE if value is None or value == "" else str(value)


WAN, YI = Decimal(10_000), Decimal(100_000_000)


def readable(value: Decimal | None) -> str:
    """A number as a Chinese reader writes it: 24000000000 -> 240亿, 6500000 -> 650万."""
    if value is None:
        return ""
    if abs(value) >= YI:
        return plain(value / YI) + "亿"
    if abs(value) >= 10 * WAN:
        return plain(value / WAN) + "万"
    return plain(value)


def target_value(t: Target) -> str:
    """``>=93%``, ``3-5个``, ``~120个``, ``500亿元``; a plain count shows no comparator."""
    value = readable(t.value) if t.value_max is None else f"{readable(t.value)}-{readable(t.value_max)}"
    comparator = "" if t.comparator == "=" else t.comparator
    return f"{comparator}{value}{t.unit}"


def _baseline(t: Target) -> str:
    if t.baseline is None:
        return NONE
    year = f" ({t.baseline.year})" if t.baseline.year else ""
    return f"{readable(t.baseline.value)}{t.unit}{year}"


def _period(facts: DocumentFacts) -> str:
    p = facts.period
    if p is None:
        return NONE
    return str(p.start) if p.start == p.end else f"{p.start}-{p.end}"


def _facts(report: Report) -> list[tuple[str, str]]:
    f = report.document
    city = [("city", f.city)] if f.city else []
    return [
        ("province", _or_none(f.province)),
        *city,
        ("issuer", _or_none(f.issuer)),
        ("date", _or_none(_date(f.date))),
        ("plan period", _period(f)),
        ("doc number", _or_none(f.doc_number)),
        ("source", report.source),
    ]


# ---------------------------------------------------------------- markdown


def _md_cell(value: object) -> str:
    text = _or_none(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _md_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return lines


def markdown(report: Report) -> str:
    """One document as Markdown: a header, its facts, and three tables."""
    lines = [f"## {report.document.title or report.source}", ""]
    lines += [f"- {name}: {value}" for name, value in _facts(report)]
    lines += ["", f"### Targets ({len(report.targets)})", ""]
    lines += _md_table(
        ("metric", "target", "baseline", "deadline year", "binding", "section", "text"),
        (
            (t.metric, target_value(t), _baseline(t), t.deadline_year, t.binding, t.section, t.text)
            for t in report.targets
        ),
    )
    lines += ["", f"### Tasks ({len(report.tasks)})", ""]
    lines += _md_table(
        ("section", "title", "lead", "cooperating", "responsible", "deadline year"),
        (
            (k.section, k.title, _agencies(k.lead), _agencies(k.cooperating), _agencies(k.responsible), k.deadline_year)
            for k in report.tasks
        ),
    )
    lines += ["", f"### Deadlines ({len(report.deadlines)})", ""]
    lines += _md_table(
        ("text", "date", "kind", "section"),
        ((d.text, _date(d.date), d.kind, d.section) for d in report.deadlines),
    )
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- rich table


# short columns that read badly when broken; the long text columns wrap instead
NO_WRAP = frozenset({"ruleset", "target", "year", "deadline", "date", "kind", "binding", "section", "version", "rules", "examples", "file"})


def _rich_table(title: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_lines=False)
    for name in header:
        table.add_column(name, overflow="fold", no_wrap=name in NO_WRAP)
    for row in rows:
        # Text, not str: a cell such as "[2018]" must not be read as rich markup.
        table.add_row(*(Text(_or_none(c)) for c in row))
    return table


def renderable(report: Report) -> RenderableType:
    """One document for the terminal: a header panel and three tables."""
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    for name, value in _facts(report):
        facts.add_row(name, Text(value))
    header = Panel(facts, title=Text(report.document.title or report.source, style="bold"), title_align="left")
    parts: list[RenderableType] = [header]
    if report.targets:
        parts.append(
            _rich_table(
                f"Targets ({len(report.targets)})",
                ("metric", "target", "baseline", "year", "binding", "section"),
                (
                    (t.metric, target_value(t), _baseline(t), t.deadline_year, t.binding, t.section)
                    for t in report.targets
                ),
            )
        )
    if report.tasks:
        parts.append(
            _rich_table(
                f"Tasks ({len(report.tasks)})",
                ("section", "title", "lead", "cooperating", "responsible", "deadline"),
                (
                    (k.section, k.title, _agencies(k.lead, "\n"), _agencies(k.cooperating, "\n"), _agencies(k.responsible, "\n"), k.deadline_year)
                    for k in report.tasks
                ),
            )
        )
    if report.deadlines:
        parts.append(
            _rich_table(
                f"Deadlines ({len(report.deadlines)})",
                ("text", "date", "kind", "section"),
                ((d.text, _date(d.date), d.kind, d.section) for d in report.deadlines),
            )
        )
    empty = [name for name, items in (("targets", report.targets), ("tasks", report.tasks), ("deadlines", report.deadlines)) if not items]
    if empty:
        parts.append(Text(f"no {', '.join(empty)} found", style="dim"))
    return Group(*parts)


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """rich exits 1 on a closed pipe; a reader that stopped reading (``| head``) is no error: let the CLI end quietly."""
        self.quiet = True
        raise BrokenPipeError


def make_console(stream: TextIO, width: int | None = None) -> Console:
    """A console for table output: colour only on a terminal, no markup or highlighting."""
    return _Console(file=stream, width=width, highlight=False, markup=False, emoji=False, soft_wrap=False)


# ---------------------------------------------------------------- writer


class Writer:
    """Writes reports one at a time; ``close`` finishes the output.

    ``many`` says whether several documents are coming: ``json`` then writes
    one array, else the single object.
    """

    def __init__(self, fmt: Format, stream: TextIO, *, many: bool = False, width: int | None = None) -> None:
        self.fmt = Format(fmt)
        self.stream = stream
        self.many = many
        self.count = 0
        self._console = make_console(stream, width) if self.fmt is Format.table else None
        self._csv = csv.DictWriter(stream, CSV_COLUMNS, lineterminator="\n") if self.fmt is Format.csv else None

    def write(self, report: Report) -> None:
        fmt, out = self.fmt, self.stream
        if fmt is Format.json:
            text = _json(to_dict(report), indent=2)
            if self.many:
                text = ("[\n" if self.count == 0 else ",\n") + text
            out.write(text if self.many else text + "\n")
        elif fmt is Format.jsonl:
            out.write(_json(to_dict(report), indent=None) + "\n")
        elif fmt is Format.csv:
            assert self._csv is not None
            if self.count == 0:
                self._csv.writeheader()
            self._csv.writerows(csv_rows(report))
        elif fmt is Format.md:
            out.write(("\n" if self.count else "") + markdown(report))
        else:
            assert self._console is not None
            if self.count:
                self._console.print()
            self._console.print(renderable(report))
        self.count += 1
        out.flush()

    def close(self) -> None:
        if self.fmt is Format.json and self.many:
            self.stream.write("[]\n" if self.count == 0 else "\n]\n")
        elif self.fmt is Format.csv and self.count == 0:
            assert self._csv is not None
            self._csv.writeheader()
        self.stream.flush()


def render(reports: Sequence[Report], fmt: Format, *, many: bool | None = None, width: int | None = None) -> str:
    """All reports in one format, as a string."""
    buf = io.StringIO()
    writer = Writer(fmt, buf, many=len(reports) > 1 if many is None else many, width=width)
    for report in reports:
        writer.write(report)
    writer.close()
    return buf.getvalue()


# ---------------------------------------------------------------- plain rows


def write_rows(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: Format, stream: TextIO, *, title: str = "") -> None:
    """Rows of simple values (a listing such as ``policyscan rules``) in any format."""
    fmt = Format(fmt)
    if fmt is Format.json:
        stream.write(_json(list(rows), indent=2) + "\n")
    elif fmt is Format.jsonl:
        stream.writelines(_json(row, indent=None) + "\n" for row in rows)
    elif fmt is Format.csv:
        writer = csv.DictWriter(stream, columns, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    elif fmt is Format.md:
        lines = ([f"## {title}", ""] if title else []) + _md_table(columns, ([row.get(c) for c in columns] for row in rows))
        stream.write("\n".join(lines) + "\n")
    else:
        make_console(stream).print(_rich_table(title, columns, ([row.get(c) for c in columns] for row in rows)))
    stream.flush()
