"""(Reports, Reports) -> aligned commitments: what both sides promise, who aims higher, who does the work.

Side A and side B are each one document or a set of documents (a province,
or a province in one plan period, read from a batch database). Targets are
aligned by what they measure, not by their wording: each target's metric is
resolved to a canonical indicator of ``rules/metrics.yaml`` (a
``MetricVocabulary``), and two targets pair when they resolve to the same
indicator. Within an indicator, candidates are ranked by unit family, then
by lexical similarity of their metrics (jieba words when a tokenizer is
given, character bigrams otherwise), then by deadline year; similarity
never pairs targets of different indicators. Unpaired targets whose metrics
look alike are listed apart as "maybe the same", never merged. Every target
is on exactly one row.

Verdicts (``over_time=False``): ``same``, ``a-more-ambitious``,
``b-more-ambitious``, ``not-comparable`` (unit families differ, or a level
is set against a change or a yearly amount, or the indicator has no
direction), ``only-a``, ``only-b``. Over time (A the earlier plan, B the
later): ``kept``, ``lowered``, ``raised``, ``not-comparable``, ``dropped``,
``new``. Ambition uses the indicator's direction, the comparator and the
measure: a 98% floor beats a 95% floor, ``>`` beats ``>=`` at the same
figure, a ceiling of 0.29 beats 0.3 where lower is better, a 5% decrease in
能耗 beats 3%; a range promises its weaker end.

``Diff.to_dict()`` is the JSON that ``policyscan diff --format json``
prints and that other renderers consume::

    {
      "over_time": false,
      "a": {"label": str, "province": str|null, "period": {"start", "end"}|null,
            "documents": [{"source", "sha256", "title", "province", "city", "issuer",
                           "date", "doc_number", "period"}]},
      "b": {... the same ...},
      "targets": [{"indicator": id|null, "name": str|null, "category": str|null,
                   "family": str|null, "direction": "higher"|"lower"|"none"|null,
                   "a": TARGET|null, "b": TARGET|null, "verdict": str}],
      "maybe_same": [{"a": row index, "b": row index, "similarity": float}],
      "agencies": [{"canonical": str, "a": {"lead": n, "cooperating": n, "responsible": n},
                    "b": {...}, "reform": bool, "former": [names before the reform],
                    "reform_year": int|null, "names": {"a": [as written], "b": [...]}}],
      "deadlines": [{"date": "YYYY-MM-DD", "a": {"count": n, "texts": [...]}, "b": {...}}],
      "summary": {verdict: count},
      "differ": bool
    }

where TARGET is the target as in the Report contract (``metric``,
``comparator``, ``value``, ``value_max``, ``unit``, ``baseline``,
``deadline_year``, ``binding``, ``section``, ``text``, ``span``, ``rule``,
``mentions``) plus ``source`` (its document), ``ref`` (``{"document": i,
"target": j}``: its index in the side's ``documents`` and in that report's
targets), ``family`` (its unit's family) and ``measure`` (``level``,
``increase``, ``decrease`` or ``per-year``). Rows come grouped by category in
the vocabulary's order, targets no indicator covers last. ``differ`` is
true when a target row is not ``same``/``kept`` or an agency's counts
differ between the sides: what ``--exit-code`` reports.
"""
from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policyscan.errors import PolicyscanError
from policyscan.model import ROLES, Period, Report, Target, _date, _target_dict
from policyscan.rules import Rule, RuleBook, interpreter, table_checker

if TYPE_CHECKING:
    from policyscan.compiled import Compiled

VERDICTS = ("same", "a-more-ambitious", "b-more-ambitious", "not-comparable", "only-a", "only-b")
OVER_TIME = {
    "same": "kept",
    "a-more-ambitious": "lowered",
    "b-more-ambitious": "raised",
    "not-comparable": "not-comparable",
    "only-a": "dropped",
    "only-b": "new",
}
UNCHANGED = frozenset({"same", "kept"})
MAYBE_SAME = 0.5  # the lexical similarity from which two unpaired targets are listed as "maybe the same"


