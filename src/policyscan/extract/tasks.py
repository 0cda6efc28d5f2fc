"""Numbered work items and the agencies that carry them out.

A task is a numbered heading with its body (``(二)完善质量发展激励机制。…``)
and the agency clauses that name who does the work: most often a bracket
such as ``(省质监局牵头,省发展改革委、省工信委配合)`` at the end of the item
or on a line of its own after it. A clause may also go without brackets: on
label lines after the item (牵头单位:X / 配合单位:Y / 完成时限:…), after its
last sentence, on a line of its own (X、Y负责落实。), or opening the item
(由X牵头,Y配合,加快…). All clauses of an item count, an agency keeping the
role it is first given. A table whose header names roles (牵头单位 | 配合单位,
责任单位 | 完成时限) gives one task per row, also when its rows are written
one per line between pipes. How a clause is read (role labels and verbs,
separators, time limits, a trailing 等) is in ``rules/tasks.yaml``; which
names are agencies is in ``rules/agencies.yaml``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from policyscan.agencies import agency_shape, clean_name, is_agency, resolve_agency
from policyscan.model import Agency, Cell, Deadline, Document, Heading, Paragraph, Structure, Table, Task
from policyscan.rules import Rule, Ruleset, interpreter

if TYPE_CHECKING:
    from policyscan.compiled import Compiled

ROLES = ("lead", "cooperating", "responsible")
OPENERS = "(（〔[【"
CLOSERS = ")）〕]】"
TRAILING_PUNCT = re.compile(r"^[\s。.;；,，]*$")
MAX_NAME = 40
INLINE_ROLE = re.compile(r"[(（]([^()（）]+)[)）]$")
SENTENCE_END = "。;；!！?？ \t\u3000"
LABEL_COLON = re.compile("[:：]")
MARKED_ONLY = ("division",)  # shapes that count as agencies only beside a role word
EMPTY_CELL = re.compile(r"^[\s—\-/无／－]*$")
WORK_AFTER = re.compile(r"[\s,;，；]*([^,;，；。\n]*)")  # the work that follows a clause opening the item
PIPE_RULE = re.compile(r"^:?-{3,}:?$")
ITEM_NUMBER = re.compile(r"^(\d{1,3}[.、])(?!\d)")
NOT_A_NAME = re.compile(r"[。:：!?！？“”\"《》\d]|简称|以下")


@dataclass(frozen=True)
class Assignment:
    name: str
    role: str
    rule: str  # the id of the rule that gave the role ("" when none did)


@dataclass(frozen=True)
class Reading:
    """What a clause says: its names with their roles, and whether a role word said so."""

    assignments: tuple[Assignment, ...]
    marked: bool  # False for a bracket of bare names


@dataclass(frozen=True)
class Clause:
    """An agency clause found in the text: normalized positions include the brackets."""

    start: int
    end: int
    text: str
    assignments: tuple[Assignment, ...]

    def names(self, role: str) -> tuple[str, ...]:
        return tuple(a.name for a in self.assignments if a.role == role)


# ---------------------------------------------------------------- reading a clause


def _by_form(rs: Ruleset, form: str) -> list[Rule]:
    return sorted((r for r in rs.rules if r.emit.get("form") == form), key=lambda r: -r.priority)


def _depths(text: str) -> list[int]:
    """Bracket depth of every character (the brackets themselves count as inside)."""
    out, depth = [], 0
    for ch in text:
        if ch in OPENERS:
            depth += 1
            out.append(depth)
        elif ch in CLOSERS:
            out.append(depth)
            depth = max(depth - 1, 0)
        else:
            out.append(depth)
    return out


def _split(text: str, rules: list[Rule]) -> list[str]:
    """``text`` cut at the matches of ``rules`` that are outside nested brackets."""
    depth = _depths(text)
    cuts = sorted(
        {(m.start(), m.end()) for r in rules for m in r.finditer(text) if m.end() > m.start() and depth[m.start()] == 0}
    )
    pieces, pos = [], 0
    for start, end in cuts:
        if start < pos:
            continue
        pieces.append(text[pos:start])
        pos = end
    pieces.append(text[pos:])
    return [p.strip() for p in pieces]


def _names(text: str, rs: Ruleset) -> list[str]:
    """The names of a list, each without a trailing 等; a bare level word joins the next name."""
    out: list[str] = []
    joins = _by_form(rs, "join")
    held = ""  # 各市、 waiting for 县人民政府
    for piece in _split(text, _by_form(rs, "item")):
        for rule in _by_form(rs, "strip"):
            m = rule.search(piece)
            if m and m.end() == len(piece):
                piece = piece[:m.start()]
        piece = clean_name(piece)
        if not piece:
            continue
        if any(rule.fullmatch(piece) for rule in joins):
            held += piece + "、"
            continue
        out.append(held + piece)
        held = ""
    if held:
        out.append(held.rstrip("、"))
    return out


def _segments(content: str, rs: Ruleset) -> list[str]:
    """The segments of a clause: cut at separators, and before a role label that follows a space."""
    out = []
    labels = _by_form(rs, "label")
    for segment in _split(content, _by_form(rs, "segment")):
        starts = sorted({m.start() for r in labels for m in r.finditer(segment) if m.start() > 0})
        for a, b in zip([0, *starts], [*starts, len(segment)]):
            if segment[a:b].strip():
                out.append(segment[a:b].strip())
    return out


def _closing_verb(segment: str, rs: Ruleset) -> tuple[Rule, re.Match[str]] | None:
    """The role verb that ends ``segment`` (the longest one), if any."""
    best = None
    for rule in _by_form(rs, "verb"):
        for m in rule.finditer(segment):
            if m.end() == len(segment) and (best is None or m.start() < best[1].start()):
                best = (rule, m)
    return best


def _inline_role(name: str, role: str, rule: Rule | None, rs: Ruleset) -> tuple[str, str, Rule | None]:
    """A name that carries its own role in a bracket (省商务厅(牵头)) takes that role."""
    m = INLINE_ROLE.search(name)
    if m and m.start() > 0:
        verb = _closing_verb(m.group(1), rs)
        if verb and verb[1].start() == 0:
            return name[:m.start()], verb[0].emit["role"], verb[0]
    return name, role, rule


def _read_sentence(content: str, compiled: "Compiled", rs: Ruleset) -> Reading | None:
    """The names one sentence of a clause assigns to roles, or None when it assigns none."""
    labels = _by_form(rs, "label")
    times = _by_form(rs, "time")
    connectors = _by_form(rs, "connector")
    out: list[tuple[str, str, Rule | None]] = []  # name, role, rule
    pending: list[str] = []
    label: Rule | None = None
    timed = False  # after a time-limit label (完成时限:), until the next role label
    marked = False
    for segment in _segments(content, rs):
        for rule in labels:
            m = rule.match(segment)
            if m:
                label, marked, timed = rule, True, False
                segment = segment[m.end():].strip()
                break
        else:
            time = next((m for rule in times if (m := rule.match(segment))), None)
            if time is not None and LABEL_COLON.search(time.group(0)):
                label, timed = None, True
        if timed or not segment or any(rule.match(segment) for rule in times):
            continue
        verb = _closing_verb(segment, rs)
        body = segment[:verb[1].start()] if verb else segment
        if verb:
            marked = True
        joined = next(((r, m) for r in connectors for m in r.finditer(body)), None)
        if joined:
            rule, m = joined
            marked = True
            out.extend((n, rule.emit["role"], rule) for n in pending + _names(body[:m.start()], rs))
            out.extend((n, rule.emit.get("with_lead", "cooperating"), rule) for n in _names(body[m.end():], rs))
            pending = []
            continue
        names = _names(body, rs)
        if verb:
            out.extend((n, verb[0].emit["role"], verb[0]) for n in pending + names)
            pending = []
        elif label is not None:
            out.extend((n, label.emit["role"], label) for n in names)
        else:
            pending.extend(names)
    out = [_inline_role(n, role, rule, rs) for n, role, rule in out]
    inline = [_inline_role(n, "", None, rs) for n in pending]
    out.extend(item for item in inline if item[2] is not None)
    pending = [n for n, _, rule in inline if rule is None]
    marked = marked or any(rule is not None and rule.emit.get("form") == "verb" for _, _, rule in inline)
    has_lead = any(role == "lead" for _, role, _ in out)
    if pending:
        if not marked and not all(is_agency(n, compiled) and agency_shape(n, compiled) not in MARKED_ONLY for n in pending):
            return None  # a bare bracket holds only agencies
        out.extend((n, "cooperating" if has_lead else "responsible", None) for n in pending)
    if not out:
        return None
    names = [n for n, _, _ in out]
    if any(len(n) > MAX_NAME or NOT_A_NAME.search(n) for n in names) or not any(is_agency(n, compiled) for n in names):
        return None
    result: list[Assignment] = []
    seen: set[tuple[str, str]] = set()
    for name, role, rule in out:
        if rule is not None and has_lead and role != "lead" and "with_lead" in rule.emit and rule.emit.get("form") == "label":
            role = rule.emit["with_lead"]
        if (name, role) not in seen:
            seen.add((name, role))
            result.append(Assignment(name, role, rule.id if rule else ""))
    return Reading(tuple(result), marked)


def merge_assignments(groups: list[tuple[Assignment, ...]]) -> tuple[Assignment, ...]:
    """The assignments of several clauses (or sentences) of one item, in order;
    an agency named again keeps the role it was first given."""
    out: list[Assignment] = []
    seen: set[str] = set()
    for group in groups:
        for a in group:
            if a.name not in seen:
                seen.add(a.name)
                out.append(a)
    return tuple(out)


def read_clause(content: str, compiled: "Compiled", strict: bool = False) -> Reading | None:
    """The names a clause assigns to roles, or None when it is not an agency clause.

    ``content`` is the text inside the brackets. A clause of several
    sentences (〔A牵头,B负责。以下均需地方负责,不再列出〕) is read sentence by
    sentence, and a sentence that assigns no agency is passed over; with
    ``strict`` every sentence must assign agencies, and every name must be one.
    """
    if "tasks" not in compiled:
        return None
    rs = compiled["tasks"]
    sentences = [s for s in _split(content, _by_form(rs, "sentence")) if s]
    readings = [_read_sentence(s, compiled, rs) for s in sentences] if len(sentences) > 1 else [_read_sentence(content, compiled, rs)]
    found = [r for r in readings if r is not None]
    if not found or (strict and len(found) < len(readings)):
        return None
    if strict and not all(is_agency(a.name, compiled) for r in found for a in r.assignments):
        return None
    if len(found) == 1:
        return found[0]
    return Reading(merge_assignments([r.assignments for r in found]), any(r.marked for r in found))


def _groups(text: str) -> list[tuple[int, int]]:
    """Outermost bracket groups of ``text`` as (start, end), brackets included."""
    out, stack = [], []
    for i, ch in enumerate(text):
        if ch in OPENERS:
            stack.append(i)
        elif ch in CLOSERS and stack:
            start = stack.pop()
            if not stack:
                out.append((start, i + 1))
    return out


def label_start(text: str, compiled: "Compiled") -> int | None:
    """Where an unbracketed clause opens in ``text``: the first role label or
    time-limit label (牵头单位:, 完成时限:) at the start of the text or of a
    sentence, outside brackets."""
    if "tasks" not in compiled:
        return None
    rs = compiled["tasks"]
    labels = _by_form(rs, "label") + _by_form(rs, "time")
    depth = _depths(text)
    for pos in range(len(text)):
        if depth[pos] or (pos and text[pos - 1] not in SENTENCE_END):
            continue
        rest = text[pos:]
        for rule in labels:
            m = rule.match(rest)
            if m and (rule.emit.get("form") == "label" or LABEL_COLON.search(m.group(0))):
                return pos
    return None


def _open_clause(text: str, offset: int, compiled: "Compiled") -> Clause | None:
    """An unbracketed clause from a label to the end of ``text`` (…。责任单位:市工信局)."""
    start = label_start(text, compiled)
    if start is None:
        return None
    content = text[start:].rstrip(" \t\u3000。.")
    reading = read_clause(content, compiled)
    if reading is None or not reading.marked:
        return None
    return Clause(offset + start, offset + start + len(content), content, reading.assignments)


def _clause_lines(paragraphs: list[Paragraph], compiled: "Compiled") -> Clause | None:
    """An unbracketed clause whose labels stand on lines of their own
    (牵头单位:X / 配合单位:Y / 完成时限:…), read as one."""
    content = ";".join(p.text.strip().rstrip("。.;；") for p in paragraphs)
    reading = read_clause(content, compiled)
    if reading is None or not reading.marked:
        return None
    return Clause(paragraphs[0].start, paragraphs[-1].end, content, reading.assignments)


def _opening_clause(text: str, offset: int, compiled: "Compiled") -> Clause | None:
    """A clause that opens the item (由省经贸委负责,省农业厅配合,加快…): from the
    opener over the segments of the first sentence that end in a role verb."""
    if "tasks" not in compiled:
        return None
    rs = compiled["tasks"]
    lead = len(text) - len(text.lstrip())
    opener = next((m for r in _by_form(rs, "opener") if (m := r.match(text[lead:]))), None)
    if opener is None:
        return None
    begin = lead + opener.end()
    depth = _depths(text)
    cuts = sorted(
        m.start() for r in _by_form(rs, "segment") + _by_form(rs, "sentence") for m in r.finditer(text, begin) if not depth[m.start()]
    )
    end, pos = begin, begin
    for cut in [*cuts, len(text)]:
        if _closing_verb(text[pos:cut].strip(), rs) is None:
            break
        end = cut
        if cut < len(text) and any(r.match(text, cut) for r in _by_form(rs, "sentence")):
            break
        pos = cut + 1
    if end == begin:
        return None
    reading = read_clause(text[begin:end], compiled)
    if reading is None or not reading.marked:
        return None
    return Clause(offset + lead, offset + end, text[lead:end], reading.assignments)


def find_clauses(text: str, offset: int, compiled: "Compiled", opening: bool = False) -> list[Clause]:
    """The agency clauses in ``text`` (a paragraph that starts at ``offset``), in order.

    With ``opening``, a clause that opens the text (由X负责,…) counts too."""
    out: list[Clause] = []
    first = _opening_clause(text, offset, compiled) if opening else None
    if first is not None:
        out.append(first)
    opened = _open_clause(text, offset, compiled)
    limit = opened.start - offset if opened is not None else len(text)
    for start, end in _groups(text):
        if end > limit or (first is not None and start < first.end - offset):
            continue
        reading = read_clause(text[start + 1:end - 1], compiled)
        if reading is None:
            continue
        if not reading.marked and not TRAILING_PUNCT.match(text[end:]):
            continue  # a bracket of bare names counts only at the end of the item
        out.append(Clause(offset + start, offset + end, text[start:end], reading.assignments))
    if opened is not None:
        out.append(opened)
    return out


def find_clause(text: str, offset: int, compiled: "Compiled") -> Clause | None:
    """The last agency clause in ``text`` (a paragraph that starts at ``offset``)."""
    found = find_clauses(text, offset, compiled)
    return found[-1] if found else None


def _clause_line(para: Paragraph, compiled: "Compiled") -> Clause | None:
    """A line after the item that is a clause without brackets (省质监局、省科技厅负责落实。):
    every name on it an agency, given a role by a role word."""
    text = para.text.strip()
    content = text.rstrip("。.;；")
    if not content or content[0] in OPENERS:
        return None
    reading = read_clause(content, compiled, strict=True)
    if reading is None or not reading.marked:
        return None
    start = para.start + para.text.index(content)
    return Clause(start, start + len(content), content, reading.assignments)


# ---------------------------------------------------------------- tasks


def _sections(structure: Structure) -> dict[int, str]:
    """Each heading's section label, by the heading's start.

    A heading is named by its own label ((一), 1.) when no other heading of
    its level has the same label; when a level restarts its numbering (一、
    and 二、 each with a (一)), its headings are named with as many enclosing
    labels as make them all distinct (三、(一)).
    """
    paths: list[tuple[Heading, tuple[str, ...]]] = []
    stack: list[Heading] = []
    for h in structure.headings:
        while stack and stack[-1].level >= h.level:
            stack.pop()
        stack.append(h)
        paths.append((h, tuple(s.label for s in stack)))
    out: dict[int, str] = {}
    for level in {h.level for h, _ in paths}:
        group = [(h, p) for h, p in paths if h.level == level]
        depth = max(len(p) for _, p in group)
        k = next((k for k in range(1, depth + 1) if len({p[-k:] for _, p in group}) == len(group)), depth)
        for h, p in group:
            out[h.start] = "".join(p[-k:])
    return out


def _blocks(structure: Structure) -> list[tuple[Heading, list[Paragraph]]]:
    blocks: list[tuple[Heading, list[Paragraph]]] = []
    for para in structure.paragraphs:
        if para.heading is not None:
            blocks.append((para.heading, [para]))
        elif blocks:
            blocks[-1][1].append(para)
    return blocks


def _deadline_year(deadlines: tuple[Deadline, ...], clause_span: tuple[int, int]) -> int | None:
    """The year of a dated time limit in the clause, else of the latest one in the item."""
    dated = [d for d in deadlines if d.date is not None]
    inside = [d for d in dated if clause_span[0] <= d.span.start and d.span.end <= clause_span[1]]
    chosen = inside or dated
    return max(d.date.year for d in chosen) if chosen else None  # type: ignore[union-attr]


def _block_clauses(paragraphs: list[Paragraph], compiled: "Compiled") -> list[Clause]:
    """The agency clauses of an item, in order: brackets in its text, lines after
    it that open with a label (read together) or that are a clause by
    themselves, and a clause that opens the item (由X负责,…)."""
    out: list[Clause] = []
    run: list[Paragraph] = []

    def flush() -> None:
        if run:
            clause = _clause_lines(run, compiled)
            if clause is not None:
                out.append(clause)
            run.clear()

    for i, para in enumerate(paragraphs):
        if i > 0 and label_start(para.text.strip(), compiled) == 0:
            run.append(para)
            continue
        flush()
        line = _clause_line(para, compiled) if i > 0 else None
        if line is not None:
            out.append(line)
            continue
        text, offset = para.text, para.start
        if para.heading is not None:
            at = text.find(para.heading.label)
            if at >= 0 and not text[:at].strip():
                text, offset = text[at + len(para.heading.label):], offset + at + len(para.heading.label)
        out.extend(find_clauses(text, offset, compiled, opening=True))
    flush()
    return out


def _merged(clauses: list[Clause]) -> Clause:
    """An item's clauses as one: their assignments merged, an agency keeping its first role."""
    if len(clauses) == 1:
        return clauses[0]
    return Clause(
        clauses[0].start,
        clauses[-1].end,
        "".join(c.text for c in clauses),
        merge_assignments([c.assignments for c in clauses]),
    )


