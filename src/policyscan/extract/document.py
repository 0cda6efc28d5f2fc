"""Normalized text -> facts about the document itself.

Title, issuer, date, document number (文号), plan period, and the province
(and city) the document belongs to. The phrasings live in
``rules/document.yaml``; this module decides *where* each rule is looked
for, using the document's layout:

- the **head**: the lines before the first 一、 / 第一章 heading, where the
  title line, a wrapper notice, page metadata (发布时间, 来源) and the 文号 sit;
- the **opening**: the first prose paragraph after the title;
- the **edges**: the first and last few lines, where a bare date line is the
  document's date (a date inside a body sentence never is);
- the **text**: the whole document (signature blocks, goal statements).

Each rule's ``emit`` says which ``field`` it supplies and in which ``scope``
it is searched; among rules of one field, higher ``priority`` wins, and
within a rule the earliest match.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from policyscan.dates import five_year_plan
from policyscan.model import Document, DocumentFacts, Period
from policyscan.rules import Rule, Ruleset, interpreter, table_checker
from policyscan.structure import Line
from policyscan.structure import lines as text_lines

if TYPE_CHECKING:
    from policyscan.compiled import Compiled

RULESET = "document"

# The 3rd five-year plan began in 1966 (after the 1963-65 adjustment years);
# every later plan begins five years after the one before.
MAX_PERIOD_YEARS = 15  # a longer "range" is two unrelated years, not a plan period
HEAD_MAX_LINES = 40  # without any 一、 heading, the head is at most this many lines
EDGE_LINES = 8  # a bare date line counts within this many lines of either end
PROSE = re.compile(r"[。,，;；]")
# A signature block or a closing date line follows the end of a paragraph (or
# an 附件 line); a name and a date that follow a short table cell are cells of
# a table (牵头单位 | 完成时限), not a signature.
PARAGRAPH_END = re.compile(r"(?:[。;；!！?？)）]|^附件.*)$")
QUOTED_TITLE = re.compile(r"《[^《》\n]*》")
PROSE_MIN = 15  # shorter lines are labels, not an opening paragraph
# a line ending 「…关于印发」 runs on into the title of the plan it wraps
WRAP_TAIL = re.compile(r"(?:印发|转发|颁布|发布|公布)$")
# how strongly a place must dominate the text to be taken as the document's own
PLACE_MIN_MENTIONS = 3
PLACE_LEAD = 2  # times the runner-up
# a province no other place competes with may have fewer mentions, when they
# are written out in full (贵州省名牌产品, 贵州省著名商标)
PLACE_MIN_FULL_MENTIONS = 2

CJK_DIGITS = {
    "〇": 0, "零": 0, "○": 0, "O": 0, "О": 0,
    "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}


# ---------------------------------------------------------------- helpers


def cjk_int(s: str) -> int:
    """Chinese numerals to an int: 二〇二〇 (digit by digit), 十六, 二十一, 三十."""
    if "十" not in s:
        value = 0
        for ch in s:
            value = value * 10 + CJK_DIGITS[ch]
        return value
    tens, _, units = s.partition("十")
    return (CJK_DIGITS[tens] if tens else 1) * 10 + (CJK_DIGITS[units] if units else 0)


def plan_period(ordinal: int) -> Period | None:
    """The years of the n-th five-year plan (十三五 -> 2016-2020); None before the 3rd
    (a 一五/二五 in a document's own title is not a plan it sets)."""
    if ordinal < 3:
        return None
    return Period(*five_year_plan(ordinal))


def _date(g: dict[str, str | None]) -> dt.date | None:
    try:
        if g.get("ay"):
            return dt.date(int(g["ay"]), int(g["am"]), int(g["ad"]))
        if g.get("iy"):
            return dt.date(int(g["iy"]), int(g["im"]), int(g["id"]))
        if g.get("cy"):
            return dt.date(cjk_int(g["cy"]), cjk_int(g["cm"]), cjk_int(g["cd"]))
    except (ValueError, KeyError):
        return None
    return None


def _squeeze(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _unwrap(title: str) -> str:
    """《X》 -> X, when the quotes enclose the whole title."""
    title = _squeeze(title)
    if title.startswith("《") and title.endswith("》") and title.count("《") == 1:
        return title[1:-1].strip()
    return title


def _blank_quoted(s: str) -> str:
    """Other documents' titles (《…》) blanked out, keeping positions."""
    return QUOTED_TITLE.sub(lambda m: " " * len(m.group(0)), s)


@interpreter(RULESET)
def interpret(rule: Rule, m: re.Match[str], text: str, compiled: "Compiled | None" = None) -> dict[str, Any] | None:
    """A match of a document rule as the fields it supplies (None: rejected)."""
    field = rule.emit.get("field")
    g = m.groupdict()
    if field == "title":
        issuer = g.get("issuer")
        return {"field": field, "title": _unwrap(g["title"]), "issuer": _squeeze(issuer) if issuer else None}
    if field == "issuer":
        if "ay" not in rule.regex.groupindex:
            return {"field": field, "issuer": _squeeze(g["issuer"])}
        # a signature block: agencies one per line or side by side, then the date
        when = _date(g)
        names = [n for n in re.split(r"[\s、]+", g["issuer"]) if n]
        return {"field": field, "issuer": "、".join(names), "date": when} if when else None
    if field == "date":
        when = _date(g)
        return {"field": field, "date": when} if when else None
    if field == "doc_number":
        prefix = re.sub(r"\s+", "", g["prefix"])
        return {
            "field": field,
            "doc_number": f"{prefix}〔{g['year']}〕{int(g['num'])}号",
            "abbr": prefix[0],
        }
    if field == "period":
        period = _period(g)
        return {"field": field, "start": period.start, "end": period.end} if period else None
    if field == "place":
        return {"field": field, "place": g["place"]}
    if field == "body":
        return {"field": field}
    return None


def _period(g: dict[str, str | None]) -> Period | None:
    if g.get("start"):
        start, end = int(g["start"]), int(g["end"])
        return Period(start, end) if 0 <= end - start <= MAX_PERIOD_YEARS else None
    if g.get("year"):
        return Period(int(g["year"]), int(g["year"]))
    ordinal = g.get("fyp") or g.get("fyp_long")
    return plan_period(cjk_int(ordinal)) if ordinal else None


# ---------------------------------------------------------------- rule lookup


@dataclass(frozen=True)
class _Hit:
    rule: Rule
    start: int
    end: int
    out: dict[str, Any]


def _rules(rs: Ruleset, field: str, scope: str) -> list[Rule]:
    def scopes(rule: Rule) -> list[str]:
        value = rule.emit.get("scope", "text")
        return value if isinstance(value, list) else [value]

    picked = [r for r in rs.rules if r.emit.get("field") == field and scope in scopes(r)]
    return sorted(picked, key=lambda r: -r.priority)


def _first(rs: Ruleset, field: str, scope: str, text: str, offset: int = 0) -> _Hit | None:
    """The earliest accepted match of the highest-priority rule that has one."""
    for rule in _rules(rs, field, scope):
        for m in rule.finditer(text):
            out = interpret(rule, m, text)
            if out is not None:
                return _Hit(rule, m.start() + offset, m.end() + offset, out)
    return None


# ---------------------------------------------------------------- places


@dataclass(frozen=True)
class Places:
    regex: re.Pattern[str]
    province_of: dict[str, str]  # any written name -> province full name
    is_city: frozenset[str]
    by_abbr: dict[str, str]
    bare_city: dict[str, str]  # a city's name without 市 -> its name with 市

    @classmethod
    def from_ruleset(cls, rs: Ruleset) -> "Places":
        """The province and city tables compiled; ``Compiled.places`` keeps one."""
        return _places(rs)


def _places(rs: Ruleset) -> Places:
    province_of: dict[str, str] = {}
    by_abbr: dict[str, str] = {}
    for p in rs.tables.get("provinces", []):
        province_of[p["name"]] = p["name"]
        province_of[p["short"]] = p["name"]
        for a in p.get("abbr", []):
            by_abbr.setdefault(a, p["name"])
    cities = set()
    bare_city: dict[str, str] = {}
    for province, names in (rs.tables.get("cities") or {}).items():
        for n in names:
            province_of[n + "市"] = province
            cities.add(n + "市")
            if n not in province_of:  # 吉林 is the province
                bare_city[n] = n + "市"
    for province, names in (rs.tables.get("places") or {}).items():
        for n in names:  # 楚雄州, 兴安盟, 蕉城区: written with their suffix, no city of their own
            province_of.setdefault(str(n), province)
    alternatives = sorted(province_of, key=len, reverse=True)
    # 青岛市 but not 青岛市场
    regex = re.compile("|".join(re.escape(a) + ("(?!场)" if a.endswith("市") else "") for a in alternatives))
    return Places(regex, province_of, frozenset(cities), by_abbr, bare_city)


def _place_in(places: Places, s: str | None) -> tuple[str, str | None] | None:
    """(province, city) of the first place a title or issuer names.

    A city written without 市 counts where it opens the title or issuer
    (宜春深化质量强市建设实施方案), not as a word inside it (朝阳产业).
    """
    if not s:
        return None
    m = places.regex.search(s)
    if not m:
        return _named_place(places, _leading_name(places, s))
    name = m.group(0)
    province = places.province_of[name]
    if name in places.is_city:
        return province, name
    # 山东省青岛市…: a city written right after its province
    after = places.regex.match(s, m.end())
    if after and after.group(0) in places.is_city and places.province_of[after.group(0)] == province:
        return province, after.group(0)
    return province, None


def _leading_name(places: Places, s: str) -> str | None:
    """A city name without 市 opening ``s`` (after 中共 or 关于), unless a district or county follows it."""
    body = re.sub(r"^(?:中共|关于)", "", _squeeze(s))
    for size in range(min(len(body), 4), 1, -1):
        name = body[:size]
        if name in places.bare_city and not re.match(r"[区县镇乡村]", body[size:size + 1]):
            return name
    return None


def _named_place(places: Places, name: str | None) -> tuple[str, str | None] | None:
    """(province, city) of a name that ends with a place: 江西, 江西省, 宜春, 宜春市, 中国式现代化宜春."""
    if not name:
        return None
    for i in range(len(name) - 1):
        tail = name[i:]
        if tail in places.bare_city:
            tail = places.bare_city[tail]
        if tail in places.province_of:
            return places.province_of[tail], tail if tail in places.is_city else None
    return None


def _place_by_phrase(rs: Ruleset, places: Places, text: str) -> tuple[str, str | None] | None:
    """The place a phrasing names as the document's own (结合宜春实际, 考察江西重要讲话)."""
    found: list[tuple[int, tuple[str, str | None]]] = []
    for rule in _rules(rs, "place", "text"):
        for m in rule.finditer(text):
            out = interpret(rule, m, text)
            place = _named_place(places, out["place"]) if out else None
            if place:
                found.append((m.start(), place))
                break
    return min(found)[1] if found else None


def _place_in_quoted(places: Places, opening: Line | None) -> tuple[str, str | None] | None:
    """The first place named inside a 《title》 the opening cites (《国务院关于支持贵州…的意见》)."""
    if opening is None:
        return None
    for quoted in QUOTED_TITLE.finditer(opening.text):
        m = places.regex.search(quoted.group(0))
        if m:
            return places.province_of[m.group(0)], None
    return None


def _place_by_mentions(places: Places, text: str) -> tuple[str, str | None] | None:
    """The province the text keeps naming, when one clearly dominates."""
    names = [m.group(0) for m in places.regex.finditer(text)]
    per_province = Counter(places.province_of[n] for n in names)
    if not per_province:
        return None
    ranked = per_province.most_common(2)
    best, count = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    full = sum(1 for n in names if places.province_of[n] == best and n.endswith(("省", "市", "区")))
    alone = runner_up == 0 and full >= PLACE_MIN_FULL_MENTIONS
    if (count < PLACE_MIN_MENTIONS and not alone) or count < PLACE_LEAD * runner_up:
        return None
    cities = Counter(n for n in names if n in places.is_city and places.province_of[n] == best)
    own = count - sum(cities.values())
    if cities:
        city, city_count = cities.most_common(1)[0]
        if city_count >= PLACE_MIN_MENTIONS and city_count > own:
            return best, city
    return best, None


# ---------------------------------------------------------------- layout


def _lines(text: str, compiled: "Compiled", start: int = 0, end: int | None = None) -> list[Line]:
    return [ln for ln in text_lines(text, compiled.tables) if ln.start >= start and (end is None or ln.end <= end)]


def _head_end(rs: Ruleset, text: str, lines: list[Line]) -> int:
    limit = lines[HEAD_MAX_LINES - 1].end if len(lines) > HEAD_MAX_LINES else len(text)
    body = _first(rs, "body", "text", text[:limit])
    return body.start if body else limit


def _title(rs: Ruleset, head: str, lines: list[Line]) -> _Hit | None:
    """The best title hit among the head's lines (a long title may wrap onto a second line)."""
    hits: list[_Hit] = []
    for i, line in enumerate(lines):
        hit = _first(rs, "title", "head", line.text, line.start)
        first = _wrap_start(rs, head, line, lines[i + 1]) if hit is None and i + 1 < len(lines) else None
        if first:
            nxt = lines[i + 1]
            joined = _first(rs, "title", "head", first + nxt.text)
            alone = _first(rs, "title", "head", nxt.text)
            if joined and (alone is None or joined.rule.priority > alone.rule.priority):
                hit = _Hit(joined.rule, line.start, nxt.end, joined.out)
        if hit:
            hits.append(hit)
    if not hits:
        return None
    best = max(h.rule.priority for h in hits)
    return next(h for h in hits if h.rule.priority == best)


def _wrap_start(rs: Ruleset, head: str, line: Line, nxt: Line) -> str | None:
    """The part of ``line`` that may begin a title running on into ``nxt`` (None: no part may).

    A line of prose may not, except for the 「…关于印发」 that ends it: what
    comes before its last comma (a site's or a mirror's banner) is dropped.
    """
    if head[line.end:nxt.start].count("\n") != 1 or line.text.endswith((":", "：")):
        return None
    if _first(rs, "doc_number", "head", line.text) or _first(rs, "date", "edges", line.text):
        return None
    if not PROSE.search(line.text):
        return line.text
    tail = PROSE.split(line.text)[-1].strip()
    return tail if WRAP_TAIL.search(tail) else None


def _opening(lines: list[Line], after: int) -> Line | None:
    """The first prose paragraph after position ``after``."""
    for ln in lines:
        if ln.start < after:
            continue
        if len(ln.text) >= PROSE_MIN and PROSE.search(ln.text) and not ln.text.endswith((":", "：")):
            return ln
    return None


# ---------------------------------------------------------------- the stage


def extract_document(doc: Document, compiled: "Compiled") -> DocumentFacts:
    """The document's own title, province, city, issuer, date, 文号 and period."""
    rs = compiled[RULESET]
    text = doc.text
    lines = _lines(text, compiled)
    head_end = _head_end(rs, text, lines)
    head = text[:head_end]
    head_lines = [ln for ln in lines if ln.end <= head_end]

    title_hit = _title(rs, head, head_lines)
    title = title_hit.out["title"] if title_hit else None
    title_at = title_hit.end if title_hit else 0
    if title_hit and title:
        # a wrapper notice's plan usually follows with its own title line
        for ln in head_lines:
            if ln.start >= title_hit.end and _squeeze(ln.text) == title:
                title_at = ln.end
                break

    signature = _signature(rs, text)
    issuer = signature.out["issuer"] if signature else None
    if issuer is None and title_hit:
        issuer = title_hit.out.get("issuer")
        if issuer is None and title:
            found = _first(rs, "issuer", "title", title)
            issuer = found.out["issuer"] if found else None
    if issuer is None:
        found = _first(rs, "issuer", "head", head)
        issuer = found.out["issuer"] if found else None

    # the document's own date (under its signature, or a date line under its
    # title or closing it) before the date a web page was published on
    date = signature.out.get("date") if signature else None
    if date is None:
        date = _edge_date(rs, text, head_lines, lines)
    if date is None:
        found = _first(rs, "date", "head", head)
        date = found.out["date"] if found else None

    number = _first(rs, "doc_number", "head", head)
    doc_number = number.out["doc_number"] if number else None

    places = compiled.places
    place = _place_in(places, title) or _place_in(places, issuer)
    if place is None and number and number.out["abbr"] in places.by_abbr:
        place = (places.by_abbr[number.out["abbr"]], None)
    if place is None:
        place = _place_by_mentions(places, text)
    opening = _opening(head_lines, title_at)
    if place is None:
        place = _place_by_phrase(rs, places, text) or _place_in_quoted(places, opening)
    province, city = place if place else (None, None)

    period = _find_period(rs, text, title, opening)

    where: dict[str, tuple[int, int] | None] = {
        "title": (title_hit.start, title_hit.end) if title_hit and title else None,
        "issuer": (signature.start, signature.end) if signature and issuer == signature.out.get("issuer") else _locate(text, issuer),
        "date": (signature.start, signature.end) if signature and date and date == signature.out.get("date") else _locate_date(text, date),
        "doc_number": (number.start, number.end) if number and doc_number else None,
        "province": _locate_place(places, text, province, lambda name: places.province_of.get(name) == province),
        "city": _locate_place(places, text, city, lambda name: name == city),
    }
    spans = tuple((name, doc.raw_span(*at)) for name, at in where.items() if at is not None)
    return DocumentFacts(
        title=title,
        province=province,
        city=city,
        issuer=issuer,
        date=date,
        doc_number=doc_number,
        period=period,
        spans=spans,
    )


def _locate(text: str, needle: str | None) -> tuple[int, int] | None:
    """Where a fact is first written in the text, when it is written as it reads."""
    if not needle:
        return None
    at = text.find(needle)
    return (at, at + len(needle)) if at >= 0 else None


def _locate_date(text: str, date: dt.date | None) -> tuple[int, int] | None:
    if date is None:
        return None
    m = re.search(rf"{date.year}\s*年\s*0?{date.month}\s*月\s*0?{date.day}\s*日", text)
    return m.span() if m else None


def _locate_place(places: Places, text: str, value: str | None, wanted: Any) -> tuple[int, int] | None:
    """The first place name in the text that names ``value`` (湖北省, or 湖北 for it)."""
    if not value:
        return None
    for m in places.regex.finditer(text):
        if wanted(m.group(0)):
            return m.span()
    return None


def _after_paragraph(text: str, pos: int) -> bool:
    """Whether ``pos`` opens the text or follows the end of a paragraph."""
    before = text[:pos].rstrip()
    if not before:
        return True
    return bool(PARAGRAPH_END.search(before[before.rfind("\n") + 1:].strip()))


def _signature(rs: Ruleset, text: str) -> _Hit | None:
    for rule in _rules(rs, "issuer", "text"):
        for m in rule.finditer(text):
            out = interpret(rule, m, text)
            if out is not None and _after_paragraph(text, m.start()):
                return _Hit(rule, m.start(), m.end(), out)
    return None


def _edge_date(rs: Ruleset, text: str, head_lines: list[Line], lines: list[Line]) -> dt.date | None:
    """A bare date line near the top, or closing the document."""
    edges = head_lines[:EDGE_LINES]
    if lines and _after_paragraph(text, lines[-1].start):
        edges = edges + lines[-1:]
    for ln in edges:
        found = _first(rs, "date", "edges", ln.text)
        if found:
            return found.out["date"]
    return None


def _find_period(rs: Ruleset, text: str, title: str | None, opening: Line | None) -> Period | None:
    sources = (
        ("title", _blank_quoted(title) if title else None),
        ("opening", _blank_quoted(opening.text) if opening else None),
        ("text", text),
    )
    for scope, source in sources:
        if not source:
            continue
        found = _first(rs, "period", scope, source)
        if found:
            return Period(found.out["start"], found.out["end"])
    return None


@table_checker(RULESET)
def _check_table_example(table: str, text: str, compiled: "Compiled") -> dict[str, Any] | None:
    """A provinces or cities example is a place name the place table reads, with its province."""
    places = compiled.places
    m = places.regex.search(text)
    if m is None:
        return None
    name = m.group(0)
    return {"province": places.province_of[name], "city": name if name in places.is_city else None}