# ---------------------------------------------------------------- the vocabulary


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    category: str
    family: str
    direction: str  # higher | lower | none
    regex: re.Pattern[str] = field(compare=False, repr=False)
    priority: int = 0
    order: int = 0  # its place in the vocabulary: rows are sorted by it


class MetricVocabulary:
    """The indicators of the ``metrics`` ruleset, compiled once; resolves a target to one of them."""

    def __init__(
        self,
        indicators: Sequence[Indicator],
        unit_families: dict[str, str],
        change_words: dict[str, tuple[str, ...]],
        not_change_words: Sequence[str] = (),
        tokenize: Callable[[str], Sequence[str]] | None = None,
    ) -> None:
        self.indicators = tuple(indicators)
        self.by_id = {i.id: i for i in self.indicators}
        self.unit_families = unit_families
        self.change_words = change_words
        self.not_change_words = tuple(not_change_words)
        self.tokenize = tokenize
        self.categories = tuple(dict.fromkeys(i.category for i in self.indicators))
        self._words: dict[str, frozenset[str]] = {}  # metric -> its words, so each metric is segmented once

    @classmethod
    def from_book(cls, book: RuleBook, tokenize: Callable[[str], Sequence[str]] | None = None) -> "MetricVocabulary":
        if "metrics" not in book:
            return cls((), {}, {}, (), tokenize)
        rs = book["metrics"]
        indicators = [
            Indicator(
                id=r.id,
                name=str(r.emit.get("name") or r.id),
                category=str(r.emit.get("category") or ""),
                family=str(r.emit.get("family") or ""),
                direction=str(r.emit.get("direction") or "none"),
                regex=r.regex,
                priority=r.priority,
                order=n,
            )
            for n, r in enumerate(rs.rules)
        ]
        families = {}
        for family, units in (rs.tables.get("unit_families") or {}).items():
            for unit in units or ():
                families["" if unit is None else str(unit)] = str(family)
        words = {
            "increase": tuple(str(w) for w in rs.tables.get("increase_words", ())),
            "decrease": tuple(str(w) for w in rs.tables.get("decrease_words", ())),
            "per-year": tuple(str(w) for w in rs.tables.get("per_year_words", ())),
        }
        return cls(indicators, families, words, tuple(str(w) for w in rs.tables.get("not_change_words", ())), tokenize)

    # ------------------------------------------------------------ resolving

    def family(self, unit: str) -> str:
        """The unit family of a target's unit (rate, count, money, …); an unknown unit is its own family."""
        return self.unit_families.get(unit, unit)

    def candidates(self, metric: str) -> list[tuple[Indicator, int]]:
        """Every indicator whose pattern matches ``metric``, with the length of its match."""
        out = []
        for ind in self.indicators:
            m = ind.regex.search(metric)
            if m:
                out.append((ind, m.end() - m.start()))
        return out

    def resolve_text(self, metric: str, unit: str | None = None) -> Indicator | None:
        """The indicator a metric names: the unit's family first, then priority, then the longest match."""
        found = self.candidates(metric)
        if not found:
            return None
        family = None if unit is None else self.family(unit)

        def rank(item: tuple[Indicator, int]) -> tuple[int, int, int, int]:
            ind, length = item
            fits = family is not None and (ind.family == family or (family == "points" and ind.family == "rate"))
            return (int(fits), ind.priority, length, -ind.order)

        return max(found, key=rank)[0]

    def resolve(self, target: Target) -> Indicator | None:
        return self.resolve_text(target.metric, target.unit)

    def measure(self, target: Target) -> str:
        """level, increase, decrease or per-year: what the figure states.

        A ``change`` attribute on the target (increase/decrease) wins; else
        the metric's wording (新增, 下降, 每年) and a 个百分点 unit decide.
        """
        change = getattr(target, "change", None)
        if change in ("increase", "decrease"):
            return str(change)
        text = target.metric
        for word in self.not_change_words:
            text = text.replace(word, "")
        if any(w in text for w in self.change_words.get("per-year", ())):
            return "per-year"
        if any(w in text for w in self.change_words.get("decrease", ())):
            return "decrease"
        if any(w in text for w in self.change_words.get("increase", ())) or self.family(target.unit) == "points":
            return "increase"
        return "level"

    # ------------------------------------------------------------ likeness

    def words(self, text: str) -> frozenset[str]:
        """The words of a metric (jieba's, when a tokenizer was given), or else its character bigrams."""
        cached = self._words.get(text)
        if cached is None:
            cached = frozenset()
            if self.tokenize is not None:
                cached = frozenset(w for w in self.tokenize(text) if w.strip() and not _PUNCT.fullmatch(w))
            if not cached:
                cached = frozenset(text[i:i + 2] for i in range(len(text) - 1)) or frozenset({text})
            self._words[text] = cached
        return cached

    def similarity(self, a: str, b: str) -> float:
        """Dice coefficient of the two metrics' words (or character bigrams): 0 to 1."""
        wa, wb = self.words(a), self.words(b)
        if not wa or not wb:
            return 0.0
        return 2 * len(wa & wb) / (len(wa) + len(wb))


