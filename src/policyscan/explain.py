"""Why each number and each agency name of a document ended as it did.

``explain`` reads a document as the Analyzer does and then, from outside
the extractors, finds every number (``numbers.NUMBER``) and every
agency-shaped name (a name ``rules/agencies.yaml`` knows, or one with the
shape of its ``agency.shape.*`` rules) in the document's sentences and
table cells. Each gets a ``Fate``: the record it became (a target's value
or baseline, a deadline, an agency of a task, a document fact), or the rule
or condition that kept it out, asked of the same compiled rule objects the
extractors use (the targets ruleset's reject and past rules, the review
sections of ``structure.py``, the deadlines ruleset's ``none`` rules, the
masks of quoted names and titles, the measure words of ``units.yaml``).

A rule author reads, for 合格率由2015年的88%提高到95%: ``88`` became the
baseline of the target through ``target.not.starting-level``, ``95`` the
target's value, ``2015`` not a deadline because of the deadlines rule that
matched it.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from policyscan.agencies import agency_shape, agency_words, resolve_agency
from policyscan.model import Deadline, Document, Report, Span, Structure, Target, Task
from policyscan.numbers import MULTIPLIERS, NUMBER, metric_multiplier_at, parse_number, parse_quantity

if TYPE_CHECKING:
    from policyscan.compiled import Compiled

NUMBER_RE = re.compile(NUMBER)
YEAR = re.compile(r"^(?:19|20)\d\d$")
SHAPE_END = re.compile(
    r"(?:厅|局|委|办|办公室|部|署|院|中心|总队|支队|分局|分行|支行|海关|协会|联合会|工会|委员会|领导小组|政府|管委会|成员单位|部门|单位)$"
)
LEVEL_START = re.compile(r"^(?:各|省|市|县|区|州|自治区|国家|[\u4e00-\u9fff]{2,6}?(?:省|自治区|市|县|州|盟))")
NAME_STOP = re.compile(r"[\s,，。;；:：、!?！？“”\"《》〈〉]")
MAX_NAME = 24
CALENDAR_DATE = re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
YEAR_RANGE = re.compile(r"((?:19|20)\d\d)\s*(?:年\s*)?[-—–~～至]\s*((?:19|20)\d\d)\s*年?")
DOC_YEAR_BEFORE = re.compile(r"[〔﹝\[［【]\s*$")  # 〔2016〕12号: the year
DOC_YEAR_AFTER = re.compile(r"^\s*[〕﹞\]］】]\s*\d+\s*号")
DOC_NUMBER_BEFORE = re.compile(r"[〕﹞\]］】]\s*$")  # 〔2016〕12号: the number
DOC_NUMBER_AFTER = re.compile(r"^\s*号")
RANGE_BEFORE = re.compile(r"\d\s*(?:[-—–~～]+|至|到)\s*$")
FATES = ("target", "deadline", "task", "document", "rejected", "ignored")


@dataclass(frozen=True)
class Fate:
    """One number or name: where it is, and what became of it."""

    source: str
    kind: str  # number | agency
    text: str  # as normalized
    span: Span  # raw
    section: str
    sentence: str
    fate: str  # one of FATES: a record kind, rejected (a rule said no) or ignored (nothing took it)
    record: str  # the record it became, in a few words ("" when none)
    rule: str  # the rule id or condition that decided
    reason: str
    at: int = -1  # where ``text`` starts in ``sentence`` (-1: not known)

    def to_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k != "at"}
        out["span"] = {"start": self.span.start, "end": self.span.end}
        return out


# ---------------------------------------------------------------- records in a few words


def _value(v: Decimal | None) -> str:
    from policyscan.render import plain

    return plain(v)


def target_words(t: Target) -> str:
    value = _value(t.value) + (f"-{_value(t.value_max)}" if t.value_max is not None else "")
    return f"target {t.metric} {t.comparator} {value}{t.unit}"


def deadline_words(d: Deadline) -> str:
    return f"deadline {d.text} -> {d.date.isoformat() if d.date else '-'} ({d.kind})"


def task_words(t: Task, role: str) -> str:
    return f"task {t.section} {t.title}: {role}".replace("  ", " ")


# ---------------------------------------------------------------- the document read again


class _Reading:
    """A document's normalized text, structure and report, with the extractors' compiled rules."""

    def __init__(self, doc: Document, structure: Structure, report: Report, compiled: "Compiled") -> None:
        from policyscan.extract import targets as tx

        self.doc, self.structure, self.report, self.compiled = doc, structure, report, compiled
        self.tx = tx
        self.ctx = tx._Context(doc, structure, report.document, report.deadlines, compiled)
        self.comparators, self.rejects = self.ctx.comparators, self.ctx.rejects
        self.headings = sorted(structure.headings, key=lambda h: h.start)
        self.target_rules = {r.id: r for r in compiled["targets"].rules}

    def raw(self, start: int, end: int) -> Span:
        return self.doc.raw_span(start, end)

    # ------------------------------------------------------------ sections about the past

    def review_heading(self, pos: int) -> str | None:
        """The label and title of the heading that makes ``pos`` part of a review section."""
        if not self.ctx.in_review(pos):
            return None
        from policyscan.model import Structure as S
        from policyscan.structure import ReviewSections

        for h in self.ctx.chain(pos):  # outermost first: the heading whose title names a review
            alone = ReviewSections.from_book(S((h,), (), (), ()), self.compiled)
            if alone.covers(h.start):
                return f"{h.label}{h.title}"
        return "?"

    # ------------------------------------------------------------ records that cover a raw position

    def target_of(self, span: Span, value: Decimal | None, pos: int) -> tuple[Target, str] | None:
        """The target whose value (or baseline) this number is, when one of its mentions holds it.

        Of two targets of one clause with the same value (覆盖率100%、合格率100%)
        it is the one whose metric is written nearest the number (normalized ``pos``).
        """
        if value is None:
            return None
        found = []
        for t in self.report.targets:
            places = [t.span, *(m.span for m in t.mentions)]
            if not any(p.start <= span.start and span.end <= p.end for p in places):
                continue
            values = (t.value, t.value_max)
            if value in values or any(value * f in values for f in MULTIPLIERS.values()):  # 3-5万, a (万件) column
                found.append((self._distance(t.metric, pos), len(found), t, "value"))
            elif t.baseline is not None and value == t.baseline.value:
                found.append((self._distance(t.metric, pos), len(found), t, "baseline"))
        if not found:
            return None
        _, _, t, part = min(found, key=lambda f: (f[0], f[1]))
        return t, part

    def _distance(self, metric: str, pos: int, window: int = 80) -> int:
        """How far from ``pos`` the metric (or its last few characters) is written, in normalized characters."""
        text = self.doc.text
        lo, hi = max(0, pos - window), min(len(text), pos + window)
        for tail in (metric, metric[-6:], metric[-4:], metric[-2:]):
            if not tail:
                continue
            best = None
            k = text.find(tail, lo, hi)
            while k >= 0:
                d = pos - (k + len(tail)) if k + len(tail) <= pos else k - pos
                best = d if best is None else min(best, abs(d))
                k = text.find(tail, k + 1, hi)
            if best is not None:
                return abs(best)
        return window

    def deadline_of(self, span: Span) -> Deadline | None:
        for d in self.report.deadlines:
            if d.span.start <= span.start and span.end <= d.span.end:
                return d
        return None

    def fact_of(self, span: Span) -> str | None:
        for name, s in self.report.document.spans:
            if s.start <= span.start and span.end <= s.end:
                return name
        return None


# ---------------------------------------------------------------- numbers


def _deadline_rule(r: _Reading, sentence: str, start: int, end: int) -> tuple[str, str] | None:
    """The deadlines rule that matched a year or time span the deadlines left out, and why."""
    from policyscan.extract.deadlines import find

    for hit in find(r.compiled["deadlines"], sentence):
        if hit.start <= start and end <= hit.end:
            note = hit.rule.emit.get("note")
            if hit.rule.emit.get("date") == "plan-year":
                return hit.rule.id, f"a plain year (「{hit.text}」) is a time limit only in an annual plan for that year"
            if hit.kind == "none":
                return hit.rule.id, f"the deadlines rule marks 「{hit.text}」 as no time limit ({note or hit.rule.description})"
            return hit.rule.id, f"「{hit.text}」 is a time limit that lies before the document's own time (history)"
    return None


def _rejecting_rule(r: _Reading, rule_id: str) -> str:
    rule = r.target_rules.get(rule_id)
    return str(rule.emit.get("reason") or rule.description) if rule else ""


def _number_in_clause(r: _Reading, clause: str, start: int) -> tuple[str, str, str]:
    """(fate, rule, reason) of a number at ``start`` of a clause that no record took, as the target reader sees it."""
    tx = r.tx
    for a, b in tx._masked(clause):
        if a <= start < b:
            if clause[a] == "《":
                return "rejected", "inside a document title 《…》", f"a number in 「{clause[a:b]}」 is part of a title"
            return "rejected", "inside a quoted name", f"a number in 「{clause[a:b]}」 is part of a name"
    before = clause[start - 1] if start else ""
    if RANGE_BEFORE.search(clause[:start]):
        return "ignored", "the end of a range", "read with the number before it, as one range (3-6个月)"
    if before and (before.isascii() and before.isalnum() or before in "./-"):
        return "ignored", "part of a longer number or code", f"it follows 「{before}」"
    if metric_multiplier_at(clause, start):
        return "ignored", "part of a metric word", "a 万/千 that opens a metric word (每万人…拥有量), not a multiplier"
    q = parse_quantity(clause[start:], r.compiled.quantities)
    if q is None:
        return "ignored", "not a quantity", "no number the quantity reader can read starts here"
    after = clause[start + len(q.text):]
    if after[:1].isascii() and after[:1].isalpha():
        return "ignored", "part of a name", f"a number before the letters 「{after[:3]}」 (5G, 3D)"
    number = NUMBER_RE.match(clause, start)
    digits = number.group(0).strip() if number else ""
    time_cmp = r.comparators.before_number(
        r.ctx.lexicon.recurring_end.sub("", tx.PER_HEAD.sub("", clause[:start])))
    if q.unit in r.rejects.time_units and (time_cmp is None or time_cmp[0] == "~"):
        if q.unit == "年" and YEAR.match(digits):
            return "ignored", "a year", "a year is a date, not a value (a deadline reads it when a deadlines rule matches)"
        return "ignored", "a time span", f"its measure word 「{q.unit}」 is in targets.yaml not_target_units"
    if tx.YEAR_AFTER.match(after) and not q.unit:
        return "ignored", "a date, an ordinal or an age", f"「{after.strip()[:2]}」 follows it"
    cmp_before = time_cmp
    cmp_after = r.comparators.after_unit(after)
    if not q.unit and not cmp_before and not cmp_after:
        return "ignored", "no measure word", "no measure word of units.yaml after it and no comparator word of comparators.yaml beside it"
    if tx.CN_ONLY.match(digits) and q.value < 2:
        return "ignored", "a numeral inside a name", "一 or 〇 written in characters (一批, 一流) names, it does not count"
    rule = r.rejects.rejected(clause, start)
    if rule:
        return "rejected", rule, _rejecting_rule(r, rule)
    if tx.CN_ONLY.match(digits):
        return "ignored", "a numeral inside a name", "a numeral written in characters that neither closes its clause nor follows a count verb (八项规定, 三品一标)"
    return "ignored", "no metric", "read as a quantity, but no phrase before or after it names what it measures"


def _number_fates(r: _Reading, source: str) -> Iterator[Fate]:
    tx = r.tx
    for sentence in r.structure.sentences:
        piece_text = sentence.text
        past = r.rejects.past(piece_text)
        lead = tx.LEADING_YEAR.match(piece_text)
        early = bool(lead and r.ctx.plan_start and int(lead.group(1)) < r.ctx.plan_start)
        review = r.review_heading(sentence.start)
        for clause, clause_start in tx._clauses(piece_text, sentence.start):
            for m in NUMBER_RE.finditer(clause):
                pos = clause_start + m.start()
                text = m.group(0).strip()
                if not text:
                    continue
                span = r.raw(pos, clause_start + m.end())
                fate = _one_number(r, source, sentence, clause, clause_start - sentence.start, m.start(), text, span, past, early, review, lead)
                yield replace(fate, at=clause_start - sentence.start + m.start() + (len(m.group(0)) - len(m.group(0).lstrip())))
    for title, start, label in _heading_titles(r):
        for m in NUMBER_RE.finditer(title):
            text = m.group(0).strip()
            span = r.raw(start + m.start(), start + m.end())
            covered = _covered(r, source, label, title, text, span, start + m.start())
            yield covered or Fate(source, "number", text, span, label, title, "ignored", "", "in a heading",
                                  "a heading's number is its section's time frame or part of its title, not a target", m.start())
    for table in r.structure.tables:
        review = r.review_heading(table.start)
        indicator = tx._table_kind(table) is not None
        for row in table.rows:
            for cell in row:
                for m in NUMBER_RE.finditer(cell.text):
                    text = m.group(0).strip()
                    span = r.raw(cell.start + m.start(), cell.start + m.end())
                    yield _table_number(r, source, table.section, " | ".join(c.text for c in row), text, span, review, indicator,
                                        cell.start + m.start())


def _heading_titles(r: _Reading) -> Iterator[tuple[str, int, str]]:
    """(title, normalized start, label) of every heading with a title."""
    for h in r.headings:
        k = r.doc.text.find(h.title, h.start, h.end) if h.title else -1
        if k >= 0:
            yield h.title, k, h.label


def _covered(r: _Reading, source: str, section: str, sentence: str, text: str, span: Span, pos: int) -> Fate | None:
    value = parse_number(text)
    found = r.target_of(span, value, pos)
    if found:
        t, part = found
        if part == "value":
            how, rule = "its value", t.rule
        elif " | " in sentence:  # a table row: the baseline column
            how, rule = "its baseline (the table's baseline column)", "baseline column"
        else:
            how, rule = "its baseline (the level a change starts from)", "target.not.starting-level"
        return Fate(source, "number", text, span, section, sentence, "target", target_words(t), rule, how)
    d = r.deadline_of(span)
    if d:
        return Fate(source, "number", text, span, section, sentence, "deadline", deadline_words(d), d.rule, "part of a time limit")
    fact = r.fact_of(span)
    if fact:
        what = {"doc_number": "a document number", "date": "the document's date"}.get(fact, f"the document's {fact}")
        return Fate(source, "number", text, span, section, sentence, "document", f"document {fact}", what, f"part of {what}")
    return None


def _one_number(r: _Reading, source: str, sentence: Any, clause: str, offset: int, start: int, text: str, span: Span,
                past: str | None, early: bool, review: str | None, lead: Any) -> Fate:
    covered = _covered(r, source, sentence.section, sentence.text, text, span, sentence.start + offset + start)
    if covered:
        return covered

    def fate(kind: str, rule: str, reason: str) -> Fate:
        return Fate(source, "number", text, span, sentence.section, sentence.text, kind, "", rule, reason)

    after = clause[start + len(text):]
    if DOC_YEAR_BEFORE.search(clause[:start]) or DOC_YEAR_AFTER.match(after) or (
        DOC_NUMBER_AFTER.match(after) and DOC_NUMBER_BEFORE.search(clause[:start])
    ):
        return fate("ignored", "a document number", "the year or number of a document number (…〔2016〕12号)")
    dated = _date_fate(r, clause, start)
    if dated:
        return Fate(source, "number", text, span, sentence.section, sentence.text, *dated)
    if review is not None:
        return fate("rejected", f"review section {review}", "a section whose heading names a review of the past (sections.yaml review_headings)")
    if past:
        return fate("rejected", past, _rejecting_rule(r, past) or "the sentence reports the past")
    if early:
        return fate("rejected", "a sentence dated before the plan",
                    f"the sentence opens with {lead.group(1)}, before the plan starts ({r.ctx.plan_start})")
    clause_past = r.rejects.past(clause, "clause")
    if clause_past:
        return fate("rejected", clause_past, _rejecting_rule(r, clause_past) or "the clause reports the past")
    kind, rule, reason = _number_in_clause(r, clause, start)
    if rule in ("a year", "a time span", "a date, an ordinal or an age"):
        why = _deadline_rule(r, sentence.text, offset + start, offset + start + len(text))
        if why:
            return fate("rejected", why[0], why[1])
    return fate(kind, rule, reason)


def _date_fate(r: _Reading, clause: str, start: int) -> tuple[str, str, str, str] | None:
    """(fate, record, rule, reason) of a number inside a calendar date or a span of years, if it is in one."""
    facts = r.report.document
    for m in CALENDAR_DATE.finditer(clause):
        if m.start() <= start < m.end():
            y, mo, d = (int(g) for g in m.groups())
            if facts.date is not None and (facts.date.year, facts.date.month, facts.date.day) == (y, mo, d):
                return "document", "document date", "date", "the document's own date"
            return "ignored", "", "a calendar date", "a day named without 前/底/内: a date, not a time limit"
    for m in YEAR_RANGE.finditer(clause):
        if m.start() <= start < m.end():
            a, b = int(m.group(1)), int(m.group(2))
            if facts.period is not None and (facts.period.start, facts.period.end) == (a, b):
                return "document", f"document period {a}-{b}", "period", "the document's plan period"
    return None


def _table_number(r: _Reading, source: str, section: str, row: str, text: str, span: Span,
                  review: str | None, indicator: bool, pos: int) -> Fate:
    covered = _covered(r, source, section, row, text, span, pos)
    if covered:
        return covered
    if review is not None:
        rule, reason = f"review section {review}", "a table in a section whose heading names a review of the past"
    elif indicator:
        rule, reason = "not a target column", "an indicator table's cell that is neither a target nor the baseline of one (a year, a row number)"
    else:
        rule, reason = "not an indicator table", "a table without year, 目标 or 指标值 columns is not read for targets"
    return Fate(source, "number", text, span, section, row, "ignored", "", rule, reason)


# ---------------------------------------------------------------- agency names


def _known_regex(compiled: "Compiled") -> re.Pattern[str]:
    words = sorted({w for w in agency_words(compiled) if len(w) >= 2}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words) or r"(?!)")


def _known(compiled: "Compiled") -> re.Pattern[str]:
    return compiled.memo("explain.known-agencies", _known_regex)


LEVEL_WORDS = frozenset({"各", "省", "市", "县", "区", "州", "盟", "旗", "自治区", "国家", "省直", "市直", "县直"})
PLACE = re.compile(r"^[\u4e00-\u9fff]{2,6}(?:省|自治区|市|县|州|盟)$")


NOT_LEVEL = ("市场", "区域", "县域", "市域", "省级", "市级", "县级", "区级", "州级", "国家级", "省内", "市内", "县内", "区内")


def _places(compiled: "Compiled") -> frozenset[str]:
    """Province and city names as written without their level (湖北, 青岛), from the document ruleset's tables."""
    return compiled.memo("explain.place-names", _place_names)


