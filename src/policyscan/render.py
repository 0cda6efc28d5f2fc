"""Report -> table | json | jsonl | csv | md.

The JSON is the Report contract itself (``Report.to_dict`` in model.py);
this module only lays records out for reading.
A ``Writer`` takes reports one at a time, so a long run streams its output
(and ``| head`` sees the first document before the last one is analyzed).
Only the ``table`` format goes through rich; the data formats are written
as plain text, never wrapped.
"""
from __future__ import annotations

import bisect
import csv
import datetime as dt
import enum
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, BinaryIO, TextIO

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.cells import cell_len
from rich.text import Text

from policyscan.model import Agency, Deadline, DocumentFacts, Report, Span, Target, Task, number
from policyscan.model import _date  # one date format for every output


class Format(str, enum.Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    md = "md"
    xlsx = "xlsx"

    @property
    def binary(self) -> bool:
        return self is Format.xlsx


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
    "start", "end", "line", "rule",
)  # fmt: skip
BOM = "\ufeff"  # what Excel needs to read a CSV file as UTF-8


def _agencies(agencies: Sequence[Agency], sep: str = AGENCY_SEP) -> str:
    return sep.join(a.name for a in agencies)


def _line(source: Source | None, span: Span) -> int | str:
    return source.line(span) if source else ""


def csv_rows(report: Report, source: Source | None = None) -> Iterator[dict[str, Any]]:
    """One row per target, task and deadline; ``kind`` says which; ``line`` when the raw text is known."""
    for t in report.targets:
        yield {
            "source": report.source, "kind": "target", "section": t.section, "text": t.text,
            "metric": t.metric, "comparator": t.comparator, "value": plain(t.value),
            "value_max": plain(t.value_max), "unit": t.unit,
            "baseline_value": plain(t.baseline.value) if t.baseline else "",
            "baseline_year": t.baseline.year if t.baseline else "",
            "binding": t.binding or "", "deadline_year": t.deadline_year or "",
            "start": t.span.start, "end": t.span.end, "line": _line(source, t.span), "rule": t.rule,
        }  # fmt: skip
    for k in report.tasks:
        yield {
            "source": report.source, "kind": "task", "section": k.section, "text": k.text,
            "title": k.title, "lead": _agencies(k.lead), "cooperating": _agencies(k.cooperating),
            "responsible": _agencies(k.responsible), "deadline_year": k.deadline_year or "",
            "start": k.span.start, "end": k.span.end, "line": _line(source, k.span), "rule": k.rule,
        }  # fmt: skip
    for d in report.deadlines:
        yield {
            "source": report.source, "kind": "deadline", "section": d.section, "text": d.text,
            "date": _date(d.date) or "", "deadline_kind": d.kind,
            "start": d.span.start, "end": d.span.end, "line": _line(source, d.span), "rule": d.rule,
        }  # fmt: skip


# ---------------------------------------------------------------- xlsx

# one sheet per record kind; numbers stay numbers and dates dates, so a spreadsheet sorts and sums them
SHEETS: dict[str, tuple[str, ...]] = {
    "targets": ("source", "section", "line", "metric", "comparator", "value", "value_max", "unit",
                "baseline_value", "baseline_year", "deadline_year", "binding", "text", "quote", "start", "end", "rule"),
    "tasks": ("source", "section", "line", "title", "lead", "cooperating", "responsible", "deadline_year",
              "text", "quote", "start", "end", "rule"),
    "deadlines": ("source", "section", "line", "text", "date", "kind", "context", "quote", "start", "end", "rule"),
    "documents": ("source", "title", "province", "city", "issuer", "date", "doc_number", "period_start", "period_end",
                  "encoding", "targets", "tasks", "deadlines"),
}  # fmt: skip
XLSX_MAX_WIDTH = 60  # characters: longer text wraps inside its cell


