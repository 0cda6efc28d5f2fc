"""Plain, frozen data passed between the pipeline's stages.

Offsets: a ``Span`` is half-open and counts characters of the *raw* document
text (what ``read`` returned, after decoding), so every record can quote the
sentence it came from. Stages that work on the normalized text keep plain
integer positions into it and turn them into raw spans through
``Document.raw_span``.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from policyscan import __version__

SCHEMA_VERSION = 1  # the Report contract's version: bump it when a field changes meaning or goes


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")


@dataclass(frozen=True)
class RawText:
    """What ``read`` produces: decoded text and how it was decoded."""

    source: str  # the path as the user gave it ("-" for standard input)
    text: str
    encoding: str
    sha256: str = ""  # of the bytes read (of the UTF-8 text when the text was given directly)

    def __str__(self) -> str:
        return self.source  # where it came from, as the user named it


@dataclass(frozen=True)
class Document:
    """Normalized text with the way back to the raw text.

    ``offsets[i]`` is the raw position of ``text[i]``; it has one extra
    entry at the end (the raw position just past the last kept character).
    """

    source: str
    raw: str
    text: str
    offsets: tuple[int, ...]
    encoding: str

    def raw_span(self, start: int, end: int) -> Span:
        """The raw span of normalized characters ``text[start:end]``."""
        if start >= end:
            pos = self.offsets[start]
            return Span(pos, pos)
        return Span(self.offsets[start], self.offsets[end - 1] + 1)

    def quote(self, span: Span) -> str:
        return self.raw[span.start:span.end]


# ---------------------------------------------------------------- structure


@dataclass(frozen=True)
class Heading:
    level: int  # 1 一、  2 (一)  3 1.  4 (1)
    label: str  # as normalized: "一、", "(三)", "1.", "(2)"
    title: str
    start: int  # normalized positions of the heading line
    end: int


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # normalized positions
    end: int
    section: str  # "四、(三)1." - the labels of the enclosing headings
    paragraph: int  # index of the paragraph it belongs to


@dataclass(frozen=True)
class Cell:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Table:
    title: str  # the caption line before the header, "" when none
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    section: str
    start: int
    end: int


@dataclass(frozen=True)
class Paragraph:
    text: str
    start: int
    end: int
    section: str
    heading: Heading | None  # the heading this paragraph opens with, if any


@dataclass(frozen=True)
class Structure:
    headings: tuple[Heading, ...]
    paragraphs: tuple[Paragraph, ...]
    sentences: tuple[Sentence, ...]
    tables: tuple[Table, ...]


# ---------------------------------------------------------------- records


@dataclass(frozen=True)
class Mention:
    text: str
    span: Span
    section: str


@dataclass(frozen=True)
class Baseline:
    value: Decimal
    year: int | None


@dataclass(frozen=True)
class Deadline:
    text: str
    date: dt.date | None
    kind: str  # by | period | recurring | relative
    span: Span
    section: str
    context: str
    rule: str


@dataclass(frozen=True)
class Target:
    metric: str
    comparator: str  # >= > <= < ~ =
    value: Decimal
    value_max: Decimal | None
    unit: str
    baseline: Baseline | None
    deadline_year: int | None
    binding: str | None  # expected | binding
    section: str
    text: str
    span: Span
    rule: str
    mentions: tuple[Mention, ...] = ()
    change: str | None = None  # increase | decrease: the value is a change by that amount (提高2个百分点), None for a level
    recurring: bool = False  # the commitment recurs every year (每年组织1000家以上)


@dataclass(frozen=True)
class Agency:
    name: str  # as written (simplified)
    canonical: str | None  # the canonical name from rules/agencies.yaml
    known: bool
    successor: str | None = None  # the body that took it over in a reform
    reform_year: int | None = None  # the year of that reform
    kind: str | None = None  # for a name the table does not know: the shape it has (department, government, collective …)
    span: Span | None = None  # where the name is written in the raw text


@dataclass(frozen=True)
class Task:
    section: str
    title: str
    lead: tuple[Agency, ...]
    cooperating: tuple[Agency, ...]
    responsible: tuple[Agency, ...]
    deadline_year: int | None
    text: str  # the clause that names the agencies
    span: Span
    deadlines: tuple[Deadline, ...] = ()
    rule: str = ""  # the id of the rule that read the agency clause


@dataclass(frozen=True)
class Period:
    start: int
    end: int


@dataclass(frozen=True)
class DocumentFacts:
    title: str | None = None
    province: str | None = None
    city: str | None = None
    issuer: str | None = None
    date: dt.date | None = None
    doc_number: str | None = None
    period: Period | None = None
    spans: tuple[tuple[str, Span], ...] = ()  # (field, raw span) of each fact read from the text

    def span(self, name: str) -> Span | None:
        return dict(self.spans).get(name)


@dataclass(frozen=True)
class Report:
    source: str
    encoding: str
    document: DocumentFacts
    targets: tuple[Target, ...] = ()
    tasks: tuple[Task, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    sha256: str = ""  # of the document's bytes: the key a database keeps it under
    rules_digest: str = ""  # of the rule files that produced it
    version: str = __version__  # of policyscan that produced it

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract (eval/GUIDE.md "One document's JSON") and the fields beyond it."""
        return _report_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Report":
        """The Report that ``to_dict`` gave ``data``: ``Report.from_dict(r.to_dict()) == r``."""
        return _report_from(data)