_PUNCT = re.compile(r"[\W_]+")


@interpreter("metrics")
def _interpret_metric(rule: Rule, m: "re.Match[str]", text: str, compiled: "Compiled") -> dict[str, Any] | None:
    """An example of an indicator must resolve to it through the whole vocabulary (shipped and user rules)."""
    vocabulary = compiled.metrics
    ours = vocabulary.by_id.get(rule.id)
    if ours is not None and ours.regex.pattern == rule.pattern:
        got = vocabulary.resolve_text(text)
        if got is None or got.id != rule.id:
            return None
    return {"indicator": rule.id, **rule.emit, "text": m.group(0)}


# ---------------------------------------------------------------- sides


@dataclass(frozen=True)
class Side:
    """One side of a diff: its reports and a label."""

    label: str
    reports: tuple[Report, ...]

    def facts(self) -> dict[str, Any]:
        docs = [_doc_facts(r) for r in self.reports]
        provinces = {r.document.province for r in self.reports}
        periods = [r.document.period for r in self.reports if r.document.period]
        period = None
        if periods:
            period = {"start": min(p.start for p in periods), "end": max(p.end for p in periods)}
        return {
            "label": self.label,
            "province": provinces.pop() if len(provinces) == 1 else None,
            "period": period,
            "documents": docs,
        }


def _doc_facts(r: Report) -> dict[str, Any]:
    f = r.document
    return {
        "source": r.source,
        "sha256": r.sha256,
        "title": f.title,
        "province": f.province,
        "city": f.city,
        "issuer": f.issuer,
        "date": _date(f.date),
        "doc_number": f.doc_number,
        "period": {"start": f.period.start, "end": f.period.end} if f.period else None,
    }


def side(reports: Sequence[Report], label: str | None = None) -> Side:
    """A side from reports; its label is the one document's source, or the province and period."""
    reports = tuple(reports)
    if label is None:
        if len(reports) == 1:
            label = reports[0].source
        else:
            provinces = sorted({r.document.province or "?" for r in reports})
            label = "、".join(provinces) + f" ({len(reports)} documents)"
    return Side(label, reports)


# ---------------------------------------------------------------- rows


@dataclass(frozen=True)
class Entry:
    """One target of one side, with where it sits and how it reads."""

    target: Target
    document: int
    index: int
    source: str
    indicator: Indicator | None
    family: str
    measure: str

    def to_dict(self) -> dict[str, Any]:
        return {
            **_target_dict(self.target),
            "source": self.source,
            "ref": {"document": self.document, "target": self.index},
            "family": self.family,
            "measure": self.measure,
        }


@dataclass(frozen=True)
class Row:
    indicator: Indicator | None
    a: Entry | None
    b: Entry | None
    verdict: str

    def to_dict(self) -> dict[str, Any]:
        ind = self.indicator
        return {
            "indicator": ind.id if ind else None,
            "name": ind.name if ind else None,
            "category": ind.category if ind else None,
            "family": ind.family if ind else None,
            "direction": ind.direction if ind else None,
            "a": self.a.to_dict() if self.a else None,
            "b": self.b.to_dict() if self.b else None,
            "verdict": self.verdict,
        }


