"""Agency names -> canonical names, successors after a reform, and shapes.

``rules/agencies.yaml`` lists agencies by their canonical form and the
abbreviations documents use, written without their level (省, 自治区, 市,
湖南省 …): a name is read as an optional level followed by an alias, and its
canonical name is that level followed by the canonical form. Reforms map
canonical forms to the body that took them over, with the year it happened.
A name the table does not know is still recognised by its shape (the
ruleset's rules: 省…厅, …领导小组成员单位, 各地人民政府) and kept with
``known=False``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from policyscan.model import Agency
from policyscan.rules import Rule, Ruleset, interpreter, table_checker

if TYPE_CHECKING:
    from policyscan.compiled import Compiled

LEVEL_WORDS = ("自治区", "省", "市", "区", "县", "州", "盟", "旗", "国家")
TRAILING_ETC = re.compile(r"等$")


@dataclass(frozen=True)
class _Entry:
    canonical: str  # may hold {level} / {place}
    regex: re.Pattern[str]
    explicit_level: bool  # the canonical form places {level} itself


@dataclass(frozen=True)
class _Reform:
    sources: frozenset[str]
    to: str
    year: int
    levels: tuple[str, ...]  # empty: any level


@dataclass(frozen=True)
class AgencyTable:
    """The agencies ruleset compiled: alias patterns, reforms, shape rules (by priority), dictionary words."""

    entries: tuple[_Entry, ...]
    reforms: tuple[_Reform, ...]
    shapes: tuple[Rule, ...]
    words: tuple[str, ...]

    @classmethod
    def from_ruleset(cls, rs: Ruleset) -> "AgencyTable":
        return _compile(rs)


def _alias_regex(alias: str, level: str, place: str) -> tuple[str, bool]:
    explicit = "{level}" in alias
    body = re.escape(alias).replace(r"\{level\}", "{level}").replace(r"\{place\}", "{place}")
    body = body.replace("{level}", f"(?P<level>{level})").replace("{place}", f"(?P<place>{place})")
    if not explicit:
        body = f"(?:(?P<level>{level}))?" + body
    return body, explicit


def _compile(rs: Ruleset) -> AgencyTable:
    level = rs.fragments.get("level", "|".join(LEVEL_WORDS))
    place = rs.fragments.get("place", r"[\u4e00-\u9fff]{2,4}?")
    entries = []
    words: list[str] = []
    for item in rs.tables.get("agencies", []):
        canonical = str(item["canonical"])
        aliases = [str(a) for a in item.get("aliases") or []] or [canonical]
        for alias in aliases:
            body, explicit = _alias_regex(alias, level, place)
            entries.append(_Entry(canonical, re.compile(f"^(?:{body})$"), explicit))
        words.extend(w for w in (canonical, *aliases) if "{place}" not in w)
    reforms = tuple(
        _Reform(
            frozenset(str(s) for s in (r["from"] if isinstance(r["from"], list) else [r["from"]])),
            str(r["to"]),
            int(r["year"]),
            tuple(str(v) for v in r.get("levels") or ()),
        )
        for r in rs.tables.get("reforms", [])
    )
    shapes = tuple(sorted(rs.rules, key=lambda r: -r.priority))
    return AgencyTable(tuple(entries), reforms, shapes, tuple(dict.fromkeys(words)))


def _level_word(level: str) -> str:
    for word in LEVEL_WORDS:
        if level.endswith(word):
            return word
    return ""


def _fill(template: str, level: str, place: str, explicit: bool) -> str:
    text = template.replace("{place}", place)
    if "{level}" in text:
        return text.replace("{level}", level)
    return text if explicit else level + text


def clean_name(name: str) -> str:
    """A name as a list item keeps it: without white space or a trailing 等."""
    return TRAILING_ETC.sub("", re.sub(r"\s+", "", name))


def resolve_agency(name: str, compiled: "Compiled") -> Agency:
    """``name`` as written, with its canonical name and successor when the table knows it."""
    written = clean_name(name)
    table = compiled.agency_table
    if table is None:
        return Agency(written, None, False)
    cache = compiled.agency_names
    if written not in cache:  # documents name the same agencies again and again
        if len(cache) > 50_000:
            cache.clear()
        cache[written] = _resolve(written, table, compiled)
    return cache[written]


def _resolve(written: str, table: AgencyTable, compiled: "Compiled") -> Agency:
    for entry in table.entries:
        m = entry.regex.match(written)
        if not m:
            continue
        level = m.groupdict().get("level") or ""
        place = m.groupdict().get("place") or ""
        canonical = _fill(entry.canonical, level, place, entry.explicit_level)
        successor, year = None, None
        for reform in table.reforms:
            if entry.canonical in reform.sources and (not reform.levels or _level_word(level) in reform.levels):
                successor = _fill(reform.to, level, place, "{level}" in reform.to or "{place}" in reform.to)
                year = reform.year
                break
        return Agency(written, canonical, True, successor, year)
    return Agency(written, None, False, kind=agency_shape(written, compiled))


def agency_shape(name: str, compiled: "Compiled") -> str | None:
    """The kind of agency ``name`` looks like (department, government, collective), or None."""
    table = compiled.agency_table
    if table is None:
        return None
    written = clean_name(name)
    for rule in table.shapes:
        if rule.fullmatch(written):
            return str(rule.emit.get("kind", "agency"))
    return None


def is_agency(name: str, compiled: "Compiled") -> bool:
    """Whether ``name`` is a known agency or has the shape of one."""
    return resolve_agency(name, compiled).known or agency_shape(name, compiled) is not None


def agency_words(compiled: "Compiled", levels: tuple[str, ...] = ("省", "市", "自治区", "区", "县")) -> tuple[str, ...]:
    """Agency names for a segmenter's dictionary: every alias and canonical form at the common levels."""
    table = compiled.agency_table
    if table is None:
        return ()
    out: list[str] = []
    for word in table.words:
        if "{level}" in word:
            out.extend(word.replace("{level}", lv) for lv in levels)
        else:
            out.append(word)
            out.extend(lv + word for lv in levels)
    return tuple(dict.fromkeys(out))


@interpreter("agencies")
def _interpret(rule: Rule, m: re.Match[str], text: str, compiled: "Compiled") -> dict[str, Any] | None:
    """A shape rule describes a whole name."""
    if m.start() != 0 or m.end() != len(text):
        return None
    return {**rule.emit, "text": m.group(0)}


@table_checker("agencies")
def _check_table_example(table: str, text: str, compiled: "Compiled") -> dict[str, Any] | None:
    """An agencies example is a name the table knows; a reforms example is one with a successor."""
    agency = resolve_agency(text, compiled)
    if not agency.known:
        return None
    if table == "reforms":
        return {"successor": agency.successor, "year": agency.reform_year} if agency.successor else None
    return {"canonical": agency.canonical}