def _place_names(compiled: "Compiled") -> frozenset[str]:
    names: set[str] = set()
    if "document" in compiled:
        tables = compiled["document"].tables
        for p in tables.get("provinces", []):
            names.update(str(p[k]) for k in ("name", "short") if p.get(k))
        for cities in (tables.get("cities") or {}).values():
            names.update(str(c) for c in cities or ())
    return frozenset(names)


def _opens_with_level(first_word: str, places: frozenset[str] = frozenset()) -> bool:
    """省, 各, 湖北省, 湖北, 县法院: a word a body's name opens with (not 新建省级, 国家级, 市场)."""
    if first_word in LEVEL_WORDS or first_word in places or PLACE.match(first_word) or first_word.startswith("各"):
        return True
    return first_word[:1] in "省市县区州" and not first_word.startswith(NOT_LEVEL)


def agency_names(text: str, compiled: "Compiled") -> list[tuple[int, int]]:
    """(start, end) of the agency-shaped names in ``text``: known names, and names with a shape that open with a level.

    A name starts and ends where jieba's words do, so 由省质监局牵头 gives
    省质监局, and 湖北省发展和改革委员会 is one name; a shaped name never
    swallows a known one (省商务厅会同省公安厅 is two names).
    """
    words = compiled.tokens(text)
    places = _places(compiled)
    known = [m.span() for m in _known(compiled).finditer(text)]
    found: list[tuple[int, int]] = list(known)
    for _, _, end in words:
        if not SHAPE_END.search(text[:end]):
            continue
        for word, s, _ in words:
            if s >= end or end - s > MAX_NAME or NAME_STOP.search(text[s:end]):
                continue
            if any(s <= ks and ke < end for ks, ke in known):
                continue  # would swallow a known name that ends before it
            name = text[s:end]
            if _opens_with_level(word, places) and (resolve_agency(name, compiled).known or agency_shape(name, compiled) not in (None, "division")):
                found.append((s, end))
                break  # the longest: words are in text order
    found.sort(key=lambda se: (se[0], -(se[1] - se[0])))
    out: list[tuple[int, int]] = []
    for s, e in found:
        if out and s < out[-1][1]:
            continue  # inside (or across) a longer name already taken
        out.append((s, e))
    return out


