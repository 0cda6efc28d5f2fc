"""Normalized text -> headings, paragraphs, sentences and tables.

Headings are numbered lines (一、 / (一) / 1. / (1), and 附件N); a heading
that runs on into its body (``(一)简政放权。进一步…``) is split at its first
full stop. Tables arrive flattened one cell per line (web pages copied
to text); a run of short lines is rebuilt into rows by finding the smallest
row width whose columns keep one kind of cell (label, value, attribute) from
row to row, or, failing that, as label/value pairs.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from policyscan.model import Cell, Document, Heading, Paragraph, Sentence, Structure, Table
from policyscan.rules import alternatives, table_checker

if TYPE_CHECKING:
    from policyscan.compiled import Compiled
    from policyscan.rules import RuleBook

CN_DIGITS = "一二三四五六七八九十百零〇"
HEADING_FORMS = (
    (-2, re.compile(rf"^(第[{CN_DIGITS}]+[章编])")),
    (-1, re.compile(rf"^(第[{CN_DIGITS}]+节)")),
    (1, re.compile(rf"^([{CN_DIGITS}]+、)")),
    (2, re.compile(rf"^(\([{CN_DIGITS}]+\))")),
    (3, re.compile(r"^(\d{1,2}[.、](?!\d))")),
    (4, re.compile(r"^(\(\d{1,2}\))")),
    (1, re.compile(r"^(附件\s*\d*)\s*[:：]?\s*$")),
)
CELL_TEXT = re.compile(r"[^\t\s][^\t]*")  # a line's text, or each tab-separated cell of it
PIPED_CELL = re.compile(r"[^|\s](?:[^|]*[^|\s])?")  # the text between pipes
SPACE_RUN = re.compile(r"[ \u3000]{2,}|\t")
SPACED_CELL = re.compile(r"\S(?:[^\t \u3000]|[ \u3000](?=[^\t \u3000]))*")  # text up to a tab or two spaces
SENTENCE_END = re.compile(r"[。;；!?！？]")
TITLE_END = re.compile(r"[。.]")  # "." after normalization is a full stop only at a heading's end
MAX_TITLE = 60
SHORT_LINE = 60  # a table cell is at most this long
CLAUSE_PUNCT = re.compile(r"[。;；,，:：]")

@dataclass(frozen=True)
class TableVocabulary:
    """The structure ruleset's words, compiled: what tells a table's cells and columns apart."""

    value_cell: re.Pattern[str]
    year_cell: re.Pattern[str]
    unit_cell: re.Pattern[str]
    attr_cell: re.Pattern[str]
    indicator_header: re.Pattern[str]  # a header cell of an indicator table
    task_header: re.Pattern[str]  # a header cell of a task table
    role_header: re.Pattern[str]  # a column of agencies or time limits
    time_column: re.Pattern[str]  # a column of time limits
    sequence_header: re.Pattern[str]  # a task table's column of running numbers (whole cell)
    work_header: re.Pattern[str]  # a task table's column of work
    numbered_headers: frozenset[str]
    group_headers: frozenset[str]

    @classmethod
    def from_book(cls, book: "RuleBook") -> "TableVocabulary":
        t = book["structure"].tables
        words = lambda name: alternatives(t.get(name, ())) or "(?!)"  # noqa: E731
        return cls(
            value_cell=re.compile(
                rf"^(?:{words('value_prefixes')})?\s*"
                r"\d+(?:\.\d+)?(?:\s*[-—~～至]\s*\d+(?:\.\d+)?)?\s*(?:万|亿|千)?\s*"
                rf"[^\d\s]{{0,4}}?(?:{words('value_suffixes')})?$"
            ),
            year_cell=re.compile(rf"^(?:19|20)\d\d\s*年?(?:{words('year_suffixes')})*$"),
            unit_cell=re.compile(
                rf"^(?:万|亿|千|百)?(?:{words('unit_cells')})(?:/(?:万|千|百)?(?:{words('per_units')}))?$"
            ),
            attr_cell=re.compile(rf"^(?:{words('attribute_cells')}|—+|-+)$"),
            indicator_header=re.compile(rf"{words('indicator_headers')}|(?:19|20)\d\d"),
            task_header=re.compile(words("task_headers")),
            role_header=re.compile(words("role_headers")),
            time_column=re.compile(words("time_headers")),
            sequence_header=re.compile(words("sequence_headers")),
            work_header=re.compile(words("work_headers")),
            numbered_headers=frozenset(str(w) for w in t.get("numbered_headers", ())),
            group_headers=frozenset(str(w) for w in t.get("group_headers", ())),
        )


@dataclass(frozen=True)
class Line:
    """A non-blank line, stripped, with its normalized positions."""

    text: str
    start: int
    end: int


def lines(text: str, v: TableVocabulary) -> list[Line]:
    """Non-blank lines; a row of a table copied as text counts as one line per cell.

    Cells are separated by pipes (two or more on the line), tabs, or runs of
    spaces when a line has two such runs or more (a table aligned with
    spaces, as PDF text comes). A pipe table whose header names roles
    (牵头单位 | 完成时限) keeps its rows whole: their merged cells are read row
    by row by the task extractor.
    """
    raws = text.split("\n")
    piped = [r.strip().count("|") >= 2 for r in raws]
    whole = [False] * len(raws)
    k = 0
    while k < len(raws):
        if piped[k]:
            j = k
            while j < len(raws) and (piped[j] or not raws[j].strip()):
                j += 1
            if v.role_header.search(raws[k]):
                whole[k:j] = [True] * (j - k)
            k = j
        else:
            k += 1
    out, pos = [], 0
    for n, raw in enumerate(raws):
        stripped = raw.strip()
        if piped[n] and not whole[n]:
            cells = PIPED_CELL  # a Markdown or pipe-separated row
        elif not piped[n] and len(SPACE_RUN.findall(stripped)) >= 2:
            cells = SPACED_CELL
        else:
            cells = CELL_TEXT
        for m in cells.finditer(raw):
            text_ = m.group(0).strip()
            out.append(Line(text_, pos + m.start(), pos + m.start() + len(text_)))
        pos += len(raw) + 1
    return out


RUN_ON_NUMBER = re.compile(r"^(\d{1,2})[.．](?=\d)")  # 1.2023年底前建成…: an item number before a digit


def heading_of(line: str, last_number: int = 0) -> tuple[int, str] | None:
    """(level, label) when the line opens with a heading number.

    An item number followed straight by a digit (``3.150家企业…``) is taken
    only on a line of prose that continues the numbering (``last_number`` is
    the previous ``N.`` item), so table cells such as ``3.5万张`` stay values.
    """
    for level, form in HEADING_FORMS:
        m = form.match(line)
        if m:
            return level, re.sub(r"\s+", "", m.group(1))
    m = RUN_ON_NUMBER.match(line)
    if m and len(line) > 15 and re.search(r"[，。；,;]", line):
        in_sequence = int(m.group(1)) in (1, last_number + 1)
        # 3.6月底前 / 4.500家: no decimal is written that way
        odd_decimal = re.match(r"\d{1,2}[.．](?:\d{1,2}月|(?:19|20)\d\d年|\d*0(?!\d)(?![.．%]))", line)
        if in_sequence or odd_decimal:
            return 3, m.group(0)
    return None


def cell_kind(text: str, v: TableVocabulary) -> str:
    t = re.sub(r"\s+", "", text)
    if v.attr_cell.match(t):
        return "attr"
    if v.unit_cell.match(t):
        return "unit"
    if v.year_cell.match(t):
        return "year"
    if v.value_cell.match(t):
        return "value"
    return "label"


def _compatible(a: str, b: str) -> bool:
    if a == b:
        return True
    # a dash stands for "no value" in a value column; 2000 in a value column is a value
    return {a, b} <= {"value", "attr"} or {a, b} == {"value", "year"}


def _is_cell_line(line: Line) -> bool:
    return len(line.text) <= SHORT_LINE and not SENTENCE_END.search(line.text) and heading_of(line.text) is None


def _column_kind(rows: list[list[str]], c: int) -> str:
    kinds = [r[c] for r in rows]
    return max(set(kinds), key=kinds.count)


def _fit_width(cells: list[Line], v: TableVocabulary) -> tuple[int, int, int] | None:
    """(caption lines, width, rows) of the best grid over ``cells``, or None."""
    best = None
    for caption in (0, 1):
        body = cells[caption:]
        if body and re.sub(r"\s+", "", body[0].text) in v.numbered_headers:
            return caption, 0, 0  # rows start at running numbers: see _numbered_table
        for width in range(2, 7):
            n_rows = len(body) // width
            if n_rows < 3:  # a header and at least two rows
                continue
            header = [cell_kind(c.text, v) for c in body[:width]]
            if "value" in header:
                continue
            rows = [[cell_kind(c.text, v) for c in body[r * width:(r + 1) * width]] for r in range(1, n_rows)]
            if sum(kinds[0] == "label" or kinds[0] == "year" for kinds in rows) < len(rows) * 0.8:
                continue
            if all(k == "label" for kinds in rows for k in kinds):
                continue  # a list of words, not a table
            ok = 0
            for kinds in rows:
                # a column keeps the kind most of its rows have
                if all(_compatible(kinds[c], _column_kind(rows, c)) for c in range(width)):
                    ok += 1
            if ok >= len(rows) * 0.8:
                used = caption + width * n_rows
                score = (ok / len(rows), used, -width)
                if best is None or score > best[0]:
                    best = (score, caption, width, n_rows)
    if best is None:
        return None
    return best[1], best[2], best[3]


def _group_table(cells: list[Line], section: str, v: TableVocabulary) -> tuple[Table, int] | None:
    """A table whose first column groups rows (类别 | 指标 | …), the group named once.

    Flattened, a group's first row has one cell more than the rows after it;
    a label cell followed by another label cell opens a new group.
    """
    caption_n = 0 if re.sub(r"\s+", "", cells[0].text) in v.group_headers else 1
    if len(cells) <= caption_n or re.sub(r"\s+", "", cells[caption_n].text) not in v.group_headers:
        return None
    k = caption_n
    while k < len(cells) and v.indicator_header.search(cells[k].text) and cell_kind(cells[k].text, v) != "value":
        k += 1
    header = tuple(re.sub(r"\s+", "", c.text) for c in cells[caption_n:k])
    width = len(header) - 1  # cells of a row without its group
    if width < 2:
        return None
    rows: list[tuple[Cell, ...]] = []
    group: Line | None = None
    while k + width <= len(cells):
        if cell_kind(cells[k].text, v) == "label" and cell_kind(cells[k + 1].text, v) == "label":
            group = cells[k]
            k += 1
            continue
        row = cells[k:k + width]
        if group is None or cell_kind(row[0].text, v) != "label" or all(cell_kind(c.text, v) == "label" for c in row):
            break
        rows.append(tuple(Cell(c.text, c.start, c.end) for c in (group, *row)))
        k += width
    if len(rows) < 2:
        return None
    caption = cells[0].text if caption_n else ""
    return Table(caption, header, tuple(rows), section, cells[0].start, cells[k - 1].end), k


def _pairs_table(cells: list[Line], section: str, v: TableVocabulary) -> tuple[Table, int] | None:
    """Label/value lines (an annex listing "industry" then "N centres")."""
    rows: list[tuple[Cell, ...]] = []
    label: Line | None = None
    caption = ""
    first = 0
    if cells and cell_kind(cells[0].text, v) == "label" and len(cells) > 1 and cell_kind(cells[1].text, v) == "label":
        caption = cells[0].text
        first = 1
    for line in cells[first:]:
        if re.search(r"\d", line.text) and label is not None:
            rows.append((Cell(label.text, label.start, label.end), Cell(line.text, line.start, line.end)))
            label = None
        elif not re.search(r"\d", line.text):
            label = line
        else:
            label = None
    if len(rows) < 2:
        return None
    return Table(caption, (), tuple(rows), section, cells[0].start, cells[-1].end), len(cells)


def _grid_table(cells: list[Line], section: str, v: TableVocabulary) -> tuple[Table, int] | None:
    fit = _fit_width(cells, v)
    if fit is None:
        return None
    caption_n, width, n_rows = fit
    if width == 0:
        return _numbered_table(cells, caption_n, section, v)
    caption = cells[0].text if caption_n else ""
    body = cells[caption_n:caption_n + width * n_rows]
    header = tuple(re.sub(r"\s+", "", c.text) for c in body[:width])
    rows = tuple(
        tuple(Cell(c.text, c.start, c.end) for c in body[r * width:(r + 1) * width]) for r in range(1, n_rows)
    )
    used = caption_n + width * n_rows
    return Table(caption, header, rows, section, cells[0].start, cells[used - 1].end), used


def _numbered_table(cells: list[Line], caption_n: int, section: str, v: TableVocabulary) -> tuple[Table, int]:
    """A table whose first column is a running number: a row starts at each number."""
    caption = cells[0].text if caption_n else ""
    first = next((k for k in range(caption_n, len(cells)) if cells[k].text == "1"), len(cells))
    head = tuple(cells[caption_n:first])
    rows, used = _numbered_rows(cells, first, len(head), head, v)
    names = tuple(re.sub(r"\s+", "", c.text) for c in head)
    return Table(caption, names, rows, section, cells[0].start, cells[used - 1].end), used


ROW_NUMBER = re.compile(r"^\d{1,3}$")
MAX_ROLE_CELL = 200  # an agency list or a time limit is never longer


def _role_header(all_lines: list[Line], i: int, v: TableVocabulary) -> tuple[Line, ...]:
    """The header cells of a task table starting at line ``i`` (序号 | 重点任务 | 牵头单位 | …), or ()."""
    cells: list[Line] = []
    for line in all_lines[i:i + 8]:
        t = re.sub(r"\s+", "", line.text)
        if len(t) > 12 or re.search(r"\d", t) or not v.task_header.search(t) or re.search(r"(?:表|清单)$", t):
            break  # 重点任务分工表 is the table's caption, not a column
        if heading_of(t):
            break  # 一、压实食品安全责任: the first group of rows
        cells.append(line)
    numbered = [k for k, c in enumerate(cells) if re.sub(r"\s+", "", c.text) in v.numbered_headers]
    if numbered and numbered[0] > 0:
        return ()  # a caption before 序号: the header starts at 序号, on a later line
    if len(cells) < 2 or not any(v.role_header.search(c.text) for c in cells):
        return ()
    return tuple(cells)


def _role_cells_fit(row: list[Line], header: tuple[Line, ...], v: TableVocabulary) -> bool:
    """The role and time columns of a row hold short cells (an agency list, a date), not prose."""
    for cell, head in zip(row, header):
        if v.role_header.search(head.text) and (len(cell.text) > MAX_ROLE_CELL or "。" in cell.text):
            return False
    return True


def _numbered_rows(all_lines: list[Line], k: int, width: int, header: tuple[Line, ...], v: TableVocabulary) -> tuple[tuple[tuple[Cell, ...], ...], int]:
    """Rows that start at running numbers (a gap of a few allowed); cells may be long.

    A row may hold a cell or two more than the header (two 承建单位 in one
    row); what runs past the last row's width after the table is given back.
    """
    rows: list[list[Line]] = []
    last = 0
    while k < len(all_lines):
        line = all_lines[k]
        if ROW_NUMBER.match(line.text) and (not rows or last < int(line.text) <= last + 3):
            if rows and not _role_cells_fit(rows[-1], header, v):
                break
            rows.append([line])
            last = int(line.text)
        elif rows and len(rows[-1]) < width + 2 and heading_of(line.text) is None:
            rows[-1].append(line)
        else:
            break
        k += 1
    if rows and len(rows[-1]) > width:
        k -= len(rows[-1]) - width
        rows[-1] = rows[-1][:width]
    if rows and (len(rows[-1]) < 2 or not _role_cells_fit(rows[-1], header, v)):
        k -= len(rows.pop())
    table_rows = tuple(tuple(Cell(c.text, c.start, c.end) for c in r) for r in rows)
    return table_rows, k


def _fixed_rows(all_lines: list[Line], k: int, width: int, header: tuple[Line, ...], v: TableVocabulary) -> tuple[tuple[tuple[Cell, ...], ...], int]:
    """Rows of exactly the header's width, for as long as their role cells stay short."""
    rows = []
    while k + width <= len(all_lines):
        row = all_lines[k:k + width]
        if any(heading_of(c.text) for c in row) or not _role_cells_fit(row, header, v):
            break
        rows.append(tuple(Cell(c.text, c.start, c.end) for c in row))
        k += width
    return tuple(rows), k