@dataclass(frozen=True)
class AgencyRow:
    canonical: str
    a: dict[str, int]
    b: dict[str, int]
    former: tuple[str, ...]
    reform_year: int | None
    names_a: tuple[str, ...]
    names_b: tuple[str, ...]

    @property
    def reform(self) -> bool:
        return bool(self.former)

    def to_dict(self) -> dict[str, Any]:
        return {
            "canonical": self.canonical,
            "a": dict(self.a),
            "b": dict(self.b),
            "reform": self.reform,
            "former": list(self.former),
            "reform_year": self.reform_year,
            "names": {"a": list(self.names_a), "b": list(self.names_b)},
        }


@dataclass(frozen=True)
class DeadlineRow:
    date: str
    a: tuple[str, ...]
    b: tuple[str, ...]
    a_count: int
    b_count: int

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date, "a": {"count": self.a_count, "texts": list(self.a)}, "b": {"count": self.b_count, "texts": list(self.b)}}


@dataclass(frozen=True)
class Diff:
    a: Side
    b: Side
    rows: tuple[Row, ...]
    maybe_same: tuple[tuple[int, int, float], ...]
    agencies: tuple[AgencyRow, ...]
    deadlines: tuple[DeadlineRow, ...]
    over_time: bool = False

    @property
    def summary(self) -> dict[str, int]:
        counts = Counter(r.verdict for r in self.rows)
        order = [OVER_TIME[v] for v in VERDICTS] if self.over_time else list(VERDICTS)
        return {v: counts[v] for v in order if counts[v]}

    @property
    def differ(self) -> bool:
        """Whether the commitments differ: a target row that is not same/kept, or an agency's counts."""
        return any(r.verdict not in UNCHANGED for r in self.rows) or any(g.a != g.b for g in self.agencies)

    def to_dict(self) -> dict[str, Any]:
        return {
            "over_time": self.over_time,
            "a": self.a.facts(),
            "b": self.b.facts(),
            "targets": [r.to_dict() for r in self.rows],
            "maybe_same": [{"a": i, "b": j, "similarity": round(s, 2)} for i, j, s in self.maybe_same],
            "agencies": [g.to_dict() for g in self.agencies],
            "deadlines": [d.to_dict() for d in self.deadlines],
            "summary": self.summary,
            "differ": self.differ,
        }

    def to_json(self, indent: int | None = 2) -> str:
        separators = None if indent else (",", ":")
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, separators=separators)


# ---------------------------------------------------------------- comparing


def _entries(s: Side, vocabulary: MetricVocabulary) -> list[Entry]:
    return [
        Entry(t, d, i, r.source, vocabulary.resolve(t), vocabulary.family(t.unit), vocabulary.measure(t))
        for d, r in enumerate(s.reports)
        for i, t in enumerate(r.targets)
    ]


def _strict(comparator: str) -> int:
    return 1 if comparator in (">", "<") else 0


def ambition(entry: Entry, direction: str) -> tuple[Decimal, int]:
    """How much a target promises, as a key where bigger is more ambitious (for one direction)."""
    t = entry.target
    low, high = t.value, t.value_max if t.value_max is not None else t.value
    better_higher = direction == "higher"
    if entry.measure == "decrease":
        better_higher = not better_higher  # a bigger cut of something that should fall is more ambitious
    if better_higher:
        return (low, _strict(t.comparator) if t.comparator in (">", ">=") else 0)
    return (-high, _strict(t.comparator) if t.comparator in ("<", "<=") else 0)


