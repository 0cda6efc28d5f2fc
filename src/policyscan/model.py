"""Plain, frozen data passed between the pipeline's stages.

Offsets: a ``Span`` is half-open and counts characters of the *raw* document
text (what ``read`` returned, after decoding), so every record can quote the
sentence it came from. Stages that work on the normalized text keep plain
integer positions into it and turn them into raw spans through
``Document.raw_span``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


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


@dataclass(frozen=True)
class Agency:
    name: str  # as written (simplified)
    canonical: str | None  # the canonical name from rules/agencies.yaml
    known: bool
    successor: str | None = None  # the body that took it over in a reform
    reform_year: int | None = None  # the year of that reform
    kind: str | None = None  # for a name the table does not know: the shape it has (department, government, collective …)


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


@dataclass(frozen=True)
class Report:
    source: str
    encoding: str
    document: DocumentFacts
    targets: tuple[Target, ...] = ()
    tasks: tuple[Task, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    warnings: tuple[str, ...] = field(default=())