def split_sentences(text: str, start: int, section: str, paragraph: int) -> list[Sentence]:
    out = []
    pos = 0
    for m in SENTENCE_END.finditer(text):
        piece = text[pos:m.end()]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append(Sentence(piece.strip(), start + pos + lead, start + pos + lead + len(piece.strip()), section, paragraph))
        pos = m.end()
    piece = text[pos:]
    if piece.strip():
        lead = len(piece) - len(piece.lstrip())
        out.append(Sentence(piece.strip(), start + pos + lead, start + pos + lead + len(piece.strip()), section, paragraph))
    return out


def parse(doc: Document, compiled: "Compiled") -> Structure:
    v = compiled.tables
    all_lines = lines(doc.text, v)
    headings: list[Heading] = []
    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    tables: list[Table] = []
    stack: list[tuple[int, str]] = []

    def section() -> str:
        return "".join(label for _, label in stack)

    def add_paragraph(line: Line, heading: Heading | None, skip: int = 0) -> None:
        """The line as a paragraph; its sentences leave out the first ``skip`` characters (a heading number)."""
        index = len(paragraphs)
        paragraphs.append(Paragraph(line.text, line.start, line.end, section(), heading))
        sentences.extend(split_sentences(line.text[skip:], line.start + skip, section(), index))

    last_number = 0
    carried: tuple[Line, ...] = ()  # the header of a task table that a group heading interrupted
    i = 0
    while i < len(all_lines):
        line = all_lines[i]
        head = heading_of(line.text, last_number)
        if head and head[0] > 2:
            carried = ()
        if head:
            level, label = head
            if level == 3:
                last_number = int(re.match(r"\d+", label).group(0))
            elif level < 3:
                last_number = 0
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, label))
            label_len = _label_length(line.text, label)
            after = line.text[label_len:]
            m = TITLE_END.search(after)
            if m and m.start() <= MAX_TITLE:
                title = after[:m.start()].strip()
            elif len(after) <= MAX_TITLE:
                title = after.strip().rstrip("。.")
            else:
                title = CLAUSE_PUNCT.split(after, 1)[0].strip()[:MAX_TITLE]
            heading = Heading(level, label, title, line.start, line.end)
            headings.append(heading)
            add_paragraph(line, heading, label_len)
            i += 1
            continue
        # a task table: a header that names roles or time limits, rows of any length
        header = _role_header(all_lines, i, v)
        if header or (carried and ROW_NUMBER.match(line.text)):
            cells_from = i + len(header) if header else i
            header = header or carried
            width = len(header)
            numbered = re.sub(r"\s+", "", header[0].text) in v.numbered_headers
            rows, k = (_numbered_rows if numbered else _fixed_rows)(all_lines, cells_from, width, header, v)
            if rows:
                names = tuple(re.sub(r"\s+", "", c.text) for c in header)
                tables.append(Table("", names, rows, section(), all_lines[i].start, all_lines[k - 1].end))
                carried = header  # a group heading inside the table (一、推动芯片全链发展) keeps its columns
                i = k
                continue
            if cells_from < len(all_lines) and heading_of(all_lines[cells_from].text):
                carried = header  # the first group heading comes right after the header
                i = cells_from
                continue
        carried = ()
        # a run of short lines may be a flattened table
        j = i
        while j < len(all_lines) and _is_cell_line(all_lines[j]) and (j == i or not _role_header(all_lines, j, v)):
            j += 1  # a task table's header starts a table of its own
        if j - i >= 5:
            run = all_lines[i:j]
            found = _grid_table(run, section(), v) or _group_table(run, section(), v) or _pairs_table(run, section(), v)
            if found:
                table, used = found
                tables.append(table)
                if table.title:
                    caption = run[0]
                    index = len(paragraphs)
                    paragraphs.append(Paragraph(caption.text, caption.start, caption.end, section(), None))
                    sentences.extend(split_sentences(caption.text, caption.start, section(), index))
                i += used
                continue
            header = re.sub(r"\s+", "", run[0].text)
            if v.indicator_header.search(header) and cell_kind(run[1].text, v) != "label" and len(header) <= 12:
                first = doc.text.count("\n", 0, run[0].start) + 1
                compiled.warn(
                    f"lines {first}–{first + doc.text.count(chr(10), run[0].start, run[-1].end)}: a table (「{header}」 …) "
                    "whose cells do not line up into columns; read as text"
                )
        add_paragraph(line, None)
        i += 1
    return Structure(tuple(headings), tuple(paragraphs), tuple(sentences), tuple(tables))