def verdict(a: Entry, b: Entry, indicator: Indicator | None) -> str:
    """The verdict of two paired targets (in the two-sides vocabulary)."""
    if a.family != b.family or a.measure != b.measure:
        return "not-comparable"
    ta, tb = a.target, b.target
    if (ta.value, ta.value_max) == (tb.value, tb.value_max) and _strict(ta.comparator) == _strict(tb.comparator):
        return "same"
    direction = indicator.direction if indicator else "none"
    if direction not in ("higher", "lower"):
        return "not-comparable"
    ka, kb = ambition(a, direction), ambition(b, direction)
    if ka == kb:
        return "same"
    return "a-more-ambitious" if ka > kb else "b-more-ambitious"


def _pair(xs: list[Entry], ys: list[Entry], vocabulary: MetricVocabulary) -> list[tuple[Entry | None, Entry | None]]:
    """One-to-one pairs within one indicator, best first; the rest alone."""
    scored = []
    for i, x in enumerate(xs):
        for j, y in enumerate(ys):
            fits = (x.family == y.family) + (x.measure == y.measure)
            sim = vocabulary.similarity(x.target.metric, y.target.metric)
            year = x.target.deadline_year == y.target.deadline_year
            scored.append(((fits, round(sim, 6), year, -i, -j), i, j))
    scored.sort(reverse=True)
    used_x: set[int] = set()
    used_y: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, i, j in scored:
        if i not in used_x and j not in used_y:
            used_x.add(i)
            used_y.add(j)
            pairs.append((i, j))
    out: list[tuple[Entry | None, Entry | None]] = [(xs[i], ys[j]) for i, j in sorted(pairs)]
    out += [(x, None) for i, x in enumerate(xs) if i not in used_x]
    out += [(None, y) for j, y in enumerate(ys) if j not in used_y]
    return out


def compare(a: Sequence[Report], b: Sequence[Report], vocabulary: MetricVocabulary, *, over_time: bool = False,
            labels: tuple[str | None, str | None] = (None, None)) -> Diff:
    """Align side A's and side B's commitments; ``over_time`` reads A as the earlier plan."""
    sa, sb = side(a, labels[0]), side(b, labels[1])
    ea, eb = _entries(sa, vocabulary), _entries(sb, vocabulary)
    by_ind: dict[str | None, tuple[list[Entry], list[Entry]]] = {}
    for e in ea:
        by_ind.setdefault(e.indicator.id if e.indicator else None, ([], []))[0].append(e)
    for e in eb:
        by_ind.setdefault(e.indicator.id if e.indicator else None, ([], []))[1].append(e)

    rows: list[Row] = []
    order = sorted(
        (k for k in by_ind if k is not None),
        key=lambda k: (vocabulary.categories.index(vocabulary.by_id[k].category), vocabulary.by_id[k].order),
    )
    for key in order:
        ind = vocabulary.by_id[key]
        xs, ys = by_ind[key]
        for x, y in _pair(xs, ys, vocabulary):
            v = verdict(x, y, ind) if x and y else ("only-a" if x else "only-b")
            rows.append(Row(ind, x, y, OVER_TIME[v] if over_time else v))
    xs, ys = by_ind.get(None, ([], []))
    rows += [Row(None, x, None, OVER_TIME["only-a"] if over_time else "only-a") for x in xs]
    rows += [Row(None, None, y, OVER_TIME["only-b"] if over_time else "only-b") for y in ys]

    return Diff(sa, sb, tuple(rows), _maybe_same(rows, vocabulary), _agencies(sa, sb), _deadlines(sa, sb), over_time)


def _maybe_same(rows: Sequence[Row], vocabulary: MetricVocabulary) -> tuple[tuple[int, int, float], ...]:
    """Unpaired targets of the two sides whose metrics look alike, best first, each at most once."""
    lone_a = [(n, r.a) for n, r in enumerate(rows) if r.a and not r.b]
    lone_b = [(n, r.b) for n, r in enumerate(rows) if r.b and not r.a]
    found = []
    for i, x in lone_a:
        for j, y in lone_b:
            if x.family != y.family:
                continue
            s = vocabulary.similarity(x.target.metric, y.target.metric)
            if s >= MAYBE_SAME:
                found.append((s, i, j))
    found.sort(key=lambda f: (-f[0], f[1], f[2]))
    used: set[int] = set()
    out = []
    for s, i, j in found:
        if i not in used and j not in used:
            used |= {i, j}
            out.append((i, j, s))
    return tuple(out)


