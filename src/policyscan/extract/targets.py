"""Sentences and indicator tables -> quantified targets.

A target is a number with a measure word (or a comparator) tied to the
phrase that names what is measured. Text targets come from clauses of the
sentences outside review sections; table targets come from indicator tables
(a label column, year or target-value columns, an optional 属性 column) and
from label/value annex lists. The same commitment stated in several places
is merged into one record that keeps every mention.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from policyscan.model import (
    Baseline,
    Deadline,
    Document,
    DocumentFacts,
    Heading,
    Mention,
    RawText,
    Structure,
    Table,
    Target,
)
from policyscan.numbers import NUMBER, Quantity, metric_multiplier_at, parse_quantity, split_unit
from policyscan.rules import Rule, RuleBook, alternatives, interpreter, table_checker
from policyscan.structure import ReviewSections, cell_kind, split_sentences

if TYPE_CHECKING:
    from policyscan.compiled import Compiled

CLAUSE_SPLIT = re.compile(r"[，;；:：。!?！？]|(?<!\d),|,(?!\d{3}(?!\d))")
NUMBER_RE = re.compile(NUMBER)
ARABIC_OR_CN = re.compile(r"\d|[〇零一二两三四五六七八九十百千]")
CN_ONLY = re.compile(r"^[〇零一二两三四五六七八九十百千万亿]+$")
YEAR_AFTER = re.compile(r"^\s*(?:年|月|日|号|届|岁|时|世纪|周年|级|期|批|轮|代|米法)")
SHORT_QUOTE = re.compile(r"[“\"《〈「『][^”\"》〉」』]{0,12}[”\"》〉」』]")
TITLE_QUOTE = re.compile(r"《[^》]*》")
LEADING_YEAR = re.compile(r"^\s*((?:19|20)\d\d)\s*年(?:底|末|上半年|以来)?\s*[,，]")
ITEM_NUMBER = r"\d{1,2}[.、](?!\d)|\(\d{1,2}\)|[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)"
TIME_WORDS = r"到\s*(?:19|20)\d\d\s*年?(?:底|末)?|(?:19|20)\d\d\s*年(?:底|末)?(?:前|以前)?"
UNIT_IN_LABEL = re.compile(r"[(（]\s*(?P<unit>(?:万亿|亿|万)?[^\s()（）\d]{1,3})\s*[)）]\s*$")
NOTE_IN_LABEL = re.compile(r"[(（](?:详见|见|注)[^)）]*[)）]")
ITEM_SPLIT = re.compile(r"\s{2,}|[;；]")
SERIES_JOINERS = ("、", "和", "及", "与")
INNER_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
FRAME_LEAD = 4
DATED_KINDS = ("by", "period", "relative")  # deadlines whose date gives the targets after them their year
PER_HEAD = re.compile(r"每\s*[十百千万亿]+\s*(?:人口|常住人口|人|户|台|辆)?\s*$")
RATE_UNITS = ("%", "个百分点", "‰")  # how far into a paragraph its time frame may start (力争到2025年)


@dataclass(frozen=True)
class _Comparators:
    before: tuple[tuple[re.Pattern[str], Rule], ...]
    after: tuple[tuple[re.Pattern[str], Rule], ...]

    @classmethod
    def from_book(cls, compiled: "Compiled") -> "_Comparators":
        before, after = [], []
        for rule in compiled["comparators"].rules:
            if rule.emit.get("position") == "after":
                after.append((re.compile(r"^\s*(?:" + rule.pattern + ")"), rule))
            else:
                before.append((re.compile(r"(?:" + rule.pattern + r")\s*$"), rule))
        return cls(tuple(before), tuple(after))

    def before_number(self, prefix: str) -> tuple[str, int] | None:
        """(comparator, length) of the longest comparator word that ends ``prefix``."""
        best = None
        tail = prefix[-8:]
        for regex, rule in self.before:
            m = regex.search(tail)
            if m and (best is None or (len(m.group(0)), rule.priority) > best[0]):
                best = ((len(m.group(0)), rule.priority), rule.emit["comparator"], len(m.group(0)))
        return (best[1], best[2]) if best else None

    def after_unit(self, suffix: str) -> tuple[str, int] | None:
        best = None
        for regex, rule in self.after:
            m = regex.match(suffix)
            if m and (best is None or len(m.group(0)) > best[0]):
                best = (len(m.group(0)), rule.emit["comparator"])
        return (best[1], best[0]) if best else None


@dataclass(frozen=True)
class _Rejects:
    reject: tuple[Rule, ...]
    past_markers: tuple[Rule, ...]
    time_units: frozenset[str]
    starting_levels: tuple[Rule, ...]  # reject rules whose match is the level a change starts from (a baseline)

    @classmethod
    def from_book(cls, compiled: "Compiled") -> "_Rejects":
        rs = compiled["targets"]
        return cls(
            tuple(r for r in rs.rules if r.emit.get("action") == "reject"),
            tuple(r for r in rs.rules if r.emit.get("action") == "past"),
            frozenset(str(w) for w in rs.tables.get("not_target_units", [])),
            tuple(r for r in rs.rules if r.emit.get("action") == "reject" and r.emit.get("baseline")),
        )

    def starting_level(self, text: str) -> "re.Match[str] | None":
        """The last starting level (由2022年的80%提高到) stated in ``text``, with its ``num`` and ``year`` groups."""
        found = None
        for rule in self.starting_levels:
            for m in rule.finditer(text):
                if found is None or m.start() > found.start():
                    found = m
        return found

    def rejected(self, clause: str, start: int) -> str | None:
        """The id of a reject rule whose match covers the number at ``start``."""
        return self.covering(clause)(start)

    def covering(self, clause: str) -> Callable[[int], str | None]:
        """``rejected`` for many positions of one clause: each rule's matches are found once."""
        spans = []
        for rule in self.reject:
            found = [m.span() for m in rule.finditer(clause) if m.end() > m.start()]
            if found:
                spans.append((rule.id, [a for a, _ in found], [b for _, b in found]))

        def rejected(start: int) -> str | None:
            for rule_id, starts, ends in spans:
                i = bisect.bisect_right(starts, start) - 1  # finditer's matches do not overlap
                if i >= 0 and start < ends[i]:
                    return rule_id
            return None

        return rejected

    def past(self, text: str, scope: str = "sentence") -> str | None:
        """The id of a rule of ``scope`` (sentence or clause) that marks ``text`` as a report of the past."""
        for rule in self.past_markers:
            if rule.emit.get("scope", "sentence") == scope and rule.search(text):
                return rule.id
        return None