def _pipe_cells(para: Paragraph) -> tuple[Cell, ...] | None:
    """The cells of a table row written on one line between pipes (| 1 | 任务 | 县农业农村局 |)."""
    text = para.text.rstrip()
    lead = len(text) - len(text.lstrip())
    if not text[lead:].startswith("|") or not text.endswith("|") or len(text) - lead < 3:
        return None
    cells, pos = [], lead + 1
    for m in re.finditer(r"\|", text[lead + 1:]):
        end = lead + 1 + m.start()
        raw = text[pos:end]
        inner = raw.strip()
        at = pos + (raw.index(inner) if inner else 0)
        cells.append(Cell(inner, para.start + at, para.start + at + len(inner)))
        pos = end + 1
    return tuple(cells)


def _pipe_tables(structure: Structure) -> list[Table]:
    """Tables written with a pipe-separated line per row; the first line is the header.

    Structure reads tables of one cell per line; a table whose rows stand on
    one line each stays a run of paragraphs, read here."""
    out: list[Table] = []
    run: list[tuple[Paragraph, tuple[Cell, ...]]] = []
    covered = [(t.start, t.end) for t in structure.tables]

    def flush() -> None:
        rows = [cells for _, cells in run if not all(PIPE_RULE.match(c.text) for c in cells)]
        if len(rows) >= 2:
            header = tuple(re.sub(r"\s+", "", c.text) for c in rows[0])
            first, last = run[0][0], run[-1][0]
            out.append(Table("", header, tuple(rows[1:]), first.section, first.start, last.end))
        run.clear()

    for para in structure.paragraphs:
        cells = None if any(a <= para.start < b for a, b in covered) else _pipe_cells(para)
        if cells is None:
            flush()
        else:
            run.append((para, cells))
    flush()
    return out