# ---------------------------------------------------------------- agencies and deadlines


def _agency_counts(s: Side) -> tuple[dict[str, Counter[str]], dict[str, set[str]], dict[str, set[str]], dict[str, int]]:
    counts: dict[str, Counter[str]] = {}
    names: dict[str, set[str]] = {}
    former: dict[str, set[str]] = {}
    years: dict[str, int] = {}
    for r in s.reports:
        for task in r.tasks:
            for role in ROLES:
                seen = set()
                for ag in getattr(task, role):
                    key = ag.successor or ag.canonical or ag.name
                    names.setdefault(key, set()).add(ag.name)
                    if ag.successor:
                        former.setdefault(key, set()).add(ag.canonical or ag.name)
                        if ag.reform_year:
                            years[key] = ag.reform_year
                    if key not in seen:
                        seen.add(key)
                        counts.setdefault(key, Counter())[role] += 1
    return counts, names, former, years


def _agencies(a: Side, b: Side) -> tuple[AgencyRow, ...]:
    ca, na, fa, ya = _agency_counts(a)
    cb, nb, fb, yb = _agency_counts(b)
    rows = []
    for key in set(ca) | set(cb):
        ra = {role: ca.get(key, Counter())[role] for role in ROLES}
        rb = {role: cb.get(key, Counter())[role] for role in ROLES}
        rows.append(
            AgencyRow(
                canonical=key,
                a=ra,
                b=rb,
                former=tuple(sorted(fa.get(key, set()) | fb.get(key, set()))),
                reform_year=ya.get(key) or yb.get(key),
                names_a=tuple(sorted(na.get(key, ()))),
                names_b=tuple(sorted(nb.get(key, ()))),
            )
        )
    rows.sort(key=lambda g: (-(sum(g.a.values()) + sum(g.b.values())), -g.a["lead"] - g.b["lead"], g.canonical))
    return tuple(rows)


def _deadlines(a: Side, b: Side) -> tuple[DeadlineRow, ...]:
    def dated(s: Side) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for r in s.reports:
            for d in r.deadlines:
                if d.date is not None:
                    out.setdefault(d.date.isoformat(), []).append(d.text)
        return out

    da, db = dated(a), dated(b)
    return tuple(
        DeadlineRow(day, tuple(dict.fromkeys(da.get(day, ()))), tuple(dict.fromkeys(db.get(day, ()))), len(da.get(day, ())), len(db.get(day, ())))
        for day in sorted(set(da) | set(db))
    )


# ---------------------------------------------------------------- uncovered targets


def uncovered(reports: Sequence[Report], vocabulary: MetricVocabulary) -> list[tuple[Report, Target]]:
    """The targets no indicator of the vocabulary covers, in document order."""
    return [(r, t) for r in reports for t in r.targets if vocabulary.resolve(t) is None]


# ---------------------------------------------------------------- batch databases

DB_COLUMNS = (
    "sha256", "path", "title", "province", "city", "date", "period_start", "period_end",
    "issuer", "doc_number", "policyscan_version", "rules_digest", "report_json",
)  # fmt: skip


def parse_period(text: str) -> Period:
    """``2016-2020`` (or ``2016—2020``, or one year ``2016``) -> Period; a usage error otherwise."""
    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-—–~至到]\s*(\d{4}))?\s*", text)
    if not m or int(m.group(2) or m.group(1)) < int(m.group(1)):
        raise PolicyscanError("usage", message=f"--period {text!r}: give years as START-END, e.g. 2016-2020")
    return Period(int(m.group(1)), int(m.group(2) or m.group(1)))