def sheet_rows(report: Report, source: Source | None = None) -> dict[str, list[dict[str, Any]]]:
    """One document's rows for each sheet of the workbook."""
    def where(span: Span) -> dict[str, Any]:
        return {"line": source.line(span) if source else None, "quote": source.quote(span) if source else None,
                "start": span.start, "end": span.end}  # fmt: skip

    f = report.document
    return {
        "targets": [
            {"source": report.source, "section": t.section, "metric": t.metric, "comparator": t.comparator,
             "value": number(t.value), "value_max": number(t.value_max), "unit": t.unit,
             "baseline_value": number(t.baseline.value) if t.baseline else None,
             "baseline_year": t.baseline.year if t.baseline else None, "deadline_year": t.deadline_year,
             "binding": t.binding, "text": t.text, "rule": t.rule, **where(t.span)}
            for t in report.targets
        ],
        "tasks": [
            {"source": report.source, "section": k.section, "title": k.title, "lead": _agencies(k.lead),
             "cooperating": _agencies(k.cooperating), "responsible": _agencies(k.responsible),
             "deadline_year": k.deadline_year, "text": k.text, "rule": k.rule, **where(k.span)}
            for k in report.tasks
        ],
        "deadlines": [
            {"source": report.source, "section": d.section, "text": d.text, "date": d.date, "kind": d.kind,
             "context": d.context, "rule": d.rule, **where(d.span)}
            for d in report.deadlines
        ],
        "documents": [
            {"source": report.source, "title": f.title, "province": f.province, "city": f.city, "issuer": f.issuer,
             "date": f.date, "doc_number": f.doc_number, "period_start": f.period.start if f.period else None,
             "period_end": f.period.end if f.period else None, "encoding": report.encoding,
             "targets": len(report.targets), "tasks": len(report.tasks), "deadlines": len(report.deadlines)}
        ],
    }  # fmt: skip


def _display_width(value: object) -> int:
    """Columns a value takes in a spreadsheet: a Chinese character counts as two."""
    if value is None:
        return 0
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return cell_len(text)


def write_xlsx(sheets: dict[str, tuple[Sequence[str], Sequence[dict[str, Any]]]], stream: BinaryIO) -> None:
    """A workbook with one sheet per entry: a bold header row, frozen below it, columns as wide as their text."""
    from openpyxl import Workbook  # only this format needs it
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for name, (columns, rows) in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([row.get(c) for c in columns])
        sheet.freeze_panes = "A2"
        if rows:
            sheet.auto_filter.ref = sheet.dimensions
        for i, column in enumerate(columns, start=1):
            widest = max([_display_width(column)] + [_display_width(row.get(column)) for row in rows])
            letter = get_column_letter(i)
            sheet.column_dimensions[letter].width = min(widest, XLSX_MAX_WIDTH) + 2
            if widest > XLSX_MAX_WIDTH:
                for cell in sheet[letter][1:]:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    book.save(stream)


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
    """``>=93%``, ``3-5个``, ``~120个``, ``500亿元``; a plain count shows no comparator.

    A target that recurs every year says so (``每年 >=1000家``).
    """
    value = readable(t.value) if t.value_max is None else f"{readable(t.value)}-{readable(t.value_max)}"
    comparator = "" if t.comparator == "=" else t.comparator
    every = "每年 " if t.recurring else ""
    return f"{every}{comparator}{value}{t.unit}"


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


