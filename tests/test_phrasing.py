"""Phrasing families: years versus counts, units, shared verbs, changes, 分别/每年, incentives, places.

Every case is a sentence written for this file, not one taken from a corpus document.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.conftest import analyze_text


def _targets(text, compiled):
    return analyze_text(text + "\n", compiled).targets


@pytest.mark.parametrize("text, metric, comparator, value, unit", [
    # 5: a four-digit number with a measure word is a count
    ("到2025年，引进1500名左右急需紧缺人才。", "急需紧缺人才", "~", 1500, "名"),
    ("到2025年，设立工作站的企业达到3000家以上。", "设立工作站的企业", ">=", 3000, "家"),
    # 6: units
    ("到2025年，细颗粒物平均浓度控制在25微克/立方米以下。", "细颗粒物平均浓度", "<=", 25, "微克/立方米"),
    ("到2025年，二氧化硫浓度降至10微克每立方米。", "二氧化硫浓度", "<=", 10, "微克/立方米"),
    ("到2025年，污水处理能力达到30万吨/日。", "污水处理能力", ">=", 300000, "吨/日"),
    ("到2025年，新增风电装机500万千瓦。", "新增风电装机", "=", 5000000, "千瓦"),
    ("到2025年，新建标准厂房20万m²。", "新建标准厂房", "=", 200000, "平方米"),
    ("到2025年，人均预期寿命达到80岁。", "人均预期寿命", ">=", 80, "岁"),
    ("到2025年，粮食单产稳定在800斤以上。", "粮食单产", ">=", 800, "斤"),
    ("到2025年，工业总产值突破5000亿。", "工业总产值", ">", 500000000000, ""),
    ("到2025年，招商引资项目总投资突破500亿元。", "招商引资项目总投资", ">", 50000000000, "元"),
    # 8: levels reached by a verb
    ("到2025年，制造业增加值占比提高至75%。", "制造业增加值占比", ">=", 75, "%"),
    ("到2025年，网上可办率提升到90%。", "网上可办率", ">=", 90, "%"),
    ("到2025年，煤炭消费比重降低到60%。", "煤炭消费比重", "<=", 60, "%"),
    ("到2025年，企业开办时间压缩到2个工作日。", "企业开办时间", "<=", 2, "个工作日"),
    ("到2025年，审批时间控制到50个工作日。", "审批时间", "<=", 50, "个工作日"),
    ("到2025年，危险废物处置率保持100%。", "危险废物处置率", ">=", 100, "%"),
])
def test_one_target(compiled, text, metric, comparator, value, unit):
    got = [(t.metric, t.comparator, t.value, t.unit) for t in _targets(text, compiled)]
    assert got == [(metric, comparator, Decimal(value), unit)]


@pytest.mark.parametrize("text, change", [
    ("到2025年，综合利用率提高3个百分点。", "increase"),
    ("到2025年，单位产值能耗下降12%。", "decrease"),
    ("到2025年，地区生产总值年均增长6%。", "increase"),
    ("到2025年，综合利用率提高到90%。", None),
    ("到2025年，全市新增孵化器30个。", None),
])
def test_change_by_an_amount(compiled, text, change):
    assert [t.change for t in _targets(text, compiled)] == [change]


@pytest.mark.parametrize("text, recurring", [
    ("每年组织800家以上企业开展质量对标。", [True]),
    ("培训规模达到每年20万人次。", [True]),
    ("每年选择8个左右产业链开展调查。", [True]),
    ("到2025年组织800家企业开展质量对标。", [False]),
])
def test_recurring(compiled, text, recurring):
    assert [t.recurring for t in _targets(text, compiled)] == recurring


@pytest.mark.parametrize("text, expected", [
    # 7: one verb, several values
    ("到2025年，评选资助200名首席专家、2000名青年人才和4000名工匠。",
     [(200, "首席专家"), (2000, "青年人才"), (4000, "工匠")]),
    # 9: 分别 gives each value its own subject
    ("到2025年，国家级、省级技术创新中心分别达到6个、60个。",
     [(6, "国家级技术创新中心"), (60, "省级技术创新中心")]),
])
def test_series(compiled, text, expected):
    assert [(int(t.value), t.metric) for t in _targets(text, compiled)] == expected


@pytest.mark.parametrize("text", [
    # 10: what an incentive pays, caps and thresholds are not targets
    "对新认定的国家级企业技术中心，给予最高300万元奖励。",
    "每家企业最多推荐8名高层次人才。",
    "经评审通过的企业可获认定人才指标2名。",
    "对实际投资3亿元以上的项目给予支持。",
    "给予每千瓦时0.03元的电价补贴。",
    "贴息比例不超过贷款市场报价利率的40%。",
    "单个项目最高不超过800万元。",
])
def test_incentive_numbers_are_not_targets(compiled, text):
    assert _targets(text, compiled) == ()


@pytest.mark.parametrize("text, date", [
    ("自2020年起用3年时间，完成改造任务。", dt.date(2022, 12, 31)),
    ("2019年起5年内，每个乡镇培养人才不少于30名。", dt.date(2023, 12, 31)),
    ("自2021年起用18个月时间，完成改造任务。", dt.date(2022, 6, 30)),
])
def test_a_start_year_anchors_a_relative_horizon(compiled, text, date):
    report = analyze_text(text + "\n", compiled)
    assert [(d.kind, d.date) for d in report.deadlines] == [("relative", date)]


def test_targets_under_an_anchored_horizon_take_its_year(compiled):
    text = "2019年起5年内，每个乡镇培养人才不少于30名。\n"
    assert [t.deadline_year for t in analyze_text(text, compiled).targets] == [2023]


def test_years_ahead_count_from_the_document_date(compiled):
    text = "某市人民政府关于推进标准化发展的实施意见\n\n今后五年，全市标准化工作稳步推进。\n\n某市人民政府\n2022年4月6日\n"
    got = [(d.text, d.date) for d in analyze_text(text, compiled).deadlines if d.kind == "relative"]
    assert got == [("今后五年", dt.date(2026, 12, 31))]


@pytest.mark.parametrize("head, province", [
    ("楚雄州支持制造业高质量发展若干措施", "云南省"),
    ("黔东南苗族侗族自治州人民政府关于加快乡村振兴的意见", "贵州省"),
    ("锡林郭勒盟行政公署关于印发生态保护方案的通知", "内蒙古自治区"),
    ("蕉城区优化营商环境三年行动方案（2023-2025年）", "福建省"),
])
def test_a_prefecture_league_or_district_gives_its_province(compiled, head, province):
    report = analyze_text(head + "\n\n一、总体目标\n\n加强组织领导。\n", compiled)
    assert report.document.province == province