def _change_verb(words: Iterable[Any]) -> re.Pattern[str]:
    """A change verb that ends the text before a number, not followed by 到/至/在 (which make a level)."""
    verbs = alternatives(words)
    if not verbs:
        return re.compile(r"(?!)")
    return re.compile(rf"(?:{verbs})(?:了)?\s*(?:约|近|超过)?\s*$")


@dataclass(frozen=True)
class _Lexicon:
    """The metric-trimming words of the targets ruleset, compiled once per rule book."""

    leading: re.Pattern[str]
    lead_verbs: re.Pattern[str]
    only_a_verb: re.Pattern[str]
    trailing: re.Pattern[str]
    trailing_change: re.Pattern[str]
    trailing_task: re.Pattern[str]
    task_column: re.Pattern[str]
    count_verb: re.Pattern[str]  # a verb right before a count: 新建五个质检中心
    per_unit: re.Pattern[str]  # the denominator of a compound unit: 35万元/人, 30万吨/日, 25微克/立方米
    increase: re.Pattern[str]  # a rise by an amount right before the number: 提高2个百分点
    decrease: re.Pattern[str]  # a fall by an amount: 下降14%
    recurring: re.Pattern[str]  # a commitment made every year: 每年组织1000家
    recurring_end: re.Pattern[str]  # that word right before the number: 达到每年50万人次
    each: re.Pattern[str]  # 分别: the values of a series go one to each subject listed before them

    @classmethod
    def from_book(cls, compiled: "Compiled") -> "_Lexicon":
        t = compiled["targets"].tables
        verbs = alternatives(t.get("metric_lead_verbs", ()))
        units = compiled["units"].tables
        per = alternatives([*units.get("units", ()), *units.get("unit_aliases", {})])
        return cls(
            leading=re.compile(rf"^(?:{ITEM_NUMBER}|{TIME_WORDS}|{alternatives(t.get('metric_leading_words', ()))})+"),
            lead_verbs=re.compile(rf"^(?:{verbs})(?=.{{2,}})"),
            only_a_verb=re.compile(rf"^(?:{verbs})$"),
            trailing=re.compile(rf"(?:{alternatives(t.get('metric_trailing_words', ()))})+$"),
            trailing_change=re.compile(rf"(?:{alternatives(t.get('metric_change_verbs', ()))})(?:到|至|在)$"),
            trailing_task=re.compile(rf"(?:{alternatives(t.get('metric_trailing_task', ()))})$"),
            task_column=re.compile(alternatives(t.get("task_columns", ())) or r"(?!)"),
            count_verb=re.compile(rf"(?:{verbs}|{alternatives(t.get('metric_count_verbs', ()))})\s*$"),
            per_unit=re.compile(rf"^/\s*((?:\d+\s*)?(?:万|千|百)?(?:{per})?)(?<=[^/\s])"),
            increase=_change_verb(t.get("change_increase_verbs", ())),
            decrease=_change_verb(t.get("change_decrease_verbs", ())),
            recurring=re.compile(rf"(?:{alternatives(t.get('recurring_words', ())) or '(?!)'})"),
            each=re.compile(alternatives(t.get("series_each_words", ())) or r"(?!)"),
            recurring_end=re.compile(rf"(?:{alternatives(t.get('recurring_words', ())) or '(?!)'})\s*$"),
        )


@dataclass(frozen=True)
class _Found:
    """One statement of a target, before merging."""

    target: Target
    from_table: bool
    source: tuple[str, int]  # ("table", table start) or ("text", clause start): one source states a target once


@dataclass(frozen=True)
class TargetPatterns:
    """What the targets extractor compiles from a rule book; ``Compiled.target_patterns`` keeps one."""

    comparators: _Comparators
    rejects: _Rejects
    lexicon: _Lexicon

    @classmethod
    def from_book(cls, book: RuleBook) -> "TargetPatterns":
        return cls(_Comparators.from_book(book), _Rejects.from_book(book), _Lexicon.from_book(book))