def markdown(report: Report, source: Source | None = None) -> str:
    """One document as Markdown: a header, its facts, and three tables (with a line column when the raw text is known)."""
    line = (("line",), lambda span: (source.line(span),)) if source else ((), lambda span: ())
    lines = [f"## {report.document.title or report.source}", ""]
    lines += [f"- {name}: {value}" for name, value in _facts(report)]
    lines += ["", f"### Targets ({len(report.targets)})", ""]
    lines += _md_table(
        ("metric", "target", "baseline", "deadline year", "binding", "section", "text", *line[0]),
        (
            (t.metric, target_value(t), _baseline(t), t.deadline_year, t.binding, t.section, t.text, *line[1](t.span))
            for t in report.targets
        ),
    )
    lines += ["", f"### Tasks ({len(report.tasks)})", ""]
    lines += _md_table(
        ("section", "title", "lead", "cooperating", "responsible", "deadline year", *line[0]),
        (
            (k.section, k.title, _agencies(k.lead), _agencies(k.cooperating), _agencies(k.responsible), k.deadline_year, *line[1](k.span))
            for k in report.tasks
        ),
    )
    lines += ["", f"### Deadlines ({len(report.deadlines)})", ""]
    lines += _md_table(
        ("text", "date", "kind", "section", *line[0]),
        ((d.text, _date(d.date), d.kind, d.section, *line[1](d.span)) for d in report.deadlines),
    )
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- where a record came from


QUOTE_LIMIT = 60  # characters of a quoted sentence
SENTENCE_END = "。；;！？!?\n"


class Source:
    """The raw text of one document, to give records their line and their words."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def line(self, span: Span) -> int:
        """The 1-based line of the raw document where ``span`` starts."""
        return bisect.bisect_right(self._starts, span.start)

    def quote(self, span: Span, limit: int = QUOTE_LIMIT) -> str:
        """The sentence around ``span`` in the raw text, trimmed to about ``limit`` characters around it."""
        text = self.text
        start = max(text.rfind(ch, 0, span.start) for ch in SENTENCE_END) + 1
        ends = [i for i in (text.find(ch, max(span.end - 1, start)) for ch in SENTENCE_END) if i >= 0]
        end = min(ends) + 1 if ends else len(text)
        if span.end > end:  # a span over several sentences (a task item): its last one holds the agencies
            end = span.end
        lo, hi = start, end
        if hi - lo > limit:
            focus_lo, focus_hi = max(span.start, lo), min(span.end, hi)
            if focus_hi - focus_lo >= limit:  # the span alone is too long: keep its end
                lo, hi = focus_hi - limit, focus_hi
            else:  # the span in the middle, as much of the sentence on each side as fits
                lo = max(start, focus_lo - (limit - (focus_hi - focus_lo)) // 2)
                hi = min(end, lo + limit)
                lo = max(start, hi - limit)
        words = " ".join(text[lo:hi].split())
        return ("…" if text[start:lo].strip() else "") + words + ("…" if text[hi:end].strip() else "")


# ---------------------------------------------------------------- rich table

# A column's kind says how it may break: "fixed" never (short values such as
# years and sections), "text" anywhere (titles, metrics: Chinese breaks
# between any two characters), "names" only between agency names, "clip"
# not at all but cut with an ellipsis (a listing that must fit one line).
FIXED, TEXT, NAMES, CLIP = "fixed", "text", "names", "clip"
TEXT_MIN = 10  # cells a text column keeps before it is squeezed further
ROLE_LABELS = {"lead": "lead", "cooperating": "coop", "responsible": "resp"}

# a names cell: groups of (label, names); one group with label "" in a single-role column
Names = tuple[tuple[str, tuple[str, ...]], ...]


def _names_lines(cell: Names, width: int) -> list[str]:
    """Lines of at most ``width`` cells, each name whole, joined with 、, a label hanging before each group."""
    pad = max((cell_len(label) for label, _ in cell), default=0)
    pad = pad + 1 if pad else 0
    lines: list[str] = []
    for label, names in cell:
        prefix = label.ljust(pad) if pad else ""
        current = ""
        for i, name in enumerate(names):
            piece = name + (AGENCY_SEP if i < len(names) - 1 else "")
            if current and pad + cell_len(current + piece) > width:
                lines.append(prefix + current)
                prefix, current = " " * pad, piece
            else:
                current += piece
        lines.append(prefix + current)
    return lines


def _cell_size(cell: object) -> tuple[int, int]:
    """(narrowest, natural) width of one cell: a names cell by its longest name, any other cell by its text."""
    if isinstance(cell, tuple):
        pad = max((cell_len(label) for label, _ in cell), default=0)
        pad = pad + 1 if pad else 0
        least = max(
            (pad + cell_len(name) + (2 if i < len(names) - 1 else 0) for _, names in cell for i, name in enumerate(names)),
            default=0,
        )
        return least, max((pad + cell_len(AGENCY_SEP.join(names)) for _, names in cell), default=0)
    return 0, max(cell_len(line) for line in _or_none(cell).split("\n"))


def _measure(kind: str, header: str, cells: Sequence[object]) -> tuple[int, int]:
    """(narrowest, natural) width of a column in cells."""
    sizes = [_cell_size(c) for c in cells]
    head = cell_len(header)
    natural = max([head] + [n for _, n in sizes])
    least = max([head] + [n for n, _ in sizes])
    if kind == FIXED:
        return natural, natural
    if kind == NAMES:
        return least, natural
    return min(natural, max(least, TEXT_MIN if kind == TEXT else 6)), natural


OPENING = frozenset("(（“‘「『《〔【")
CLOSING = frozenset("。，、；：！？）」』”’,.;:!?)%")
WORD = re.compile(r"[0-9A-Za-z.%+\-]+|\s+|.")  # a number or Latin word is not broken inside


def fold(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken between any two Chinese characters but not inside a number."""
    lines, current = [], ""
    for token in WORD.findall(text):
        if current and cell_len(current + token) > width:
            carry = ""
            if token in CLOSING and len(current) > 1:  # a closing mark does not open a line: its character goes with it
                current, carry = current[:-1], current[-1]
            if current[-1:] in OPENING and len(current) > 1:  # nor does an opening mark end one
                current, carry = current[:-1], current[-1] + carry
            lines.append(current.rstrip())
            current = carry + token.lstrip()
            while cell_len(current) > width:  # a token wider than the column: cut it
                cut = next(i for i in range(len(current), 0, -1) if cell_len(current[:i]) <= width)
                lines.append(current[:cut])
                current = current[cut:]
        else:
            current += token
    return lines + [current] if current else lines