def reports_from_db(path: str | Path, province: str | None = None, period: str | Period | None = None) -> list[Report]:
    """The reports a batch database holds, for one province and plan period when given.

    A document belongs to a period when its plan period lies within it, or,
    without a plan period, when the year of its date does. Ordered by date
    (or, without one, the start of the plan period), then path.
    """
    p = Path(path)
    if not p.is_file():
        raise PolicyscanError("input-missing" if not p.exists() else "input-directory", path=str(path))
    span = parse_period(period) if isinstance(period, str) else period
    try:
        con = sqlite3.connect(f"file:{p}?mode=ro", uri=True)
        try:
            rows = con.execute(
                "SELECT province, date, period_start, period_end, report_json, path FROM documents"
                " ORDER BY coalesce(date, period_start || '-01-01'), path"
            ).fetchall()
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise PolicyscanError("db-invalid", path=str(path), reason=str(exc)) from None
    out = []
    for prov, date, start, end, report_json, _ in rows:
        if province is not None and prov != province:
            continue
        if span is not None:
            if start is not None and end is not None:
                if not (span.start <= int(start) and int(end) <= span.end):
                    continue
            elif not (str(date or "")[:4].isdigit() and span.start <= int(str(date)[:4]) <= span.end):
                continue
        try:
            out.append(Report.from_dict(json.loads(report_json)))
        except (ValueError, KeyError, TypeError) as exc:
            raise PolicyscanError("db-invalid", path=str(path), reason=f"a report that does not read back ({exc})") from None
    return out


def select(path: str | Path, province: str | None, period: str | None) -> list[Report]:
    """``reports_from_db`` that says so when nothing matches."""
    reports = reports_from_db(path, province, period)
    if not reports:
        wanted = " ".join(x for x in (province, period) if x) or "any province"
        raise PolicyscanError("db-empty", path=str(path), selection=wanted)
    return reports


def label(province: str | None, period: str | None) -> str:
    return " ".join(x for x in (province, period) if x)


@dataclass(frozen=True)
class Selection:
    """The two sides a database diff compares, as ``--province``/``--period`` chose them."""

    a: list[Report]
    b: list[Report]
    labels: tuple[str, str]
    over_time: bool


def select_sides(path: str | Path, provinces: Sequence[str], periods: Sequence[str]) -> Selection:
    """Two provinces (in at most one period), or one province in two periods (over time)."""
    if len(provinces) == 2 and len(periods) <= 1:
        when = periods[0] if periods else None
        return Selection(
            select(path, provinces[0], when), select(path, provinces[1], when),
            (label(provinces[0], when), label(provinces[1], when)), False,
        )  # fmt: skip
    if len(provinces) == 1 and len(periods) == 2:
        return Selection(
            select(path, provinces[0], periods[0]), select(path, provinces[0], periods[1]),
            (label(provinces[0], periods[0]), label(provinces[0], periods[1])), True,
        )  # fmt: skip
    raise PolicyscanError(
        "usage", message="with --db give two --province (and at most one --period), or one --province and two --period"
    )


def select_all(path: str | Path, provinces: Sequence[str], periods: Sequence[str]) -> list[Report]:
    """Every report of the database in any of the provinces and periods given (all of them when none is)."""
    seen: dict[tuple[str, str], Report] = {}
    for province in provinces or [None]:
        for period in periods or [None]:
            for r in reports_from_db(path, province, period):
                seen.setdefault((r.sha256, r.source), r)
    if not seen:
        raise PolicyscanError("db-empty", path=str(path), selection=" ".join([*provinces, *periods]) or "any province")
    return list(seen.values())


@table_checker("metrics")
def _check_table_example(table: str, text: str, compiled: "Compiled") -> dict[str, Any] | None:
    """A unit_families example is a unit of a known family; a change-word example a metric read as that change."""
    vocabulary = compiled.metrics
    if table == "unit_families":
        return {"family": vocabulary.unit_families[text]} if text in vocabulary.unit_families else None
    from decimal import Decimal

    from policyscan.model import Span

    measure = vocabulary.measure(Target(text, "=", Decimal(1), None, "", None, None, None, "", text, Span(0, 0), ""))
    wanted = {"increase_words": "increase", "decrease_words": "decrease", "per_year_words": "per-year", "not_change_words": "level"}[table]
    return {"measure": measure} if measure == wanted else None