# ---------------------------------------------------------------- context


class _Context:
    def __init__(self, doc: Document, structure: Structure, facts: DocumentFacts,
                 deadlines: tuple[Deadline, ...], compiled: "Compiled") -> None:
        self.doc = doc
        self.structure = structure
        self.facts = facts
        self.deadlines = deadlines
        self.compiled = compiled
        patterns = compiled.target_patterns
        self.comparators, self.rejects, self.lexicon = patterns.comparators, patterns.rejects, patterns.lexicon
        self.headings = sorted(structure.headings, key=lambda h: h.start)
        self.review = ReviewSections.from_book(structure, compiled)
        self.plan_start = facts.period.start if facts.period else (facts.date.year if facts.date else None)
        self.plan_end = facts.period.end if facts.period else None
        self.frames = self._frames()
        self._edges: dict[str, set[int]] = {}

    def _frames(self) -> list[tuple[int, str, int]]:
        """(start, section, year) of paragraphs that open with a time frame (到2025年,…)."""
        out = []
        for paragraph in self.structure.paragraphs:
            if paragraph.heading is not None:
                continue  # a heading's own year is its section's horizon
            raw = self.doc.raw_span(paragraph.start, paragraph.end)
            for d in self.deadlines:
                if d.date is not None and d.kind in DATED_KINDS and 0 <= d.span.start - raw.start <= FRAME_LEAD:
                    out.append((paragraph.start, paragraph.section, d.date.year))
                    break
        return out

    def framed_year(self, pos: int, section: str) -> int | None:
        """The year of the last time-frame paragraph before ``pos`` in ``section`` or a section above it."""
        years = [y for start, sec, y in self.frames if start < pos and section.startswith(sec)]
        return years[-1] if years else None

    def word_edges(self, text: str) -> set[int]:
        """Positions in ``text`` where a jieba word starts or ends (segmented once per text)."""
        if text not in self._edges:
            edges = {0, len(text)}
            for _, start, end in self.compiled.tokens(text):
                edges.update((start, end))
            self._edges[text] = edges
        return self._edges[text]

    def chain(self, pos: int) -> list[Heading]:
        """The headings that enclose normalized position ``pos``, outermost first."""
        stack: list[Heading] = []
        for h in self.headings:
            if h.start > pos:
                break
            while stack and stack[-1].level >= h.level:
                stack.pop()
            stack.append(h)
        return stack

    def in_review(self, pos: int) -> bool:
        return self.review.covers(pos)

    def deadline_years(self, start: int, end: int) -> list[tuple[int, int]]:
        """(raw position, year) of dated deadlines inside normalized ``start..end``."""
        span = self.doc.raw_span(start, end)
        out = []
        for d in self.deadlines:
            if d.date is not None and d.kind in DATED_KINDS and span.start <= d.span.start and d.span.end <= span.end:
                out.append((d.span.start, d.date.year))
        return out

    def horizon(self, pos: int, extra: tuple[int, int] | None = None) -> int | None:
        """The year a target at ``pos`` is due when its sentence names none."""
        if extra is not None:
            years = self.deadline_years(*extra)
            if years:
                return years[0][1]
        for h in reversed(self.chain(pos)):
            years = self.deadline_years(h.start, h.end)
            if years:
                return years[0][1]
        return self.plan_end


# ---------------------------------------------------------------- text targets


def _clauses(text: str, offset: int) -> Iterator[tuple[str, int]]:
    pos = 0
    for m in CLAUSE_SPLIT.finditer(text):
        if m.start() > pos:
            yield text[pos:m.start()], offset + pos
        pos = m.end()
    if pos < len(text):
        yield text[pos:], offset + pos


def _masked(text: str) -> list[tuple[int, int]]:
    """Spans of short quoted names and document titles: numbers there are names."""
    spans = [m.span() for m in SHORT_QUOTE.finditer(text)]
    spans += [m.span() for m in TITLE_QUOTE.finditer(text)]
    return spans


@dataclass(frozen=True)
class _Hit:
    start: int  # in the clause
    end: int  # after the unit and any trailing comparator word
    quantity: Quantity
    comparator: str


# The words that govern a number (its comparator, a count verb, the start of
# a change, the metric when nothing nearer names it) stand within REACH
# characters of it. A clause of prose is far shorter; the bound keeps the
# cost of a clause linear in its length when a text has no punctuation.
REACH = 200


