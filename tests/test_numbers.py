from decimal import Decimal

import pytest

from policyscan.numbers import NUMBER, Quantity, QuantityReader, metric_multiplier_at, parse_number, parse_quantity, split_unit
from policyscan.rules import load_rules

READER = QuantityReader(str(w) for w in load_rules()["units"].tables["units"])

import re


@pytest.mark.parametrize(
    "text, value",
    [
        ("3.5万", "35000"),
        ("500亿", "50000000000"),
        ("16.4亿", "1640000000"),
        ("1.03万亿", "1030000000000"),
        ("五百", "500"),
        ("两千", "2000"),
        ("二十", "20"),
        ("十", "10"),
        ("一万", "10000"),
        ("三千五百", "3500"),
        ("百分之九十五", "95"),
        ("〇", "0"),
        ("零", "0"),
        ("1,000", "1000"),
        ("12,365,000", "12365000"),
        ("0.29", "0.29"),
        ("3.5", "3.5"),
        ("三点五", "3.5"),
        (" 85 ", "85"),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["中国", "", "万", "百", "十三五", "3.5万张", "1,00", "2018年", "a12"])
def test_parse_number_rejects(text):
    assert parse_number(text) is None


def test_parse_number_is_exact():
    value = parse_number("16.4亿")
    assert isinstance(value, Decimal)
    assert str(value) == "1640000000"


@pytest.mark.parametrize(
    "text, value, value_max, unit, read",
    [
        ("3-5个", "3", "5", "个", "3-5个"),
        ("3—5个", "3", "5", "个", "3—5个"),
        ("3~5个", "3", "5", "个", "3~5个"),
        ("5-8个省级质检中心", "5", "8", "个", "5-8个"),
        ("20-30个", "20", "30", "个", "20-30个"),
        ("3至5个", "3", "5", "个", "3至5个"),
        ("5-6个", "5", "6", "个", "5-6个"),
        ("3 - 5 个国家质检中心", "3", "5", "个", "3 - 5 个"),
        ("95%", "95", None, "%", "95%"),
        ("95％", "95", None, "%", "95％"),
        ("百分之九十五", "95", None, "%", "百分之九十五"),
        ("2个百分点", "2", None, "个百分点", "2个百分点"),
        ("3.5万张", "35000", None, "张", "3.5万张"),
        ("500亿元", "50000000000", None, "元", "500亿元"),
        ("1.2万个", "12000", None, "个", "1.2万个"),
        ("4批次", "4", None, "批次", "4批次"),
        ("2000人次以上", "2000", None, "人次", "2000人次"),
        ("30项", "30", None, "项", "30项"),
        ("5家", "5", None, "家", "5家"),
        ("172个", "172", None, "个", "172个"),
        ("1.1万亿元", "1100000000000", None, "元", "1.1万亿元"),
        ("85", "85", None, "", "85"),
        ("3个工作日以内", "3", None, "个工作日", "3个工作日"),
        ("5千米", "5", None, "千米", "5千米"),
        ("3-5万元", "30000", "50000", "元", "3-5万元"),
        ("五千至一万元", "5000", "10000", "元", "五千至一万元"),
        ("5%-8%", "5", "8", "%", "5%-8%"),
        ("五个", "5", None, "个", "五个"),
        ("5个、65个", "5", None, "个", "5个"),
    ],
)
def test_parse_quantity(text, value, value_max, unit, read):
    q = parse_quantity(text, READER)
    assert q == Quantity(Decimal(value), Decimal(value_max) if value_max else None, unit, read)


@pytest.mark.parametrize("text", ["中国制造", "", "万台特种设备死亡率", "每万人发明专利拥有量", "个"])
def test_parse_quantity_rejects(text):
    assert parse_quantity(text, READER) is None


@pytest.mark.parametrize(
    "text, found",
    [
        ("新增3.5万张床位", ["3.5万"]),
        ("达到1,000家和20000家", ["1,000", "20000"]),
        ("《中国制造2025》", ["2025"]),  # NUMBER finds it; deciding it is a name is the caller's job
        ("全省五百家企业", ["五百"]),
        ("每万人发明专利拥有量", []),
        ("5千米", ["5"]),
    ],
)
def test_number_pattern(text, found):
    assert [m.group(0) for m in re.finditer(NUMBER, text)] == found


@pytest.mark.parametrize(
    "text, pos, word",
    [
        ("每万人发明专利拥有量达到11件", 0, "每万"),
        ("万台特种设备死亡率控制在0.3以下", 0, "万"),
        ("每千人口执业医师数", 0, "每千"),
        ("单位万元GDP能耗下降", 0, "单位万"),
        ("开展万家企业学习应用活动", 2, None),
        ("新增3.5万张床位", 5, None),
    ],
)
def test_metric_multiplier(text, pos, word):
    m = metric_multiplier_at(text, pos)
    assert (m.group(0) if m else None) == word


@pytest.mark.parametrize(
    "word, unit, factor",
    [("万件", "件", 10000), ("亿元", "元", 100000000), ("万亿元", "元", 10**12), ("个", "个", 1), ("％", "%", 1), ("万", "万", 1)],
)
def test_split_unit(word, unit, factor):
    assert split_unit(word) == (unit, Decimal(factor))
