"""Sentences -> the time limits a document sets (GUIDE.md "Deadlines").

Every rule of the ``deadlines`` ruleset runs over every sentence (and table
cell). Matches that overlap are settled by priority, then length; a rule of
kind ``none`` (another document's title, 截至…, 由…提高到…) wins its span
and yields nothing. What is left is dropped when it is history rather than a
limit: in a section whose heading reviews the past (``rules/sections.yaml``,
read by ``structure.ReviewSections``), inside the document's own title wherever it is
quoted, or ending before the document's own year.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from policyscan.dates import DATE_FORMS, resolve, year_of
from policyscan.model import Deadline, Document, DocumentFacts, Structure
from policyscan.rules import Rule, Ruleset, interpreter
from policyscan.structure import ReviewSections

if TYPE_CHECKING:
    from policyscan.compiled import Compiled

YEARS = (1949, 2100)  # the years a deadline of a document of the People's Republic can name
RULESET = "deadlines"
KINDS = frozenset({"by", "period", "recurring", "relative", "none"})
PLAN_YEAR = "plan-year"  # a plain year kept only in an annual plan for that year


@dataclass(frozen=True)
class Hit:
    """One rule's match inside a piece of text, as it stands after overlaps are settled."""

    rule: Rule
    match: re.Match[str]
    start: int
    end: int

    @property
    def kind(self) -> str:
        return str(self.rule.emit.get("kind", "none"))

    @property
    def text(self) -> str:
        return self.match.group(0).strip()


@dataclass(frozen=True)
class Context:
    """What a document tells about its own time: for 年内, 9月底前 and for past dates."""

    year: int | None  # the year that 年内 / 上半年 / 9月底前 refer to
    first_year: int | None  # limits ending before this year are history
    annual_year: int | None  # the year of a one-year plan
    anchor: dt.date | None  # the document's date, for 自本方案印发之日起 forms

    @classmethod
    def of(cls, facts: DocumentFacts) -> Context:
        period = facts.period
        annual = period.start if period is not None and period.start == period.end else None
        date_year = facts.date.year if facts.date is not None else None
        years = [y for y in (date_year, period.start if period else None) if y is not None]
        return cls(
            year=annual or date_year or (period.start if period else None),
            first_year=min(years) if years else None,
            annual_year=annual,
            anchor=facts.date,
        )


NO_CONTEXT = Context(None, None, None, None)


def find(rs: Ruleset, text: str, time_cell: bool = False) -> list[Hit]:
    """All rule matches in ``text`` that survive overlaps, in text order (``none`` ones included).

    Rules with ``scope: time-cell`` read only the cells of a table's time-limit
    column (完成时限 | 2026年12月), where a bare month is a limit.
    """
    hits = [
        Hit(rule, m, m.start() + _lead(m.group(0)), m.end() - _trail(m.group(0)))
        for rule in rs.rules
        if time_cell or rule.emit.get("scope") != "time-cell"
        for m in rule.finditer(text)
        if m.group(0).strip()
    ]
    hits.sort(key=lambda h: (-h.rule.priority, -(h.end - h.start), h.start))
    kept: list[Hit] = []
    for hit in hits:
        if all(hit.end <= k.start or hit.start >= k.end for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


def _lead(s: str) -> int:
    return len(s) - len(s.lstrip())


def _trail(s: str) -> int:
    return len(s) - len(s.rstrip())


def date_of(hit: Hit, ctx: Context) -> dt.date | None:
    """The hit's date in the document's context.

    None for recurring limits, for relative ones the text does not tie to the
    document's date, and for 9月底前 in a document whose year is unknown.
    """
    how = str(hit.rule.emit.get("date", "none"))
    groups = hit.match.groupdict()
    if how == PLAN_YEAR:
        how = "year-end"
    anchor = ctx.anchor if groups.get("anchor") else None
    return resolve(how, groups, year=ctx.year, anchor=anchor)


def accept(hit: Hit, date: dt.date | None, ctx: Context) -> bool:
    """Whether a hit is a limit the document sets, not history or a name."""
    if hit.kind == "none":
        return False
    if hit.rule.emit.get("date") == PLAN_YEAR:
        return ctx.annual_year is not None and year_of(hit.match.group("year")) == ctx.annual_year
    if date is not None and ctx.first_year is not None and date.year < ctx.first_year:
        return False
    return True


def deadlines_in(rs: Ruleset, text: str, ctx: Context, time_cell: bool = False) -> Iterator[tuple[Hit, dt.date | None]]:
    """The deadlines of one sentence (or table cell), with their dates."""
    for hit in find(rs, text, time_cell):
        date = date_of(hit, ctx)
        if accept(hit, date, ctx):
            yield hit, date


# ---------------------------------------------------------------- the document


def _pieces(structure: Structure, compiled: "Compiled") -> Iterator[tuple[str, int, str, str, bool]]:
    """(text, start, section, context, in a time-limit column) of every sentence and table cell."""
    for s in structure.sentences:
        yield s.text, s.start, s.section, s.text, False
    for table in structure.tables:
        timed = {i for i, h in enumerate(table.header) if compiled.tables.time_column.search(h)}
        for row in table.rows:
            for i, cell in enumerate(row):
                yield cell.text, cell.start, table.section, " | ".join(c.text for c in row), i in timed


def extract_deadlines(
    doc: Document, structure: Structure, facts: DocumentFacts, compiled: "Compiled"
) -> tuple[Deadline, ...]:
    rs = compiled[RULESET]
    ctx = Context.of(facts)
    review = ReviewSections.from_book(structure, compiled)
    title = re.compile(re.escape(facts.title)) if facts.title else None
    out: list[Deadline] = []
    for text, start, section, context, time_cell in _pieces(structure, compiled):
        if review.covers(start):
            continue
        titles = [(m.start(), m.end()) for m in title.finditer(text)] if title else []
        for hit, date in deadlines_in(rs, text, ctx, time_cell):
            if any(hit.start < end and start_ < hit.end for start_, end in titles):
                continue  # the year of the document's own title (吉林省2016年食品安全重点工作安排)
            if hit.kind == "period" and hit.end - hit.start == len(text.strip()):
                continue  # a bare year as a table cell or column is a label, not a limit
            if date is not None and not YEARS[0] <= date.year <= YEARS[1]:
                line = doc.text.count("\n", 0, start + hit.start) + 1
                compiled.warn(f"line {line}: 「{hit.text}」 names the year {date.year}, outside {YEARS[0]}–{YEARS[1]}; not read as a deadline")
                continue
            out.append(
                Deadline(
                    text=hit.text,
                    date=date,
                    kind=hit.kind,
                    span=doc.raw_span(start + hit.start, start + hit.end),
                    section=section,
                    context=context,
                    rule=hit.rule.id,
                )
            )
    out.sort(key=lambda d: (d.span.start, d.span.end))
    return tuple(out)


# ---------------------------------------------------------------- rule examples


@interpreter(RULESET)
def interpret(rule: Rule, m: re.Match[str], text: str, compiled: "Compiled") -> dict[str, Any] | None:
    """A match as the fields a rule's examples expect: kind, date (ISO or None), text."""
    kind = rule.emit.get("kind")
    how = rule.emit.get("date", "none")
    if kind not in KINDS or how not in DATE_FORMS | {PLAN_YEAR}:
        raise ValueError(f"rule {rule.id}: kind {kind!r} / date {how!r} not known")
    hit = Hit(rule, m, m.start(), m.end())
    date = date_of(hit, NO_CONTEXT)
    return {"kind": kind, "date": date.isoformat() if date else None, "text": hit.text}