def _task_agency_spans(r: _Reading) -> list[tuple[Span, Task, str, Any]]:
    """Where each task's agencies are written: each name looked up inside its task's clause."""
    import bisect

    out = []
    offsets = r.doc.offsets
    for t in r.report.tasks:
        a = bisect.bisect_left(offsets, t.span.start)
        b = bisect.bisect_left(offsets, t.span.end)
        clause = r.doc.text[a:b]
        pos = 0
        for role in ("lead", "cooperating", "responsible"):
            for agency in getattr(t, role):
                if agency.span is not None:
                    out.append((agency.span, t, role, agency))
                    continue
                k = clause.find(agency.name, pos)
                if k < 0:
                    k = clause.find(agency.name)
                if k < 0:
                    continue
                out.append((r.raw(a + k, a + k + len(agency.name)), t, role, agency))
                pos = k + len(agency.name)
    return out


def _agency_fates(r: _Reading, source: str) -> Iterator[Fate]:
    roles = _task_agency_spans(r)
    pieces = [(s.text, s.start, s.section, False) for s in r.structure.sentences]
    pieces += [(c.text, c.start, t.section, False) for t in r.structure.tables for row in t.rows for c in row]
    pieces += [(title, start, label, True) for title, start, label in _heading_titles(r)]
    issuer = r.report.document.issuer or ""
    for text, offset, section, in_heading in pieces:
        for s, e in agency_names(text, r.compiled):
            name = text[s:e]
            span = r.raw(offset + s, offset + e)
            hit = next(((a, t, role) for where, t, role, a in roles if where.start <= span.start < where.end or span.start <= where.start < span.end), None)

            def fate(kind: str, record: str, rule: str, reason: str) -> Fate:
                return Fate(source, "agency", name, span, section, text, kind, record, rule, reason, s)

            if hit:
                a, t, role = hit
                if a.name != name and a.name.startswith(name):
                    rest = a.name[len(name):]
                    yield fate("task", f"{task_words(t, role)} as {a.name}", "no role word",
                               f"「{rest}」 after the name is no role word of tasks.yaml, so the name runs on into it")
                    continue
                known = f"known as {a.canonical}" if a.known else f"not in agencies.yaml; shaped like a {a.kind or 'body'}"
                yield fate("task", task_words(t, role), role, f"{a.name}: {known}")
            elif r.review_heading(offset + s) is not None:
                yield fate("rejected", "", f"review section {r.review_heading(offset + s)}", "a section whose heading names a review of the past")
            elif any(a <= s < b and text[a] == "《" for a, b in r.tx._masked(text)):
                yield fate("rejected", "", "inside a document title 《…》", "a name inside the title of another document")
            elif issuer and name in issuer:
                yield fate("document", "document issuer", "issuer", "the body that issued the document")
            elif in_heading:
                yield fate("ignored", "", "in a heading", "a heading names a task, not who carries it out")
            else:
                yield fate("ignored", "", "no agency clause",
                           "not in a clause that gives it a role (the role words of tasks.yaml: 牵头, 配合, 负责 …) under a numbered task")


