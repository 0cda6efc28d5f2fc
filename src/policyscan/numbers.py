"""Numbers as written in policy documents -> exact Decimals.

``NUMBER`` is a regex source for one number in normalized text: Arabic digits
with thousands commas and decimals (``1,000``, ``3.5``), Chinese numerals
(``五``, ``两千``, ``三千五百``, ``〇``), the whole percentage form
``百分之九十五``, and an attached multiplier (``3.5万``, ``500亿``,
``1.03万亿``). It has no capture groups, so it can be embedded anywhere.

``parse_number`` turns such a string into a ``Decimal`` (never a float), and
``parse_quantity`` reads a number or a range followed by its measure word.
The measure words are data: the ``units`` table of ``rules/units.yaml``.

A 万 or 千 that opens a metric word (``每万人发明专利拥有量``,
``万台特种设备死亡率``, ``每千人口``) is part of the metric, not a
multiplier; ``METRIC_MULTIPLIER`` and ``metric_multiplier_at`` find it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import cn2an

from collections.abc import Iterable, Mapping

MULTIPLIERS: dict[str, Decimal] = {
    "千": Decimal(1000),
    "万": Decimal(10_000),
    "亿": Decimal(100_000_000),
    "万亿": Decimal(1_000_000_000_000),
}

_CN_DIGIT = "〇零一二两三四五六七八九"
_CN_NUMERAL = rf"[{_CN_DIGIT}十][{_CN_DIGIT}十百千万亿]*(?:点[{_CN_DIGIT}]+)?"
_ARABIC = r"(?<![\d.])(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"
# 千 before 米/克/瓦... is the unit's own prefix (千米, 千克), not a multiplier
_MULTIPLIER = r"(?:[ \t]*(?:万亿|亿|万|千(?![米克瓦伏帕兆焦赫])))?"

NUMBER = rf"(?:百分之{_CN_NUMERAL}|{_ARABIC}{_MULTIPLIER}|{_CN_NUMERAL})"
"""One number as written; no capture groups of its own."""

RANGE_SEP = r"(?:[-—–~～]+|至|到)"

METRIC_MULTIPLIER = (
    r"(?:(?:每|单位|/)\s*(?:十|百|千|万|亿)+"
    r"|(?:十|百|千|万|亿)+(?=(?:人口|人|台|户|元|吨|辆|公里|平方公里|家|名|张)"
    r"[^\s,，。;；、]{0,16}?(?:率|量|数|密度|能耗|水耗|排放量|占比|比重)))"
)
"""A 万/千 (with 每 or 单位 before it) that opens a metric word such as
每万人发明专利拥有量 or 万台特种设备死亡率: not a multiplier of a number."""

_METRIC_RE = re.compile(METRIC_MULTIPLIER)
_NUMBER_RE = re.compile(rf"\s*({NUMBER})\s*")
_PERCENT_WORD = "百分之"


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    value_max: Decimal | None  # the high end of a range, else None
    unit: str  # the measure word as canonical ("%" for ％ and 百分之, "元" for 亿元), "" when none
    text: str  # the characters read, from the start of the given string


def metric_multiplier_at(text: str, pos: int) -> re.Match[str] | None:
    """The metric-opening 万/千 (``每万人…量``) that starts at ``pos``, if any."""
    return _METRIC_RE.match(text, pos)


def _split_multiplier(s: str) -> tuple[str, Decimal]:
    for word in ("万亿", "亿", "万", "千"):
        if s.endswith(word):
            return s[: -len(word)].rstrip(), MULTIPLIERS[word]
    return s, Decimal(1)


def _chinese(s: str) -> Decimal | None:
    try:
        value = cn2an.cn2an(s, "normal")
    except (ValueError, KeyError, IndexError):
        return None
    return Decimal(str(value))


def _tidy(value: Decimal) -> Decimal:
    """Drop the exponent a multiplication left (35000.0 -> 35000, 0.290 stays 0.290 -> 0.29)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def parse_number(s: str) -> Decimal | None:
    """``3.5万`` -> 35000, ``两千`` -> 2000, ``1,000`` -> 1000; None if ``s`` is not one number.

    ``百分之九十五`` gives 95 (the percentage as written; ``parse_quantity``
    adds the unit ``%``).
    """
    s = s.strip()
    if not s or not re.fullmatch(NUMBER, s):
        return None
    if s.startswith(_PERCENT_WORD):
        value = _chinese(s[len(_PERCENT_WORD):])
    elif s[0].isdigit():
        digits, factor = _split_multiplier(s)
        value = Decimal(digits.replace(",", "")) * factor
    else:
        value = _chinese(s)
    return None if value is None else _tidy(value)