def _row_columns(table: Table, row: tuple[Cell, ...], labelled: list[int], compiled: "Compiled") -> dict[int, Cell] | None:
    """The row's cells by column, and whether its role cells read as a clause.

    A row under cells that span several rows leaves those leading cells out
    (| 2.持续开展… | 县农业农村局 | 2025年11月底前 | | |): when its cells as
    written do not give a clause, they are read against the last columns."""
    width = len(table.header)
    as_written = {i: cell for i, cell in enumerate(row)}
    cells = list(row)
    while cells and EMPTY_CELL.match(cells[-1].text):
        cells.pop()
    shifted = {width - len(cells) + i: cell for i, cell in enumerate(cells)} if 0 < len(cells) < width else None
    for cols in (as_written, shifted):
        if cols is None:
            continue
        filled = [(table.header[i].strip(), cols[i]) for i in labelled if i in cols and not EMPTY_CELL.match(cols[i].text)]
        if not filled:
            continue
        reading = read_clause(";".join(f"{header}:{cell.text}" for header, cell in filled), compiled)
        if reading is not None and reading.marked:
            return cols
    return None


def _table_tasks(doc: Document, structure: Structure, deadlines: tuple[Deadline, ...], compiled: "Compiled") -> list[Task]:
    """One task per row of a table whose header names roles (牵头单位 | 配合单位 | 完成时限)."""
    tasks = []
    for table in [*structure.tables, *_pipe_tables(structure)]:
        labelled = [i for i, h in enumerate(table.header) if label_start(h.strip() + ":", compiled) == 0]
        if not labelled:
            continue
        rest = [i for i in range(len(table.header)) if i not in labelled]
        seq = next((i for i in rest if compiled.tables.sequence_header.fullmatch(table.header[i].strip())), None)
        works = [i for i in rest if i != seq and i < labelled[0] and compiled.tables.work_header.search(table.header[i])]
        work = works[-1] if works else next((i for i in rest if i != seq), None)
        for row in table.rows:
            cols = _row_columns(table, row, labelled, compiled)
            if cols is None:
                continue
            filled = [(table.header[i].strip(), cols[i]) for i in labelled if i in cols and not EMPTY_CELL.match(cols[i].text)]
            cells = [cell for _, cell in filled]
            content = ";".join(f"{header}:{cell.text}" for header, cell in filled)
            reading = read_clause(content, compiled)
            assert reading is not None
            span = doc.raw_span(row[0].start, row[-1].end)
            clause_span = doc.raw_span(cells[0].start, cells[-1].end)
            inside = tuple(d for d in deadlines if span.start <= d.span.start and d.span.end <= span.end)
            clause = Clause(cells[0].start, cells[-1].end, content, reading.assignments)
            roles = _roles(doc, clause, compiled)
            title = cols[work].text if work is not None and work in cols else ""
            section = cols[seq].text if seq is not None and seq in cols else table.section
            if seq is None and (m := ITEM_NUMBER.match(title)):
                section, title = m.group(1), title[m.end():].strip()
            head = re.match(r"[^。;；!?！？]{2,40}(?=[。;；!?！？])", title)
            if head:
                title = head.group(0)  # 提升消费品质量。开展…: a cell that opens with its title
            tasks.append(
                Task(
                    section=section,
                    title=title,
                    lead=roles["lead"],
                    cooperating=roles["cooperating"],
                    responsible=roles["responsible"],
                    deadline_year=_deadline_year(inside, (clause_span.start, clause_span.end)),
                    text=content,
                    span=span,
                    deadlines=inside,
                    rule=_rule(clause),
                )
            )
    return tasks