def _hits(ctx: _Context, clause: str) -> list[_Hit]:
    hits: list[_Hit] = []
    masked = bytearray(len(clause))
    for a, b in _masked(clause):
        masked[a:b] = b"\x01" * (b - a)
    rejected = ctx.rejects.covering(clause)
    content_end = len(clause.rstrip())  # text after this is white space only
    pos = 0
    while True:
        m = NUMBER_RE.search(clause, pos)
        if m is None:
            break
        start = m.start()
        pos = max(m.end(), start + 1)
        if hits and start < hits[-1].end:
            continue
        if masked[start]:
            continue
        before = clause[start - 1] if start else ""
        if before and (before.isascii() and before.isalnum() or before in "./-"):
            continue
        if metric_multiplier_at(clause, start):
            continue
        q = parse_quantity(clause[start:m.end() + REACH], ctx.compiled.quantities)
        if q is None:
            continue
        end = start + len(q.text)
        after = clause[end:end + REACH]
        lead_in = clause[max(0, start - REACH):start]
        per = ctx.lexicon.per_unit.match(after)
        if per and (q.unit or per.group(1)[:1].isdigit()):  # 35万元/人, 4/10万
            q = replace(q, unit=f"{q.unit}/{per.group(1)}", text=q.text + per.group(0))
            end += len(per.group(0))
            after = clause[end:end + REACH]
        if after[:1].isascii() and after[:1].isalpha():
            continue  # 5G, 3D: part of a name
        cmp_before = ctx.comparators.before_number(  # 达到每千人口6批次, 达到每年50万人次
            ctx.lexicon.recurring_end.sub("", PER_HEAD.sub("", lead_in)))
        if q.unit in ctx.rejects.time_units and (cmp_before is None or cmp_before[0] == "~"):
            continue  # 2020年, 3个月, 近3年: a date or a time limit (but 周期缩短至18个月, 寿命达到80岁 are targets)
        if YEAR_AFTER.match(after) and not q.unit:
            continue
        cmp_after = ctx.comparators.after_unit(after)
        if not q.unit and not cmp_before and not cmp_after:
            continue
        closes_clause = end >= content_end or bool(cmp_after and end + cmp_after[1] >= content_end)
        counted = closes_clause or bool(ctx.lexicon.count_verb.search(lead_in))
        if CN_ONLY.match(m.group(0).strip()) and (
            q.value < 2 or not q.unit or (len(m.group(0).strip()) == 1 and not (cmp_before or cmp_after or counted))
        ):
            continue  # 八项规定, 一批, 三品一标: numerals inside names; 质检中心五个, 新建五个质检中心 are counts
        if rejected(start):
            continue
        comparator = cmp_after[0] if cmp_after else (cmp_before[0] if cmp_before else "=")
        if cmp_after:
            end += cmp_after[1]
        if comparator == "=" and hits and clause[hits[-1].end:start].strip() in SERIES_JOINERS:
            comparator = hits[-1].comparator  # 分别达到5个、65个: the verb governs the whole series
        hits.append(_Hit(start, end, q, comparator))
        pos = end
    return hits


def _cut_at_word(ctx: _Context, text: str, regex: re.Pattern[str], at_end: bool = False) -> str:
    """Drop what ``regex`` matches at the start (or end) of ``text`` when it is whole words.

    jieba decides what a whole word is, so 使 is cut from 使全省合格率 but not
    from 使用率, and 的 from 检测中心的 but not from 目的地.
    """
    m = regex.search(text) if at_end else regex.match(text)
    if not m or not m.group(0):
        return text
    cut = m.start() if at_end else m.end()
    if cut not in ctx.word_edges(text):
        return text
    return text[:cut] if at_end else text[cut:]


def _tidy_metric(ctx: _Context, text: str) -> str:
    text = INNER_SPACE.sub("", text)  # 制造业质 量竞争力指数: a line wrapped in a PDF
    text = text.strip(" 、,，;；:：")
    text = _cut_at_word(ctx, text, ctx.lexicon.leading).strip(" 、,，")
    text = _cut_at_word(ctx, text, ctx.lexicon.trailing, at_end=True)
    return text.strip(" 、,，")


def _metric_before(ctx: _Context, text: str) -> str:
    per_head = PER_HEAD.search(text)
    if per_head:
        text = text[:per_head.start()]  # 抽检量达到每千人口 | 6批次: the rate's base is not the metric
    start = ctx.rejects.starting_level(text)
    if start and start.start() > 0:
        text = text[:start.start()]  # 采标率由2022年的80%提高到: the starting level is the baseline
    cmp = ctx.comparators.before_number(text)
    if cmp:
        text = text[: len(text) - cmp[1]]
    text = _cut_at_word(ctx, text.rstrip(), ctx.lexicon.trailing_change, at_end=True)
    for change in (ctx.lexicon.increase, ctx.lexicon.decrease):  # 综合利用率提高 | 2个百分点
        text = _cut_at_word(ctx, text.rstrip(), change, at_end=True)
    text = _tidy_metric(ctx, text)
    text = _cut_at_word(ctx, text, ctx.lexicon.lead_verbs)
    text = _cut_at_word(ctx, text, ctx.lexicon.trailing_change, at_end=True)
    return _tidy_metric(ctx, text)


def _metric_after(ctx: _Context, text: str) -> str:
    text = _tidy_metric(ctx, text)
    if text.endswith(SERIES_JOINERS[1:]) and len(text) > 2:
        text = text[:-1]  # 2000名青年人才和 | 4000名工匠: the joiner opens the next item
    return _cut_at_word(ctx, text, ctx.lexicon.trailing_task, at_end=True).strip()