def _label_length(line: str, label: str) -> int:
    """How many characters of ``line`` the heading label takes (it may hold spaces)."""
    taken, k = 0, 0
    while k < len(label) and taken < len(line):
        if line[taken] == label[k]:
            k += 1
        taken += 1
    while taken < len(line) and line[taken] in " :：":
        taken += 1
    return taken


class ReviewSections:
    """Which positions lie in a section about the past (回顾, 现状, 形势 …).

    A heading reviews the past when its title ends with one of the
    ``review_headings`` patterns of the ``sections`` ruleset; everything under
    it, down to the next heading of its level or above, is review.
    """

    def __init__(self, structure: Structure, patterns: Iterable[str], task_verbs: Iterable[str] = ()) -> None:
        words = [p for p in patterns]
        ending = re.compile("(?:" + "|".join(words) + r")\s*[。.:：]?$") if words else None
        verbs = sorted((str(v) for v in task_verbs), key=len, reverse=True)
        opening = re.compile("^(?:" + "|".join(re.escape(v) for v in verbs) + ")") if verbs else None
        stack: list[tuple[int, bool]] = []
        self._starts: list[int] = []
        self._flags: list[bool] = []
        for heading in sorted(structure.headings, key=lambda h: h.start):
            while stack and stack[-1][0] >= heading.level:
                stack.pop()
            review = bool(ending and ending.search(heading.title)) and not (opening and opening.match(heading.title))
            stack.append((heading.level, review))
            self._starts.append(heading.start)
            self._flags.append(any(flag for _, flag in stack))

    @classmethod
    def from_book(cls, structure: Structure, compiled: "Compiled") -> "ReviewSections":
        tables = compiled["sections"].tables
        return cls(structure, tables.get("review_headings", []), tables.get("task_verbs", []))

    def covers(self, pos: int) -> bool:
        k = bisect.bisect_right(self._starts, pos) - 1
        return k >= 0 and self._flags[k]