def _roles(doc: Document, clause: Clause, compiled: "Compiled") -> dict[str, tuple[Agency, ...]]:
    """The clause's agencies by role, each with the raw span of the name where the clause writes it."""
    text = doc.text
    pos = clause.start
    out: dict[str, list[Agency]] = {role: [] for role in ROLES}
    for a in clause.assignments:
        agency = resolve_agency(a.name, compiled)
        if not agency.known and agency.kind is None:
            line = text.count("\n", 0, clause.start) + 1
            compiled.warn(f"line {line}: 「{a.name}」 is named as {a.role} but has no agency shape rules/agencies.yaml knows")
        written = _written(a.name)
        m = written.search(text, pos, clause.end) or written.search(text, clause.start, clause.end)
        if m is not None:
            agency = replace(agency, span=doc.raw_span(m.start(), m.end()))
            pos = m.end()
        out[a.role].append(agency)
    return {role: tuple(v) for role, v in out.items()}


def _written(name: str) -> "re.Pattern[str]":
    """A cleaned name as the text may write it: with white space between its characters."""
    return re.compile(r"\s*".join(re.escape(ch) for ch in name))


def _rule(clause: Clause) -> str:
    """The id of the rule that gave the clause its first role."""
    return next((a.rule for a in clause.assignments if a.rule), "")