def _metric_of(ctx: _Context, clause: str, hits: list[_Hit], k: int, earlier: list[str]) -> str:
    """The phrase that names what hit ``k`` of a clause measures.

    After the number when a noun phrase follows it (培育20家试点企业), else
    before it (合格率达到95%); a value that only continues a series
    (分别达到1.2万张、0.8万张) shares the metric of the value before it, and
    a phrase after 、 belongs to the next value (智能工厂50个、数字化车间300个).
    """
    hit = hits[k]
    prev_end = hits[k - 1].end if k else 0
    next_start = hits[k + 1].start if k + 1 < len(hits) else len(clause)
    gap_after = clause[hit.end:next_start]
    gap_before = clause[prev_end:hit.start]
    after = "" if gap_after.lstrip().startswith(SERIES_JOINERS) else _metric_after(ctx, gap_after)
    if hit.quantity.unit in RATE_UNITS:
        if k == 0 and (before := _metric_before(ctx, gap_before)):
            return before  # 认证产品80%纳入可追溯范围: a share is of what precedes it
        if after.startswith("的"):
            after = after[1:]  # 推动80%以上的规上企业开展对标: a share of what follows
    if len(after) >= 2 and not after.startswith(("的", "以")) and not ctx.lexicon.only_a_verb.match(after):
        return after
    if k and earlier and gap_before.strip() in SERIES_JOINERS:
        return earlier[-1]
    before = _metric_before(ctx, gap_before)
    return before or after or _metric_before(ctx, clause[max(0, hit.start - REACH):hit.start])


def _found(ctx: _Context, where: tuple[int, int], text: str, section: str, rule: str,
           source: tuple[str, int], **fields: Any) -> _Found:
    """A target stated once, at normalized ``where``, quoting ``text``."""
    span = ctx.doc.raw_span(*where)
    target = Target(**fields, section=section, text=text, span=span, rule=rule,
                    mentions=(Mention(text, span, section),))
    return _Found(target, rule != "target.text", source)


@dataclass(frozen=True)
class _Piece:
    """A stretch of prose to read targets from: a sentence, or a sentence of a task-table cell."""

    text: str
    start: int
    end: int
    section: str
    frames: tuple[tuple[int, int], ...]  # where a time frame stated earlier still applies, nearest first
    source: int  # the paragraph or table row: one never states a target twice


def _pieces(ctx: _Context) -> Iterator[_Piece]:
    for sentence in ctx.structure.sentences:
        paragraph = ctx.structure.paragraphs[sentence.paragraph]
        yield _Piece(sentence.text, sentence.start, sentence.end, sentence.section,
                     ((paragraph.start, sentence.start),), paragraph.start)
    for table in ctx.structure.tables:
        if not table.header or _table_kind(table) is not None:
            continue  # indicator tables are read column by column
        columns = [i for i, h in enumerate(table.header) if ctx.lexicon.task_column.search(h)]
        timed = [i for i, h in enumerate(table.header) if ctx.compiled.tables.time_column.search(h)]
        for row in table.rows:
            time_cells = tuple((row[i].start, row[i].end) for i in timed if i < len(row))
            for i in columns:
                if i >= len(row) or cell_kind(row[i].text, ctx.compiled.tables) != "label":
                    continue
                cell = row[i]
                for s in split_sentences(cell.text, cell.start, table.section, -1):
                    yield _Piece(s.text, s.start, s.end, table.section,
                                 ((cell.start, s.start), *time_cells), row[0].start)


def _describes_next(clause: str, hits: list[_Hit], metrics: list[str], k: int) -> bool:
    """追溯管理的44个食用农产品的覆盖率100%: a count inside the phrase the next value measures."""
    if k + 1 >= len(hits) or metrics[k] != metrics[k + 1]:
        return False
    gap = clause[hits[k].end:hits[k + 1].start].strip()
    return bool(gap) and gap not in SERIES_JOINERS and hits[k].quantity.unit != hits[k + 1].quantity.unit


def _share_heads(ctx: _Context, clause: str, hits: list[_Hit], metrics: list[str]) -> None:
    """5-6个国家级、20-30个省级产品质量提升示范区: the first value shares the noun of the next.

    A short modifier standing alone before 、 takes the next metric with that
    metric's own first word (省级) replaced by it.
    """
    for k in range(len(hits) - 2, -1, -1):
        gap = clause[hits[k].end:hits[k + 1].start].strip()
        if not (gap.endswith("、") and metrics[k] and gap[:-1].strip() == metrics[k] and len(metrics[k]) <= 3):
            continue
        words = ctx.compiled.tokens(metrics[k + 1])
        if len(words) > 1:
            metrics[k] = metrics[k] + metrics[k + 1][words[1][1]:]


def _distribute(ctx: _Context, clause: str, hits: list[_Hit], metrics: list[str]) -> None:
    """国际、国家标准化技术委员会分别达到5个、65个: each value of a 分别 series takes its own subject.

    A run of n values joined by 、 that share one metric listing n subjects
    (A、B、…、N + head) gives value j the metric A_j + head, with any words
    before the list kept (落户广东的国际… -> 落户广东的国家…).
    """
    if not ctx.lexicon.each.search(clause):
        return
    k = 0
    while k < len(hits):
        end = k + 1
        while end < len(hits) and metrics[end] == metrics[k] and \
                clause[hits[end - 1].end:hits[end].start].strip() in SERIES_JOINERS:
            end += 1
        n = end - k
        parts = re.split(r"[、]", metrics[k]) if n > 1 else []
        if n > 1 and len(parts) == n and all(parts):
            first_words = ctx.compiled.tokens(parts[0])
            last_words = ctx.compiled.tokens(parts[-1])
            if first_words and len(last_words) > 1:
                lead = first_words[-1][1]
                subjects = [parts[0][lead:], *parts[1:-1], parts[-1][:last_words[0][2]]]
                prefix, head = parts[0][:lead], parts[-1][last_words[0][2]:]
                for j, subject in enumerate(subjects):
                    metrics[k + j] = prefix + subject + head
        k = end