# ---------------------------------------------------------------- table examples

_CELL_TABLES = {
    "unit_cells": "unit", "per_units": "unit", "value_prefixes": "value", "value_suffixes": "value",
    "year_suffixes": "year", "attribute_cells": "attr",
}
_COLUMN_TABLES = {
    "role_headers": ("role", "role_header"), "time_headers": ("time", "time_column"),
    "indicator_headers": ("indicator", "indicator_header"), "task_headers": ("task", "task_header"),
    "work_headers": ("work", "work_header"),
}


@table_checker("structure")
def _check_table_example(table: str, text: str, compiled: "Compiled") -> dict[str, str] | None:
    """A cell table's example is a cell of its kind; a header table's example is a header of its column."""
    v = compiled.tables
    if table in _CELL_TABLES:
        kind = cell_kind(text, v)
        return {"kind": kind} if kind == _CELL_TABLES[table] else None
    if table in _COLUMN_TABLES:
        column, attr = _COLUMN_TABLES[table]
        return {"column": column} if getattr(v, attr).search(text) else None
    cell = re.sub(r"\s+", "", text)
    if table == "numbered_headers":
        return {"column": "number"} if cell in v.numbered_headers else None
    if table == "group_headers":
        return {"column": "group"} if cell in v.group_headers else None
    if table == "sequence_headers":
        return {"column": "sequence"} if v.sequence_header.fullmatch(cell) else None
    return None


@table_checker("sections")
def _check_sections_example(table: str, text: str, compiled: "Compiled") -> dict[str, bool] | None:
    """A review_headings example is a heading title that opens a review; a task_verbs one a title that does not."""
    heading = Heading(1, "一、", text, 0, len(text))
    review = ReviewSections.from_book(Structure((heading,), (), (), ()), compiled).covers(0)
    if table == "review_headings":
        return {"review": True} if review else None
    return {"review": False} if not review and re.match(r"\S", text) else None