def extract_tasks(doc: Document, structure: Structure, deadlines: tuple[Deadline, ...], compiled: "Compiled") -> tuple[Task, ...]:
    sections = _sections(structure)
    tasks = []
    for heading, paragraphs in _blocks(structure):
        clauses = _block_clauses(paragraphs, compiled)
        if not clauses:
            continue
        clause = _merged(clauses)
        span = doc.raw_span(paragraphs[0].start, clause.end)
        clause_span = doc.raw_span(clause.start, clause.end)
        inside = tuple(d for d in deadlines if span.start <= d.span.start and d.span.end <= span.end)
        roles = _roles(doc, clause, compiled)
        title = heading.title
        for part in clauses:
            if part.text in title:
                title = title.replace(part.text, "")
            elif title and title in part.text:  # the heading line was cut inside a clause that opens the item
                title = WORK_AFTER.match(doc.text, part.end).group(1)
        title = title.strip().lstrip(",;，；").strip()
        tasks.append(
            Task(
                section=sections.get(heading.start, heading.label),
                title=title,
                lead=roles["lead"],
                cooperating=roles["cooperating"],
                responsible=roles["responsible"],
                deadline_year=_deadline_year(inside, (clause_span.start, clause_span.end)),
                text=clause.text,
                span=span,
                deadlines=inside,
                rule=_rule(clause),
            )
        )
    tasks.extend(_table_tasks(doc, structure, deadlines, compiled))
    return tuple(tasks)


# ---------------------------------------------------------------- rule examples


@interpreter("tasks")
def _interpret(rule: Rule, m: re.Match[str], text: str, compiled: "Compiled") -> dict[str, Any] | None:
    """What a rule does to an example clause: the names it gives a role, or the text it cuts."""
    form = rule.emit.get("form")
    if form in ("label", "verb", "connector"):
        reading = read_clause(text, compiled)
        if reading is None:
            return None
        mine = [a for a in reading.assignments if a.rule == rule.id]
        if not mine:
            return None
        role = mine[0].role
        return {**rule.emit, "role": role, "names": [a.name for a in mine if a.role == role]}
    return {**rule.emit, "text": m.group(0)}