def _factor_of(s: str) -> Decimal:
    """The multiplier written at the end of a number (``3.5万``, ``五万`` -> 10000)."""
    s = s.strip()
    if not s[:1].isdigit() and s.endswith("千"):
        return Decimal(1)  # 两千 is a numeral, not 两 x 千
    return _split_multiplier(s)[1]


def split_unit(word: str) -> tuple[str, Decimal]:
    """A unit written with a multiplier, as in a table's ``(万件)`` or ``(亿元)``.

    ``万件`` -> (``件``, 10000), ``亿元`` -> (``元``, 100000000), ``个`` -> (``个``, 1).
    """
    word = word.strip()
    for prefix in ("万亿", "亿", "万"):
        if word.startswith(prefix) and len(word) > len(prefix):
            return _canonical_unit(word[len(prefix):]), MULTIPLIERS[prefix]
    return _canonical_unit(word), Decimal(1)


def _canonical_unit(word: str) -> str:
    return "%" if word in ("％", "%") else word


# ---------------------------------------------------------------- quantities


class QuantityReader:
    """Reads a number or range and its measure word, with the measure words it is given.

    Built once from the ``units`` table of the units ruleset (the Analyzer's
    ``Compiled.quantities``); this module itself reads no rule file.
    """

    def __init__(self, words: Iterable[str], aliases: Mapping[str, str] | None = None) -> None:
        self.units = {w: _canonical_unit(w) for w in words}
        # another spelling of a unit: 微克每立方米 -> 微克/立方米, m² -> 平方米
        self.units.update({str(w): _canonical_unit(str(c)) for w, c in (aliases or {}).items() if not str(w).startswith("_")})
        unit = _unit_regex(self.units)
        self.regex = re.compile(
            rf"\s*(?P<a>{NUMBER})\s*(?P<ua>{unit})?"
            rf"(?:\s*{RANGE_SEP}\s*(?P<b>{NUMBER})\s*(?P<ub>{unit})?)?"
        )


def _unit_regex(units: dict[str, str]) -> str:
    words = sorted(units, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w) for w in words) + ")"


def parse_quantity(s: str, reader: QuantityReader) -> Quantity | None:
    """The number or range at the start of ``s`` and the measure word after it.

    ``3-5个`` -> 3..5 个, ``500亿元`` -> 50000000000 元, ``百分之九十五`` ->
    95 %, ``2个百分点`` -> 2 个百分点, ``85`` -> 85 with unit "". Text after
    the measure word is left alone (``Quantity.text`` says how much was read).
    ``reader`` knows the measure words.
    """
    regex, units = reader.regex, reader.units
    m = regex.match(s)
    if m is None:
        return None
    a, ua, b, ub = m.group("a"), m.group("ua"), m.group("b"), m.group("ub")
    if b is not None and ua is not None and ub is not None and units[ua] != units[ub]:
        b = None  # "5个-8家" is not a range: read the first number only
    if b is None:
        end = m.end("ua") if ua is not None else m.end("a")
        word = ua
    else:
        end = m.end("ub") if ub is not None else m.end("b")
        word = ub or ua
    low = parse_number(a)
    if low is None:
        return None
    high = parse_number(b) if b is not None else None
    if b is not None and high is None:
        return None
    if high is not None and _factor_of(a) == 1 and _factor_of(b) != 1 and low * _factor_of(b) <= high:
        low = _tidy(low * _factor_of(b))  # "3-5万" is 30000..50000, "五千至一万" stays 5000..10000
    unit = units[word] if word else ""
    if a.startswith(_PERCENT_WORD):
        unit = "%"
    return Quantity(low, high, unit, s[:end].strip())