def _text_targets(ctx: _Context) -> Iterator[_Found]:
    for piece in _pieces(ctx):
        if ctx.in_review(piece.start):
            continue
        if ctx.rejects.past(piece.text):
            continue
        lead = LEADING_YEAR.match(piece.text)
        if lead and ctx.plan_start and int(lead.group(1)) < ctx.plan_start:
            continue
        own_years = ctx.deadline_years(piece.start, piece.end)
        for clause, clause_start in _clauses(piece.text, piece.start):
            if not ARABIC_OR_CN.search(clause) or ctx.rejects.past(clause, "clause"):
                continue
            hits = _hits(ctx, clause)
            metrics: list[str] = []
            for k in range(len(hits)):
                metrics.append(_metric_of(ctx, clause, hits, k, metrics))
            _share_heads(ctx, clause, hits, metrics)
            _distribute(ctx, clause, hits, metrics)
            for k, (hit, metric) in enumerate(zip(hits, metrics)):
                if not metric or _describes_next(clause, hits, metrics, k):
                    continue
                year = _year_for(ctx, piece, clause_start + hit.start, own_years)
                baseline = _starting_level(ctx, clause[max(0, hit.start - REACH):hit.start], hit.quantity.unit)
                change, recurring = _change_and_recurrence(ctx, clause, hits, k)
                # one paragraph (or task-table row) never states a target twice
                yield _found(
                    ctx, (clause_start, clause_start + len(clause)), clause.strip(), piece.section, "target.text",
                    ("text", piece.source),
                    metric=metric, comparator=hit.comparator, value=hit.quantity.value,
                    value_max=hit.quantity.value_max, unit=hit.quantity.unit, baseline=baseline,
                    deadline_year=year, binding=None, change=change, recurring=recurring,
                )


def _change_and_recurrence(ctx: _Context, clause: str, hits: list[_Hit], k: int) -> tuple[str | None, bool]:
    """Whether hit ``k`` is a change by an amount (提高2个百分点, 下降14%), and whether it recurs (每年…).

    A value that continues a series (分别增长5%、8%) takes the change of the
    value that opens it; 每年 anywhere before the value in its clause makes
    the commitment recurring (每年组织1000家以上, 培训规模达到每年50万人次).
    """
    lex = ctx.lexicon
    first = k
    while first and clause[hits[first - 1].end:hits[first].start].strip() in SERIES_JOINERS:
        first -= 1
    before = PER_HEAD.sub("", clause[:hits[first].start])
    change = None
    for name, regex in (("increase", lex.increase), ("decrease", lex.decrease)):
        m = regex.search(before)
        if m and m.start() in ctx.word_edges(before):  # 新增30个 is a count, not a rise by 增
            change = name
            break
    return change, bool(lex.recurring.search(clause[:hits[k].start]))


def _starting_level(ctx: _Context, before: str, unit: str) -> Baseline | None:
    """The level a change starts from (由2022年的80%提高到90%), in the target's unit."""
    found = ctx.rejects.starting_level(before)
    if found is None:
        return None
    q = parse_quantity(found.group("num"), ctx.compiled.quantities)
    if q is None or (q.unit and unit and q.unit != unit):
        return None
    return Baseline(q.value, int(found.group("year")) if found.group("year") else None)


def _year_for(ctx: _Context, piece: _Piece, pos: int, years: list[tuple[int, int]]) -> int | None:
    """The year a target is due: its own sentence's, else one stated earlier in its frame, else its section's."""
    if years:
        raw_pos = ctx.doc.raw_span(pos, pos + 1).start
        before = [y for p, y in years if p <= raw_pos]
        return (before[-1] if before else years[0][1])
    for frame in piece.frames:  # 到2025年,A达到…。B达到…: the paragraph's time frame carries on
        earlier = ctx.deadline_years(*frame)
        if earlier:
            return earlier[-1][1]
    framed = ctx.framed_year(piece.start, piece.section)
    if framed is not None:  # 二、主要目标 / 到2025年,…。/ ——合格率达到94%: so does the section's
        return framed
    return ctx.horizon(piece.start)


# ---------------------------------------------------------------- table targets


YEAR_HEADER = re.compile(r"((?:19|20)\d\d)")


