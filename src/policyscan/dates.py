"""Deadlines -> dates: 年底前, 6月底前, 上半年, 十三五, 三年内.

A deadline rule (``rules/deadlines.yaml``) names in its ``emit.date`` how its
match becomes a date, and the match's named groups carry the parts:

==================  =====================================  ==================
``emit.date``       groups used                            2018 -> date
==================  =====================================  ==================
``year-end``        ``year``                               2018-12-31
``month-end``       ``year`` (optional), ``month``          6 -> 2018-06-30
``day``             ``year`` (optional), ``month``, ``day`` 2018-12-10
``half-year-end``   ``year`` (optional), ``half`` (上/下)   2018-06-30
``quarter-end``     ``year`` (optional), ``quarter``        二 -> 2018-06-30
``plan-end``        ``plan`` (十三 of 十三五)               2020-12-31
``relative``        ``amount``, ``span`` (年/个月/天)       anchor + amount
==================  =====================================  ==================

or a template such as ``'{year}-12-31'``. A missing ``year`` is the
document's own year when the caller knows it, moved on by a ``rel`` group
(明 of 明年 -> the year after, see ``REL_YEARS``); a relative form (三年内) has a
date only when an anchor date is given. Every function is pure: nothing
here looks at today's date.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping

from policyscan.numbers import RANGE_SEP, parse_number

FIRST_PLAN_YEAR = 1953  # the 1st five-year plan: 1953-1957
THIRD_PLAN_YEAR = 1966  # after the 1963-1965 adjustment years, the 3rd plan began in 1966

PLAN_ORDINAL = r"十[一二三四五六七八九]?|[一二三四五六七八九]"
FIVE_YEAR_PLAN = rf"[“\"「『]?\s*(?P<plan>{PLAN_ORDINAL})\s*五\s*[”\"」』]?"
"""``十三五``, ``“十四五”``: the plan's ordinal in the group ``plan``."""

_PLAN_RE = re.compile(rf"\s*{FIVE_YEAR_PLAN}\s*(?:规划|时期|期间|计划)?\s*")
_HALVES = {"上": 1, "前": 1, "下": 2, "后": 2}
REL_YEARS = {"今": 0, "本": 0, "明": 1, "次": 1, "下一": 1, "去": -1, "上一": -1}
"""明年, 次年, 去年: how many years from the document's own (the group ``rel``)."""
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def five_year_plan(n: int) -> tuple[int, int]:
    """First and last year of the ``n``th five-year plan (13 -> (2016, 2020))."""
    if n < 1:
        raise ValueError(f"no five-year plan number {n}")
    if n <= 2:
        start = FIRST_PLAN_YEAR + 5 * (n - 1)
    else:
        start = THIRD_PLAN_YEAR + 5 * (n - 3)
    return start, start + 4


def plan_number(ordinal: str) -> int | None:
    """``十三`` -> 13, ``九`` -> 9 (the ordinal of ``十三五``, ``九五``)."""
    value = parse_number(ordinal)
    return int(value) if value is not None and value == int(value) and value > 0 else None


def parse_five_year_plan(s: str) -> tuple[int, int] | None:
    """The years of a plan written ``十三五``, ``“十四五”``, ``十二五时期``; None otherwise."""
    m = _PLAN_RE.fullmatch(s)
    if m is None:
        return None
    n = plan_number(m.group("plan"))
    return five_year_plan(n) if n else None


