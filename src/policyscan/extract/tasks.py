"""Numbered work items and the agencies that carry them out.

A task is a numbered heading with its body (``(二)完善质量发展激励机制。…``)
whose last agency clause - a bracket such as ``(省质监局牵头,省发展改革委、
省工信委配合)`` at the end of the item, or on a line of its own after it -
names who does the work. A clause may also go without brackets, on label
lines after the item (牵头单位:X / 配合单位:Y / 完成时限:…) or after its last
sentence, and a table whose header names roles (牵头单位 | 配合单位) gives
one task per row. How a clause is read (role labels and verbs,
separators, time limits, a trailing 等) is in ``rules/tasks.yaml``; which
names are agencies is in ``rules/agencies.yaml``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from policyscan.agencies import agency_shape, clean_name, is_agency, resolve_agency
from policyscan.model import Deadline, Document, Heading, Paragraph, Structure, Task
from policyscan.rules import Rule, RuleBook, Ruleset, interpreter, load_rules

ROLES = ("lead", "cooperating", "responsible")
OPENERS = "(（〔[【"
CLOSERS = ")）〕]】"
TRAILING_PUNCT = re.compile(r"^[\s。.;；,，]*$")
MAX_NAME = 40
INLINE_ROLE = re.compile(r"[(（]([^()（）]+)[)）]$")
SENTENCE_END = "。;；!！?？ \t\u3000"
LABEL_COLON = re.compile("[:：]")
MARKED_ONLY = ("division",)  # shapes that count as agencies only beside a role word
SEQ_HEADER = re.compile(r"序号|编号|序")
WORK_HEADER = re.compile(r"任务|事项|工作|内容|措施")
EMPTY_CELL = re.compile(r"^[\s—\-/无／－]*$")
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
        {(m.start(), m.end()) for r in rules for m in r.regex.finditer(text) if m.end() > m.start() and depth[m.start()] == 0}
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
            m = rule.regex.search(piece)
            if m and m.end() == len(piece):
                piece = piece[:m.start()]
        piece = clean_name(piece)
        if not piece:
            continue
        if any(rule.regex.fullmatch(piece) for rule in joins):
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
        starts = sorted({m.start() for r in labels for m in r.regex.finditer(segment) if m.start() > 0})
        for a, b in zip([0, *starts], [*starts, len(segment)]):
            if segment[a:b].strip():
                out.append(segment[a:b].strip())
    return out


def _closing_verb(segment: str, rs: Ruleset) -> tuple[Rule, re.Match[str]] | None:
    """The role verb that ends ``segment`` (the longest one), if any."""
    best = None
    for rule in _by_form(rs, "verb"):
        for m in rule.regex.finditer(segment):
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


def read_clause(content: str, book: RuleBook) -> Reading | None:
    """The names a clause assigns to roles, or None when it is not an agency clause.

    ``content`` is the text inside the brackets.
    """
    if "tasks" not in book:
        return None
    rs = book["tasks"]
    labels = _by_form(rs, "label")
    times = _by_form(rs, "time")
    connectors = _by_form(rs, "connector")
    out: list[tuple[str, str, Rule | None]] = []  # name, role, rule
    pending: list[str] = []
    label: Rule | None = None
    marked = False
    for segment in _segments(content, rs):
        for rule in labels:
            m = rule.regex.match(segment)
            if m:
                label, marked = rule, True
                segment = segment[m.end():].strip()
                break
        if not segment or any(rule.regex.match(segment) for rule in times):
            continue
        verb = _closing_verb(segment, rs)
        body = segment[:verb[1].start()] if verb else segment
        if verb:
            marked = True
        joined = next(((r, m) for r in connectors for m in r.regex.finditer(body)), None)
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
        if not marked and not all(is_agency(n, book) and agency_shape(n, book) not in MARKED_ONLY for n in pending):
            return None  # a bare bracket holds only agencies
        out.extend((n, "cooperating" if has_lead else "responsible", None) for n in pending)
    if not out:
        return None
    names = [n for n, _, _ in out]
    if any(len(n) > MAX_NAME or NOT_A_NAME.search(n) for n in names) or not any(is_agency(n, book) for n in names):
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


def label_start(text: str, book: RuleBook) -> int | None:
    """Where an unbracketed clause opens in ``text``: the first role label or
    time-limit label (牵头单位:, 完成时限:) at the start of the text or of a
    sentence, outside brackets."""
    if "tasks" not in book:
        return None
    rs = book["tasks"]
    labels = _by_form(rs, "label") + _by_form(rs, "time")
    depth = _depths(text)
    for pos in range(len(text)):
        if depth[pos] or (pos and text[pos - 1] not in SENTENCE_END):
            continue
        rest = text[pos:]
        for rule in labels:
            m = rule.regex.match(rest)
            if m and (rule.emit.get("form") == "label" or LABEL_COLON.search(m.group(0))):
                return pos
    return None


def _open_clause(text: str, offset: int, book: RuleBook) -> Clause | None:
    """An unbracketed clause from a label to the end of ``text`` (…。责任单位:市工信局)."""
    start = label_start(text, book)
    if start is None:
        return None
    content = text[start:].rstrip(" \t\u3000。.")
    reading = read_clause(content, book)
    if reading is None or not reading.marked:
        return None
    return Clause(offset + start, offset + start + len(content), content, reading.assignments)


def _clause_lines(paragraphs: list[Paragraph], book: RuleBook) -> Clause | None:
    """An unbracketed clause whose labels stand on lines of their own
    (牵头单位:X / 配合单位:Y / 完成时限:…), read as one."""
    content = ";".join(p.text.strip().rstrip("。.;；") for p in paragraphs)
    reading = read_clause(content, book)
    if reading is None or not reading.marked:
        return None
    return Clause(paragraphs[0].start, paragraphs[-1].end, content, reading.assignments)


def find_clause(text: str, offset: int, book: RuleBook) -> Clause | None:
    """The last agency clause in ``text`` (a paragraph that starts at ``offset``)."""
    opened = _open_clause(text, offset, book)
    if opened is not None:
        return opened
    for start, end in reversed(_groups(text)):
        reading = read_clause(text[start + 1:end - 1], book)
        if reading is None:
            continue
        if not reading.marked and not TRAILING_PUNCT.match(text[end:]):
            continue  # a bracket of bare names counts only at the end of the item
        return Clause(offset + start, offset + end, text[start:end], reading.assignments)
    return None


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


def _block_clause(paragraphs: list[Paragraph], book: RuleBook) -> Clause | None:
    """The last agency clause of an item: lines that open with a label, read
    together, or else the last paragraph that holds a clause."""
    run: list[Paragraph] = []
    for i in range(len(paragraphs) - 1, -1, -1):
        para = paragraphs[i]
        if i > 0 and label_start(para.text.strip(), book) == 0:
            run.insert(0, para)
            continue
        if run:
            clause = _clause_lines(run, book)
            if clause is not None:
                return clause
            run = []
        clause = find_clause(para.text, para.start, book)
        if clause is not None:
            return clause
    return None


def _table_tasks(doc: Document, structure: Structure, deadlines: tuple[Deadline, ...], book: RuleBook) -> list[Task]:
    """One task per row of a table whose header names roles (牵头单位 | 配合单位 | 完成时限)."""
    tasks = []
    for table in structure.tables:
        labelled = [i for i, h in enumerate(table.header) if label_start(h.strip() + ":", book) == 0]
        if not labelled:
            continue
        rest = [i for i in range(len(table.header)) if i not in labelled]
        seq = next((i for i in rest if SEQ_HEADER.fullmatch(table.header[i].strip())), None)
        work = next((i for i in rest if i != seq and WORK_HEADER.search(table.header[i])), None)
        if work is None:
            work = next((i for i in rest if i != seq), None)
        for row in table.rows:
            filled = [(table.header[i].strip(), row[i]) for i in labelled if i < len(row) and not EMPTY_CELL.match(row[i].text)]
            if not filled:
                continue
            cells = [cell for _, cell in filled]
            content = ";".join(f"{header}:{cell.text}" for header, cell in filled)
            reading = read_clause(content, book)
            if reading is None or not reading.marked:
                continue
            span = doc.raw_span(row[0].start, row[-1].end)
            clause_span = doc.raw_span(cells[0].start, cells[-1].end)
            inside = tuple(d for d in deadlines if span.start <= d.span.start and d.span.end <= span.end)
            clause = Clause(cells[0].start, cells[-1].end, content, reading.assignments)
            roles = {role: tuple(resolve_agency(n, book) for n in clause.names(role)) for role in ROLES}
            tasks.append(
                Task(
                    section=row[seq].text if seq is not None and seq < len(row) else table.section,
                    title=row[work].text if work is not None and work < len(row) else "",
                    lead=roles["lead"],
                    cooperating=roles["cooperating"],
                    responsible=roles["responsible"],
                    deadline_year=_deadline_year(inside, (clause_span.start, clause_span.end)),
                    text=content,
                    span=span,
                    deadlines=inside,
                )
            )
    return tasks


def extract_tasks(doc: Document, structure: Structure, deadlines: tuple[Deadline, ...], book: RuleBook) -> tuple[Task, ...]:
    sections = _sections(structure)
    tasks = []
    for heading, paragraphs in _blocks(structure):
        clause = _block_clause(paragraphs, book)
        if clause is None:
            continue
        span = doc.raw_span(paragraphs[0].start, clause.end)
        clause_span = doc.raw_span(clause.start, clause.end)
        inside = tuple(d for d in deadlines if span.start <= d.span.start and d.span.end <= span.end)
        roles = {role: tuple(resolve_agency(n, book) for n in clause.names(role)) for role in ROLES}
        title = heading.title.replace(clause.text, "").strip() if clause.text in heading.title else heading.title
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
            )
        )
    tasks.extend(_table_tasks(doc, structure, deadlines, book))
    return tuple(tasks)


# ---------------------------------------------------------------- rule examples


@interpreter("tasks")
def _interpret(rule: Rule, m: re.Match[str], text: str) -> dict[str, Any] | None:
    """What a rule does to an example clause: the names it gives a role, or the text it cuts."""
    form = rule.emit.get("form")
    if form in ("label", "verb", "connector"):
        reading = read_clause(text, load_rules())
        if reading is None:
            return None
        mine = [a for a in reading.assignments if a.rule == rule.id]
        if not mine:
            return None
        role = mine[0].role
        return {**rule.emit, "role": role, "names": [a.name for a in mine if a.role == role]}
    return {**rule.emit, "text": m.group(0)}