def _cell_quantity(ctx: _Context, text: str, unit_hint: tuple[str, Decimal] | None) -> tuple[Quantity, str] | None:
    t = re.sub(r"\s+", "", text)
    if not re.search(r"\d", t):
        return None
    m = re.search(r"\d", t)
    prefix, rest = t[: m.start()], t[m.start():]
    q = parse_quantity(rest, ctx.compiled.quantities)
    if q is None:
        return None
    after = rest[len(q.text):]
    cmp_after = ctx.comparators.after_unit(after)
    cmp_before = ctx.comparators.before_number(prefix) if prefix else None
    comparator = cmp_after[0] if cmp_after else (cmp_before[0] if cmp_before else "=")
    if unit_hint and not q.unit:
        unit, factor = unit_hint
        q = Quantity(q.value * factor, q.value_max * factor if q.value_max is not None else None, unit, q.text)
    return q, comparator


def _table_kind(table: Table) -> tuple[int | None, tuple[int, ...], int | None] | None:
    """(baseline column, target columns, attribute column) of an indicator table.

    With several year columns the earliest is the baseline and each later one
    a target of its own year (2020年 | 2025年 | 2035年).
    """
    header = table.header
    if not header:
        return None
    if re.search(r"年份|年度", header[0]):
        return None
    years = [(i, int(m.group(1))) for i, h in enumerate(header) if (m := YEAR_HEADER.search(h)) and i > 0]
    attr = next((i for i, h in enumerate(header) if "属性" in h or "性质" in h), None)
    if years:
        years.sort(key=lambda iy: iy[1])
        if len(years) == 1 or re.search(r"目标", header[years[0][0]]):
            return None, tuple(i for i, _ in years), attr
        return years[0][0], tuple(i for i, _ in years[1:]), attr
    goal = next((i for i, h in enumerate(header) if i > 0 and re.search(r"目标|指标值|预期", h)), None)
    if goal is not None:
        return None, (goal,), attr
    return None


def _table_targets(ctx: _Context) -> Iterator[_Found]:
    for table in ctx.structure.tables:
        if ctx.in_review(table.start):
            continue
        caption_end = table.start + len(table.title) if table.title else table.start
        horizon = ctx.horizon(table.start, (table.start, caption_end) if table.title else None)
        kinds = _table_kind(table)
        if kinds is not None:
            yield from _grid_targets(ctx, table, kinds, horizon)
        elif not table.header:
            yield from _pair_targets(ctx, table, horizon)


def _grid_targets(ctx: _Context, table: Table, kinds: tuple[int | None, tuple[int, ...], int | None],
                  horizon: int | None) -> Iterator[_Found]:
    base_col, target_cols, attr_col = kinds
    for target_col in target_cols:
        yield from _column_targets(ctx, table, base_col, target_col, attr_col, horizon)


def _column_targets(ctx: _Context, table: Table, base_col: int | None, target_col: int, attr_col: int | None,
                    horizon: int | None) -> Iterator[_Found]:
    target_year = None
    if (m := YEAR_HEADER.search(table.header[target_col])):
        target_year = int(m.group(1))
    base_year = None
    if base_col is not None and (m := YEAR_HEADER.search(table.header[base_col])):
        base_year = int(m.group(1))
    label_col = next(
        (i for i, h in enumerate(table.header) if h not in ctx.compiled.tables.numbered_headers and h not in ctx.compiled.tables.group_headers), 0
    )
    unit_col = next((i for i, h in enumerate(table.header) if h in ("单位", "计量单位")), None)
    for row in table.rows:
        if target_col >= len(row) or label_col >= len(row):
            continue
        label = row[label_col].text
        hint = None
        if unit_col is not None and unit_col < len(row) and cell_kind(row[unit_col].text, ctx.compiled.tables) == "unit":
            hint = split_unit(re.sub(r"\s+", "", row[unit_col].text))
        elif (u := UNIT_IN_LABEL.search(label)):
            hint = split_unit(u.group("unit"))
        metric = NOTE_IN_LABEL.sub("", UNIT_IN_LABEL.sub("", label) if hint else label).strip()
        metric = re.sub(r"\s+", "", metric)
        got = _cell_quantity(ctx, row[target_col].text, hint)
        if got is None or not metric:
            continue
        q, comparator = got
        if q.unit in ctx.rejects.time_units:
            continue
        baseline = None
        if base_col is not None and base_col < len(row):
            b = _cell_quantity(ctx, row[base_col].text, hint)
            if b is not None:
                baseline = Baseline(b[0].value, base_year)
        binding = None
        if attr_col is not None and attr_col < len(row):
            binding = {"预期性": "expected", "约束性": "binding"}.get(re.sub(r"\s+", "", row[attr_col].text))
        text = " | ".join(re.sub(r"\s+", "", c.text) for c in row)
        yield _found(
            ctx, (row[0].start, row[-1].end), text, table.section, "target.table", ("table", table.start),
            metric=metric, comparator=comparator, value=q.value, value_max=q.value_max, unit=q.unit,
            baseline=baseline, deadline_year=target_year or horizon, binding=binding,
        )


def _pair_targets(ctx: _Context, table: Table, horizon: int | None) -> Iterator[_Found]:
    for row in table.rows:
        label, value = row[0], row[-1]
        for item in ITEM_SPLIT.split(value.text):
            item = item.strip()
            m = re.search(r"\d", item)
            if not item or m is None:
                continue
            what = item[: m.start()].strip()
            q = parse_quantity(item[m.start():], ctx.compiled.quantities)
            if q is None or not q.unit or q.unit in ctx.rejects.time_units:
                continue
            yield _found(
                ctx, (label.start, value.end), f"{label.text} | {value.text}", table.section, "target.annex",
                ("table", table.start),
                metric=label.text.strip() + what, comparator="=", value=q.value, value_max=q.value_max,
                unit=q.unit, baseline=None, deadline_year=horizon, binding=None,
            )