# ---------------------------------------------------------------- calendar


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def month_end(year: int, month: int) -> dt.date:
    """The last day of the month: 2020-06 -> 2020-06-30, 2024-02 -> 2024-02-29."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def half_year_end(year: int, half: int) -> dt.date:
    """1 (上半年) -> June 30, 2 (下半年) -> December 31."""
    if half not in (1, 2):
        raise ValueError(f"no half-year {half}")
    return month_end(year, 6 * half)


def quarter_end(year: int, quarter: int) -> dt.date:
    if not 1 <= quarter <= 4:
        raise ValueError(f"no quarter {quarter}")
    return month_end(year, 3 * quarter)


def plan_end(n: int) -> dt.date:
    """The last day of the ``n``th five-year plan (13 -> 2020-12-31)."""
    return year_end(five_year_plan(n)[1])


def add_span(anchor: dt.date, amount: int, span: str) -> dt.date:
    """``anchor`` moved on by ``amount`` years, months or days (Feb 29 -> Feb 28)."""
    if span in ("年", "年度"):
        span, amount = "月", amount * 12
    if span in ("月", "个月"):
        months = anchor.month - 1 + amount
        year, month = anchor.year + months // 12, months % 12 + 1
        return dt.date(year, month, min(anchor.day, calendar.monthrange(year, month)[1]))
    if span in ("天", "日", "个工作日", "工作日"):
        return anchor + dt.timedelta(days=amount)
    if span in ("周", "个星期", "星期"):
        return anchor + dt.timedelta(weeks=amount)
    raise ValueError(f"unknown span {span!r}")


def amount_of(text: str) -> int | None:
    """The largest whole number of ``3-5``, ``三``, ``两``: how long a relative deadline runs."""
    parts = [p for p in re.split(RANGE_SEP, text) if p.strip()]
    values = [parse_number(p) for p in parts]
    if not values or any(v is None for v in values):
        return None
    top = max(v for v in values if v is not None)
    return int(top) if top == int(top) else None


def year_of(text: str | None) -> int | None:
    """``2018`` or ``二〇一八`` -> 2018."""
    if not text:
        return None
    value = parse_number(text.replace(" ", ""))
    return int(value) if value is not None and 1900 <= value <= 2199 else None


def relative_year(rel: str | None, year: int | None) -> int | None:
    """The year of 明年 (``rel`` 明) in a document of ``year``; ``year`` itself without ``rel``."""
    if year is None or not rel:
        return year
    return year + REL_YEARS[rel.replace(" ", "")]


# ---------------------------------------------------------------- rules


def resolve(
    how: str | None,
    groups: Mapping[str, str | None],
    year: int | None = None,
    anchor: dt.date | None = None,
) -> dt.date | None:
    """The date a deadline rule's match stands for, or None when it cannot be known.

    ``how`` is the rule's ``emit.date`` (see the module's table), ``groups``
    the match's named groups, ``year`` the document's own year (for 9月底前,
    上半年, 年内) and ``anchor`` the date relative forms count from. Parts that
    name no real date (month 13) give None.
    """
    if not how or how == "none":
        return None
    y = year_of(groups.get("year")) or relative_year(groups.get("rel"), year)
    try:
        if "{" in how:
            if y is None:
                return None
            fields = {k: v for k, v in groups.items() if v is not None}
            fields["year"] = str(y)
            return dt.date.fromisoformat(how.format(**fields))
        if how == "plan-end":
            n = plan_number(groups.get("plan") or "")
            return plan_end(n) if n else None
        if how == "relative":
            amount = amount_of(groups.get("amount") or "")
            span = groups.get("span") or "年"
            start = year_of(groups.get("start_year")) or (year if groups.get("from_now") else None)
            if amount is not None and start is not None:  # 自2021年起用3年时间: 2021, 2022, 2023
                if span == "年":
                    return year_end(start + amount - 1)
                if span == "个月":
                    y, m = divmod(start * 12 + amount - 1, 12)
                    return month_end(y, m + 1)
                return None
            if anchor is None or amount is None:
                return None
            return add_span(anchor, amount, span)
        if y is None:
            return None
        if how == "year-end":
            return year_end(y)
        if how == "month-end":
            return month_end(y, _whole(groups.get("month")))
        if how == "day":
            return dt.date(y, _whole(groups.get("month")), _whole(groups.get("day")))
        if how == "half-year-end":
            return half_year_end(y, _HALVES.get(groups.get("half") or "", 0))
        if how == "quarter-end":
            return quarter_end(y, _QUARTERS.get(groups.get("quarter") or "", 0))
    except (ValueError, KeyError, TypeError):
        return None
    raise ValueError(f"unknown date form {how!r}")


DATE_FORMS = frozenset({"none", "year-end", "month-end", "day", "half-year-end", "quarter-end", "plan-end", "relative"})


def _whole(text: str | None) -> int:
    value = parse_number(text or "")
    if value is None or value != int(value):
        raise ValueError(f"not a whole number: {text!r}")
    return int(value)