# ---------------------------------------------------------------- the whole document


def explain_raw(analyzer: Any, raw: Any) -> tuple[Report, list[Fate]]:
    """A document (RawText) -> its Report and the fate of every number and agency name, in text order."""
    doc, structure, report = analyzer.stages(raw)
    reading = _Reading(doc, structure, report, analyzer.compiled)
    fates = [*_number_fates(reading, raw.source), *_agency_fates(reading, raw.source)]
    seen: set[tuple[str, int, int]] = set()
    unique = []
    for f in sorted(fates, key=lambda f: (f.span.start, f.span.end, f.kind)):
        key = (f.kind, f.span.start, f.span.end)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return report, unique


def explain(analyzer: Any, source: Any) -> tuple[Report, list[Fate]]:
    """A path, '-' or document text -> its Report and the fates of its numbers and names."""
    return explain_raw(analyzer, analyzer.read(source))


# ---------------------------------------------------------------- output

COLUMNS = ("source", "kind", "text", "start", "end", "section", "fate", "record", "rule", "reason", "sentence")


def rows(fates: list[Fate]) -> list[dict[str, Any]]:
    return [{**{k: v for k, v in f.to_dict().items() if k != "span"}, "start": f.span.start, "end": f.span.end} for f in fates]


def as_text(fates: list[Fate]) -> str:
    """Grouped by sentence: the sentence once, then each number or name with its fate and why."""
    lines: list[str] = []
    last = None
    for f in fates:
        key = (f.source, f.section, f.sentence)
        if key != last:
            if last is not None:
                lines.append("")
            lines.append(f"{f.section or '-'}  {f.sentence}")
            last = key
        if f.record:
            lines.append(f"  {f.text} -> {f.record}  [{f.rule}: {f.reason}]")
        else:
            lines.append(f"  {f.text}: {f.fate} ({f.rule}): {f.reason}")
    return "\n".join(lines) + ("\n" if lines else "")


def write(fates: list[Fate], fmt: str, stream: Any) -> None:
    """``table`` groups by sentence; json is one list of {source, kind, text, span, section, sentence, fate, record, rule, reason}."""
    import json

    from policyscan.render import Format, write_rows

    if fmt == "table":
        stream.write(as_text(fates))
    elif fmt == "json":
        stream.write(json.dumps([f.to_dict() for f in fates], ensure_ascii=False, indent=2) + "\n")
    else:
        write_rows(rows(fates), COLUMNS, Format(fmt), stream, title="explain")
    stream.flush()