def _share(widths: list[int], naturals: list[int], order: Sequence[int], spare: int) -> int:
    """Give ``spare`` cells to the columns in ``order`` up to their natural width, the least needy filled first."""
    needy = sorted((naturals[i] - widths[i], i) for i in order if naturals[i] > widths[i])
    for k, (need, i) in enumerate(needy):
        give = min(need, spare // (len(needy) - k))
        widths[i] += give
        spare -= give
    return spare


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells with an ellipsis, between the items of a list (``a, b, …``) where it can be."""
    if cell_len(text) <= width:
        return text
    items = text.split(", ")
    for n in range(len(items) - 1, 0, -1):
        head = ", ".join(items[:n]) + ", …"
        if cell_len(head) <= width:
            return head
    cut = next(i for i in range(len(text), -1, -1) if cell_len(text[:i]) <= width - 1)
    return text[:cut] + "…"


def layout(kinds: Sequence[str], headers: Sequence[str], rows: Sequence[Sequence[object]], width: int) -> list[int] | None:
    """Column widths that fit ``width`` cells, text columns served first; None when even the narrowest do not fit."""
    available = width - (3 * len(headers) + 1)  # rich's SIMPLE_HEAD: an edge and padding around every column
    measured = [_measure(k, h, [row[i] for row in rows]) for i, (k, h) in enumerate(zip(kinds, headers))]
    widths = [least for least, _ in measured]
    naturals = [natural for _, natural in measured]
    spare = available - sum(widths)
    if spare < 0:
        return None
    for kind in (TEXT, NAMES, CLIP):
        spare = _share(widths, naturals, [i for i, k in enumerate(kinds) if k == kind], spare)
    return widths


def _empty(value: object) -> bool:
    return value is None or value == "" or value == () or (isinstance(value, tuple) and all(not names for _, names in value))


def _rich_table(
    title: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[object]],
    width: int,
    *,
    quotes: Sequence[str] | None = None,
    quote_column: int = 0,
) -> Table:
    """A table whose columns fit ``width``: empty columns dropped, names never broken, the text columns given the room."""
    keep = [i for i in range(len(columns)) if not all(_empty(row[i]) for row in rows)] or list(range(len(columns)))
    kinds = [columns[i][1] for i in keep]
    headers = [columns[i][0] for i in keep]
    kept = [[row[i] for i in keep] for row in rows]
    q = keep.index(quote_column) if quote_column in keep else next((j for j, k in enumerate(kinds) if k == TEXT), 0)
    quoted = [f"> {text}" for text in quotes or () if text]
    measured = kept + [[text if j == q else (() if kind == NAMES else None) for j, kind in enumerate(kinds)] for text in quoted]
    widths = layout(kinds, headers, measured, width)
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_lines=False)
    for j, (kind, header) in enumerate(zip(kinds, headers)):
        fit = {} if widths is None else {"width": widths[j]}
        overflow = "ellipsis" if kind == CLIP else "fold"
        table.add_column(header, overflow=overflow, no_wrap=kind in (FIXED, CLIP), **fit)  # type: ignore[arg-type]
    for r, row in enumerate(kept):
        cells: list[RenderableType] = []
        for j, (kind, cell) in enumerate(zip(kinds, row)):
            if kind == NAMES:
                lines = [] if _empty(cell) else _names_lines(cell, widths[j] if widths else 10**6)  # type: ignore[arg-type]
                cells.append(Text("\n".join(lines) or NONE))
            elif kind == CLIP and widths:
                cells.append(Text(clip(_or_none(cell), widths[j])))
            else:
                # Text, not str: a cell such as "[2018]" must not be read as rich markup.
                cells.append(Text(_or_none(cell)))
        table.add_row(*cells)
        if quotes is not None and quotes[r]:
            text = "> " + quotes[r]
            lines = fold(text, widths[q]) if widths else [text]
            table.add_row(*(Text("\n".join(lines), style="dim") if j == q else Text("") for j in range(len(kinds))))
    return table


def _roles(k: Task, combined: bool) -> list[Names]:
    groups = (("lead", k.lead), ("cooperating", k.cooperating), ("responsible", k.responsible))
    if combined:
        return [tuple((ROLE_LABELS[role], tuple(a.name for a in agencies)) for role, agencies in groups if agencies)]
    return [(("", tuple(a.name for a in agencies)),) for _, agencies in groups]


def _task_table(report: Report, width: int, lines: list[object], quotes: list[str] | None) -> Table:
    """Tasks with a column per role when they fit beside a readable title, else one agencies column with role labels."""
    title = f"Tasks ({len(report.tasks)})"
    head = [(k.section, k.title) for k in report.tasks]
    tail = [(k.deadline_year, line) for k, line in zip(report.tasks, lines)]
    separate = [(*h, *_roles(k, False), *t) for h, k, t in zip(head, report.tasks, tail)]
    columns = [("section", FIXED), ("title", TEXT), ("lead", NAMES), ("cooperating", NAMES), ("responsible", NAMES), ("year", FIXED), ("line", FIXED)]
    keep = [i for i in range(len(columns)) if not all(_empty(row[i]) for row in separate)]
    widths = layout([columns[i][1] for i in keep], [columns[i][0] for i in keep], [[row[i] for i in keep] for row in separate], width)
    titles = max(cell_len(k.title) for k in report.tasks)
    if widths is not None and widths[keep.index(1)] >= min(TITLE_MIN, titles):
        return _rich_table(title, columns, separate, width, quotes=quotes, quote_column=3)
    combined = [(*h, *_roles(k, True), *t) for h, k, t in zip(head, report.tasks, tail)]
    columns = [("section", FIXED), ("title", TEXT), ("agencies", NAMES), ("year", FIXED), ("line", FIXED)]
    return _rich_table(title, columns, combined, width, quotes=quotes, quote_column=2)


TITLE_MIN = 16  # cells a task title needs beside the role columns; below that the roles share one column


def renderable(report: Report, width: int = 100, source: Source | None = None, quote: bool = False) -> RenderableType:
    """One document for the terminal: a header panel and three tables that fit ``width`` cells."""
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    for name, value in _facts(report):
        facts.add_row(name, Text(value))
    header = Panel(facts, title=Text(report.document.title or report.source, style="bold"), title_align="left")
    parts: list[RenderableType] = [header]

    def where(records: Sequence[Target | Task | Deadline]) -> tuple[list[object], list[str] | None]:
        lines: list[object] = [source.line(r.span) if source else None for r in records]
        # a task's span runs from its item to the end of its agency clause: quote the whole clause
        limits = [max(QUOTE_LIMIT, len(r.text) + 8) if isinstance(r, Task) else QUOTE_LIMIT for r in records]
        quotes = [source.quote(r.span, n) for r, n in zip(records, limits)] if quote and source else None
        return lines, quotes

    if report.targets:
        lines, quotes = where(report.targets)
        parts.append(
            _rich_table(
                f"Targets ({len(report.targets)})",
                [("metric", TEXT), ("target", FIXED), ("baseline", FIXED), ("year", FIXED), ("binding", FIXED), ("section", FIXED), ("line", FIXED)],
                [
                    (t.metric, target_value(t), None if t.baseline is None else _baseline(t), t.deadline_year, t.binding, t.section, line)
                    for t, line in zip(report.targets, lines)
                ],
                width,
                quotes=quotes,
            )
        )
    if report.tasks:
        lines, quotes = where(report.tasks)
        parts.append(_task_table(report, width, lines, quotes))
    if report.deadlines:
        lines, quotes = where(report.deadlines)
        parts.append(
            _rich_table(
                f"Deadlines ({len(report.deadlines)})",
                [("text", TEXT), ("date", FIXED), ("kind", FIXED), ("section", FIXED), ("line", FIXED)],
                [(d.text, _date(d.date), d.kind, d.section, line) for d, line in zip(report.deadlines, lines)],
                width,
                quotes=quotes,
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
    one array, else the single object. ``write`` takes the document's raw
    text when it is at hand, for line numbers and (``quote``) the words each
    record came from. ``bom`` starts CSV output with the UTF-8 byte order
    mark. ``xlsx`` collects every document and writes one workbook to a
    binary ``stream`` on ``close``.
    """

    def __init__(
        self, fmt: Format, stream: TextIO | BinaryIO, *, many: bool = False, width: int | None = None,
        quote: bool = False, bom: bool = False,
    ) -> None:  # fmt: skip
        self.fmt = Format(fmt)
        self.stream = stream
        self.many = many
        self.quote = quote
        self.bom = bom
        self.count = 0
        self._console = make_console(stream, width) if self.fmt is Format.table else None  # type: ignore[arg-type]
        self._csv = csv.DictWriter(stream, CSV_COLUMNS, lineterminator="\n") if self.fmt is Format.csv else None  # type: ignore[arg-type]
        self._sheets: dict[str, list[dict[str, Any]]] = {name: [] for name in SHEETS}

    def write(self, report: Report, raw: str | None = None) -> None:
        fmt, out = self.fmt, self.stream
        source = Source(raw) if raw is not None else None
        if fmt is Format.json:
            text = _json(to_dict(report), indent=2)
            if self.many:
                text = ("[\n" if self.count == 0 else ",\n") + text
            out.write(text if self.many else text + "\n")  # type: ignore[arg-type]
        elif fmt is Format.jsonl:
            out.write(_json(to_dict(report), indent=None) + "\n")  # type: ignore[arg-type]
        elif fmt is Format.csv:
            assert self._csv is not None
            if self.count == 0:
                self._header()
            self._csv.writerows(csv_rows(report, source))
        elif fmt is Format.md:
            out.write(("\n" if self.count else "") + markdown(report, source))  # type: ignore[arg-type]
        elif fmt is Format.xlsx:
            for name, rows in sheet_rows(report, source).items():
                self._sheets[name].extend(rows)
        else:
            assert self._console is not None
            if self.count:
                self._console.print()
            self._console.print(renderable(report, self._console.width, source, self.quote))
        self.count += 1
        out.flush()

    def _header(self) -> None:
        assert self._csv is not None
        if self.bom:
            self.stream.write(BOM)  # type: ignore[arg-type]
        self._csv.writeheader()

    def close(self) -> None:
        if self.fmt is Format.json and self.many:
            self.stream.write("[]\n" if self.count == 0 else "\n]\n")  # type: ignore[arg-type]
        elif self.fmt is Format.csv and self.count == 0:
            self._header()
        elif self.fmt is Format.xlsx:
            write_xlsx({name: (SHEETS[name], rows) for name, rows in self._sheets.items()}, self.stream)  # type: ignore[arg-type]
        self.stream.flush()


def render(
    reports: Sequence[Report], fmt: Format, *, many: bool | None = None, width: int | None = None,
    raws: Sequence[str] | None = None, quote: bool = False, bom: bool = False,
) -> str:  # fmt: skip
    """All reports in one text format, as a string (``raws``: their raw texts, for lines and quotes)."""
    buf = io.StringIO()
    writer = Writer(fmt, buf, many=len(reports) > 1 if many is None else many, width=width, quote=quote, bom=bom)
    for i, report in enumerate(reports):
        writer.write(report, raws[i] if raws else None)
    writer.close()
    return buf.getvalue()


# ---------------------------------------------------------------- plain rows

# the columns of a listing that are long free text: cut with an ellipsis to fit the terminal
LISTING_CLIP = frozenset({"tables", "description"})
LISTING_WHOLE = frozenset({"file"})  # whole while the table fits, else cut like the others


def write_rows(
    rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: Format, stream: TextIO | BinaryIO, *, title: str = ""
) -> None:
    """Rows of simple values (a listing such as ``policyscan rules``) in any format."""
    fmt = Format(fmt)
    if fmt is Format.json:
        stream.write(_json(list(rows), indent=2) + "\n")  # type: ignore[arg-type]
    elif fmt is Format.jsonl:
        stream.writelines(_json(row, indent=None) + "\n" for row in rows)  # type: ignore[arg-type]
    elif fmt is Format.csv:
        writer = csv.DictWriter(stream, columns, lineterminator="\n", extrasaction="ignore")  # type: ignore[arg-type]
        writer.writeheader()
        writer.writerows(rows)
    elif fmt is Format.md:
        lines = ([f"## {title}", ""] if title else []) + _md_table(columns, ([row.get(c) for c in columns] for row in rows))
        stream.write("\n".join(lines) + "\n")  # type: ignore[arg-type]
    elif fmt is Format.xlsx:
        write_xlsx({title or "rows": (columns, rows)}, stream)  # type: ignore[arg-type]
    else:
        console = make_console(stream)  # type: ignore[arg-type]
        cells = [[row.get(c) for c in columns] for row in rows]
        kinds = [FIXED if c in LISTING_WHOLE else CLIP if c in LISTING_CLIP else FIXED for c in columns]
        if layout(kinds, columns, cells, console.width) is None:  # too narrow for whole paths: cut them too
            kinds = [CLIP if c in LISTING_CLIP | LISTING_WHOLE else FIXED for c in columns]
        console.print(_rich_table(title, list(zip(columns, kinds)), cells, console.width))
    stream.flush()