# ---------------------------------------------------------------- merging


def _bigrams(s: str) -> set[str]:
    s = re.sub(r"[\s“”\"()（）、,，]", "", s)
    return {s[i:i + 2] for i in range(len(s) - 1)} or {s}


def _similar(a: Target, b: Target, table_and_text: bool) -> bool:
    """Whether two metrics name one thing.

    贯彻卓越绩效模式企业 ~ 贯彻卓越绩效管理模式企业, but not 国家级企业 ~ 省级企业.
    A table row and a sentence may word it more loosely (制修订国家标准、行业标准
    in the table, 国家标准和行业标准 in the sentence): a document's table
    restates its text.
    """
    ba, bb = _bigrams(a.metric), _bigrams(b.metric)
    if not ba or not bb:
        return False
    dice = 2 * len(ba & bb) / (len(ba) + len(bb))
    contained = len(ba & bb) / min(len(ba), len(bb))
    if table_and_text:
        return dice >= 0.75 or contained >= 0.7
    return dice >= 0.75 or (contained >= 0.75 and dice >= 0.6)


CMP_STRENGTH = {"=": 0, "~": 1, ">=": 2, "<=": 2, ">": 3, "<": 3}


def _merge_two(a: _Found, b: _Found) -> _Found:
    """Keep the table's metric, baseline and binding; the most explicit comparator."""
    first, second = (a, b) if a.from_table or not b.from_table else (b, a)
    t1, t2 = first.target, second.target
    comparator = max((t1.comparator, t2.comparator), key=lambda c: CMP_STRENGTH[c])
    merged = replace(
        t1,
        comparator=comparator,
        baseline=t1.baseline or t2.baseline,
        binding=t1.binding or t2.binding,
        deadline_year=t1.deadline_year or t2.deadline_year,
        unit=t1.unit or t2.unit,
        mentions=t1.mentions + tuple(m for m in t2.mentions if m not in t1.mentions),
    )
    return _Found(merged, first.from_table or second.from_table, first.source)


def merge(found: Iterable[_Found]) -> tuple[Target, ...]:
    kept: list[_Found] = []
    for f in found:
        for k, other in enumerate(kept):
            t, o = f.target, other.target
            if (t.value, t.value_max) == (o.value, o.value_max) and (t.unit == o.unit or not t.unit or not o.unit) \
                    and f.source != other.source and _similar(t, o, f.from_table != other.from_table):
                kept[k] = _merge_two(other, f)
                break
        else:
            kept.append(f)
    return tuple(sorted((f.target for f in kept), key=lambda t: t.span.start))


def extract_targets(doc: Document, structure: Structure, facts: DocumentFacts,
                    deadlines: tuple[Deadline, ...], compiled: "Compiled") -> tuple[Target, ...]:
    ctx = _Context(doc, structure, facts, deadlines, compiled)
    return merge([*_table_targets(ctx), *_text_targets(ctx)])


# ---------------------------------------------------------------- rule examples


@interpreter("comparators")
def _interpret_comparator(rule: Rule, m: "re.Match[str]", text: str, compiled: "Compiled") -> dict[str, Any] | None:
    """The comparator the extractor reads at this match, if this rule is the one that wins there."""
    comparators = compiled.target_patterns.comparators
    if rule.emit.get("position") == "after":
        got = comparators.after_unit(text[m.start():])
    else:
        got = comparators.before_number(text[:m.end()])
    if got is None or got[0] != rule.emit["comparator"]:
        return None
    return {"comparator": got[0], "position": rule.emit.get("position", "before"), "text": m.group(0)}


@interpreter("targets")
def _interpret_target_rule(rule: Rule, m: "re.Match[str]", text: str, compiled: "Compiled") -> dict[str, Any] | None:
    return {**rule.emit, "text": m.group(0)}


@table_checker("targets")
def _check_table_example(table: str, text: str, compiled: "Compiled") -> dict[str, Any] | None:
    """A targets table's example is a sentence run through the whole pipeline: the first target's fields.

    ``not_target_units`` examples are sentences whose number, with that unit, gives no target.
    """
    from policyscan.analyzer import Analyzer

    report = Analyzer(compiled).analyze(RawText("example", text + "\n", "utf-8"))
    if table == "not_target_units":
        return {"target": None} if not report.targets else None
    if not report.targets:
        return None
    t = report.targets[0]
    return {"metric": t.metric, "value": t.value, "unit": t.unit, "comparator": t.comparator,
            "change": t.change, "recurring": t.recurring}


@table_checker("units")
def _check_unit_example(table: str, text: str, compiled: "Compiled") -> dict[str, Any] | None:
    """A units example is a quantity the quantity reader reads with a unit."""
    q = parse_quantity(text, compiled.quantities)
    return {"unit": q.unit, "value": q.value} if q is not None and q.unit else None
