import datetime as dt

import pytest

from policyscan.dates import (
    add_span,
    amount_of,
    five_year_plan,
    half_year_end,
    month_end,
    parse_five_year_plan,
    plan_end,
    quarter_end,
    resolve,
)

D = dt.date


@pytest.mark.parametrize(
    "n, years",
    [(1, (1953, 1957)), (2, (1958, 1962)), (3, (1966, 1970)), (10, (2001, 2005)), (11, (2006, 2010)),
     (12, (2011, 2015)), (13, (2016, 2020)), (14, (2021, 2025)), (15, (2026, 2030))],
)
def test_five_year_plan(n, years):
    assert five_year_plan(n) == years


@pytest.mark.parametrize("n", [0, -1])
def test_five_year_plan_rejects(n):
    with pytest.raises(ValueError):
        five_year_plan(n)


@pytest.mark.parametrize(
    "text, years",
    [
        ("十三五", (2016, 2020)),
        ("“十四五”", (2021, 2025)),
        ("十二五", (2011, 2015)),
        ("“十三五”时期", (2016, 2020)),
        ("十三五期间", (2016, 2020)),
        ("“十四五”规划", (2021, 2025)),
        ("中国", None),
        ("十三", None),
        ("2020年", None),
    ],
)
def test_parse_five_year_plan(text, years):
    assert parse_five_year_plan(text) == years


@pytest.mark.parametrize(
    "year, month, day",
    [(2020, 6, 30), (2020, 2, 29), (2021, 2, 28), (2100, 2, 28), (2000, 2, 29), (2024, 12, 31), (2024, 9, 30)],
)
def test_month_end(year, month, day):
    assert month_end(year, month) == D(year, month, day)


@pytest.mark.parametrize("half, date", [(1, D(2024, 6, 30)), (2, D(2024, 12, 31))])
def test_half_year_end(half, date):
    assert half_year_end(2024, half) == date


@pytest.mark.parametrize("quarter, date", [(1, D(2021, 3, 31)), (2, D(2021, 6, 30)), (3, D(2021, 9, 30)), (4, D(2021, 12, 31))])
def test_quarter_end(quarter, date):
    assert quarter_end(2021, quarter) == date


@pytest.mark.parametrize("bad", [(half_year_end, 3), (quarter_end, 5), (quarter_end, 0)])
def test_calendar_rejects(bad):
    fn, part = bad
    with pytest.raises(ValueError):
        fn(2021, part)


def test_plan_end():
    assert plan_end(13) == D(2020, 12, 31)
    assert plan_end(14) == D(2025, 12, 31)


@pytest.mark.parametrize(
    "anchor, amount, span, date",
    [
        (D(2019, 6, 12), 3, "年", D(2022, 6, 12)),
        (D(2020, 2, 29), 1, "年", D(2021, 2, 28)),
        (D(2019, 11, 30), 6, "个月", D(2020, 5, 30)),
        (D(2019, 8, 31), 6, "个月", D(2020, 2, 29)),
        (D(2019, 6, 12), 30, "天", D(2019, 7, 12)),
    ],
)
def test_add_span(anchor, amount, span, date):
    assert add_span(anchor, amount, span) == date


@pytest.mark.parametrize("text, amount", [("3-5", 5), ("三", 3), ("两", 2), ("两到三", 3), ("3—5", 5), ("", None), ("几", None)])
def test_amount_of(text, amount):
    assert amount_of(text) == amount


@pytest.mark.parametrize(
    "how, groups, year, anchor, date",
    [
        ("year-end", {"year": "2018"}, None, None, D(2018, 12, 31)),
        ("year-end", {"year": "二〇二〇"}, None, None, D(2020, 12, 31)),
        ("year-end", {}, 2024, None, D(2024, 12, 31)),  # 年内 in a 2024 document
        ("year-end", {}, None, None, None),  # 年内 in a document of unknown year
        ("month-end", {"year": "2020", "month": "6"}, None, None, D(2020, 6, 30)),
        ("month-end", {"month": "9"}, 2016, None, D(2016, 9, 30)),
        ("month-end", {"month": "2"}, 2024, None, D(2024, 2, 29)),
        ("month-end", {"month": "十二"}, 2024, None, D(2024, 12, 31)),
        ("month-end", {"month": "13"}, 2024, None, None),
        ("day", {"month": "12", "day": "10"}, 2016, None, D(2016, 12, 10)),
        ("day", {"month": "2", "day": "30"}, 2016, None, None),
        ("half-year-end", {"half": "上"}, 2024, None, D(2024, 6, 30)),
        ("half-year-end", {"year": "2020", "half": "下"}, 2024, None, D(2020, 12, 31)),
        ("quarter-end", {"quarter": "三"}, 2021, None, D(2021, 9, 30)),
        ("plan-end", {"plan": "十三"}, None, None, D(2020, 12, 31)),
        ("plan-end", {"plan": "十四"}, 2000, None, D(2025, 12, 31)),
        ("relative", {"amount": "3-5", "span": "年"}, 2019, None, None),  # no anchor: no date
        ("relative", {"amount": "三", "span": "年"}, None, D(2019, 6, 12), D(2022, 6, 12)),
        ("none", {}, 2019, D(2019, 6, 12), None),
        ("{year}-06-30", {"year": "2020"}, None, None, D(2020, 6, 30)),
        ("{year}-06-30", {}, None, None, None),
        # 明年 / 次年 / 去年 count from the document's year; a written year wins over them
        ("month-end", {"rel": "明", "month": "6"}, 2023, None, D(2024, 6, 30)),
        ("year-end", {"rel": "次"}, 2023, None, D(2024, 12, 31)),
        ("quarter-end", {"rel": "下一", "quarter": "一"}, 2023, None, D(2024, 3, 31)),
        ("month-end", {"rel": "今", "month": "6"}, 2023, None, D(2023, 6, 30)),
        ("month-end", {"rel": "去", "month": "6"}, 2023, None, D(2022, 6, 30)),
        ("month-end", {"rel": "明", "month": "6"}, None, None, None),  # the document's year unknown
        ("month-end", {"year": "2020", "rel": None, "month": "6"}, 2023, None, D(2020, 6, 30)),
    ],
)
def test_resolve(how, groups, year, anchor, date):
    assert resolve(how, groups, year=year, anchor=anchor) == date


def test_resolve_rejects_unknown_form():
    with pytest.raises(ValueError):
        resolve("fortnight-end", {"year": "2020"})