# ---------------------------------------------------------------- results of many documents


@dataclass(frozen=True)
class Ok:
    """A document that was read and analysed."""

    path: str
    report: Report
    raw: RawText | None = field(default=None, compare=False, repr=False)  # the text as read, for quoting and line numbers

    ok = True


@dataclass(frozen=True)
class Err:
    """A document that could not be analysed: its path, the error's code, exit code and one-line message."""

    path: str
    code: str
    exit_code: int
    message: str
    traceback: str = ""  # the full story of an internal error, for --traceback

    ok = False


Result = Ok | Err


# ---------------------------------------------------------------- the contract as plain data


def number(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON number, exactly: integral values as int, others via str.

    16.4亿 is the integral Decimal 1640000000 and comes out as that int (float
    arithmetic would give 1639999999.99...); 0.29 comes out as the float 0.29,
    the shortest float that reads back as the same decimal.
    """
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(str(value))


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _to_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _span_dict(span: Span | None) -> dict[str, int] | None:
    return {"start": span.start, "end": span.end} if span is not None else None


def _span_from(d: dict[str, int] | None) -> Span | None:
    return Span(d["start"], d["end"]) if d is not None else None


def _document_dict(facts: DocumentFacts) -> dict[str, Any]:
    period = facts.period
    return {
        "title": facts.title,
        "province": facts.province,
        "issuer": facts.issuer,
        "date": _date(facts.date),
        "doc_number": facts.doc_number,
        "period": {"start": period.start, "end": period.end} if period else None,
        "city": facts.city,
        "spans": {name: _span_dict(span) for name, span in facts.spans},
    }


def _document_from(d: dict[str, Any]) -> DocumentFacts:
    p = d.get("period")
    return DocumentFacts(
        title=d.get("title"),
        province=d.get("province"),
        city=d.get("city"),
        issuer=d.get("issuer"),
        date=_to_date(d.get("date")),
        doc_number=d.get("doc_number"),
        period=Period(p["start"], p["end"]) if p else None,
        spans=tuple((name, Span(s["start"], s["end"])) for name, s in (d.get("spans") or {}).items()),
    )


def _mention_dict(m: Mention) -> dict[str, Any]:
    return {"text": m.text, "span": _span_dict(m.span), "section": m.section}


def _target_dict(t: Target) -> dict[str, Any]:
    return {
        "metric": t.metric,
        "comparator": t.comparator,
        "value": number(t.value),
        "value_max": number(t.value_max),
        "unit": t.unit,
        "baseline": {"value": number(t.baseline.value), "year": t.baseline.year} if t.baseline else None,
        "deadline_year": t.deadline_year,
        "binding": t.binding,
        "section": t.section,
        "text": t.text,
        "span": _span_dict(t.span),
        "rule": t.rule,
        "mentions": [_mention_dict(m) for m in t.mentions],
        "change": t.change,
        "recurring": t.recurring,
    }


def _target_from(d: dict[str, Any]) -> Target:
    b = d.get("baseline")
    return Target(
        metric=d["metric"],
        comparator=d["comparator"],
        value=Decimal(str(d["value"])),
        value_max=_decimal(d.get("value_max")),
        unit=d["unit"],
        baseline=Baseline(Decimal(str(b["value"])), b.get("year")) if b else None,
        deadline_year=d.get("deadline_year"),
        binding=d.get("binding"),
        section=d["section"],
        text=d["text"],
        span=Span(d["span"]["start"], d["span"]["end"]),
        rule=d["rule"],
        mentions=tuple(Mention(m["text"], Span(m["span"]["start"], m["span"]["end"]), m["section"]) for m in d.get("mentions", ())),
        change=d.get("change"),
        recurring=bool(d.get("recurring", False)),
    )


def _deadline_dict(d: Deadline) -> dict[str, Any]:
    return {
        "text": d.text,
        "date": _date(d.date),
        "kind": d.kind,
        "span": _span_dict(d.span),
        "section": d.section,
        "context": d.context,
        "rule": d.rule,
    }


def _deadline_from(d: dict[str, Any]) -> Deadline:
    return Deadline(
        text=d["text"],
        date=_to_date(d.get("date")),
        kind=d["kind"],
        span=Span(d["span"]["start"], d["span"]["end"]),
        section=d["section"],
        context=d["context"],
        rule=d["rule"],
    )


ROLES = ("lead", "cooperating", "responsible")


def _agency_dict(a: Agency, role: str) -> dict[str, Any]:
    fields = {f.name: getattr(a, f.name) for f in dataclasses.fields(a)}
    fields["span"] = _span_dict(a.span)
    return {"name": a.name, "role": role, **fields}


def _agency_from(d: dict[str, Any]) -> Agency:
    names = {f.name for f in dataclasses.fields(Agency)}
    fields = {k: v for k, v in d.items() if k in names}
    fields["span"] = _span_from(d.get("span"))
    return Agency(**fields)


def _task_dict(t: Task) -> dict[str, Any]:
    roles = (("lead", t.lead), ("cooperating", t.cooperating), ("responsible", t.responsible))
    return {
        "section": t.section,
        "title": t.title,
        "lead": [a.name for a in t.lead],
        "cooperating": [a.name for a in t.cooperating],
        "responsible": [a.name for a in t.responsible],
        "deadline_year": t.deadline_year,
        "text": t.text,
        "span": _span_dict(t.span),
        "agencies": [_agency_dict(a, role) for role, agencies in roles for a in agencies],
        "deadlines": [_deadline_dict(d) for d in t.deadlines],
        "rule": t.rule,
    }


def _task_from(d: dict[str, Any]) -> Task:
    by_role: dict[str, list[Agency]] = {role: [] for role in ROLES}
    for a in d.get("agencies", ()):
        by_role[a["role"]].append(_agency_from(a))
    return Task(
        section=d["section"],
        title=d["title"],
        lead=tuple(by_role["lead"]),
        cooperating=tuple(by_role["cooperating"]),
        responsible=tuple(by_role["responsible"]),
        deadline_year=d.get("deadline_year"),
        text=d["text"],
        span=Span(d["span"]["start"], d["span"]["end"]),
        deadlines=tuple(_deadline_from(x) for x in d.get("deadlines", ())),
        rule=d.get("rule", ""),
    )


def _report_dict(report: Report) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "source": report.source,
        "document": _document_dict(report.document),
        "targets": [_target_dict(t) for t in report.targets],
        "tasks": [_task_dict(t) for t in report.tasks],
        "deadlines": [_deadline_dict(d) for d in report.deadlines],
        "warnings": list(report.warnings),
        "encoding": report.encoding,
        "sha256": report.sha256,
        "rules_digest": report.rules_digest,
        "policyscan": report.version,
    }


def _report_from(d: dict[str, Any]) -> Report:
    version = d.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ValueError(f"a Report of schema version {version!r}; this policyscan reads version {SCHEMA_VERSION}")
    return Report(
        source=d["source"],
        encoding=d["encoding"],
        document=_document_from(d["document"]),
        targets=tuple(_target_from(t) for t in d["targets"]),
        tasks=tuple(_task_from(t) for t in d["tasks"]),
        deadlines=tuple(_deadline_from(x) for x in d["deadlines"]),
        warnings=tuple(d.get("warnings", ())),
        sha256=d.get("sha256", ""),
        rules_digest=d.get("rules_digest", ""),
        version=d.get("policyscan", __version__),
    )
