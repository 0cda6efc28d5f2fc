import datetime as dt

import pytest

from policyscan.extract.deadlines import extract_deadlines, find
from policyscan.model import DocumentFacts, Period, RawText
from policyscan.normalize import normalize
from policyscan.structure import parse

D = dt.date
NO_FACTS = DocumentFacts()
HUBEI_2016 = DocumentFacts(date=D(2016, 6, 13), period=Period(2016, 2020))
CHONGQING_2024 = DocumentFacts(date=D(2024, 2, 20), period=Period(2024, 2024))
JILIN_2016 = DocumentFacts(title="吉林省2016年食品安全重点工作安排", date=D(2016, 4, 22), period=Period(2016, 2016))
GUANGXI_2019 = DocumentFacts(date=D(2019, 6, 12), period=Period(2019, 2021))
HUNAN_2021 = DocumentFacts(date=D(2021, 3, 18), period=Period(2021, 2025))


def run(text, facts, compiled):
    doc = normalize(RawText("snippet.txt", text, "utf-8"), compiled)
    return doc, extract_deadlines(doc, parse(doc, compiled), facts, compiled)


def found(text, facts, compiled):
    return [(d.text, d.date, d.kind) for d in run(text, facts, compiled)[1]]


@pytest.mark.parametrize(
    "text, facts, want",
    [
        # by a date
        ("推动质量管理全面升级。 2018 年底前完成 5000家企业质量管理体系换版工作。", NO_FACTS,
         [("2018年底前", D(2018, 12, 31), "by")]),
        ("坚持不懈走质量改革之路,力争到2020年,质监部门重点改革任务基本完成。", HUBEI_2016,
         [("力争到2020年", D(2020, 12, 31), "by")]),
        ("力争到2020,组织3000家企业贯彻长江质量奖标准。", HUBEI_2016, [("力争到2020", D(2020, 12, 31), "by")]),
        ("2020年6月底前建成广西标准信息公共服务平台。", GUANGXI_2019, [("2020年6月底前", D(2020, 6, 30), "by")]),
        ("各区县要对照本任务清单制定落实方案,于3月底前报送市数字经济发展领导小组办公室。", CHONGQING_2024,
         [("3月底前", D(2024, 3, 31), "by")]),
        ("年内新建5G基站1.2万个。上半年完成中心城区智算中心一期工程。", CHONGQING_2024,
         [("年内", D(2024, 12, 31), "by"), ("上半年", D(2024, 6, 30), "by")]),
        ("并于12月10日前将全年工作完成情况报送省食品安全委员会办公室。", JILIN_2016, [("12月10日前", D(2016, 12, 10), "by")]),
        ("9月底前完成。", NO_FACTS, [("9月底前", None, "by")]),  # the year is unknown
        # periods
        ("四、“十三五”时期全省质监事业发展主要任务", HUBEI_2016, [("“十三五”时期", D(2020, 12, 31), "period")]),
        ("力争在“十三五”期间,形成一批高水平理论成果。", HUBEI_2016, [("“十三五”期间", D(2020, 12, 31), "period")]),
        ("“十四五”时期,新增国家级质检中心5个以上。", HUNAN_2021, [("“十四五”时期", D(2025, 12, 31), "period")]),
        ("现就做好2016年全省食品安全工作作出如下安排。", JILIN_2016, [("2016年", D(2016, 12, 31), "period")]),
        ("做好2015年度甘肃名牌产品申报评选工作。", DocumentFacts(period=Period(2015, 2015)),
         [("2015年度", D(2015, 12, 31), "period")]),
        # recurring and relative
        ("每年发布省级地方标准60项以上,每年选择10个左右地理标志保护产品重点宣传推介。", HUBEI_2016,
         [("每年", None, "recurring"), ("每年", None, "recurring")]),
        ("明确责任单位和时限要求,开展年度评价、中期评价、五年终评。", HUBEI_2016, [("年度", None, "recurring")]),
        ("通过 3-5 年努力,管理体系认证企业突破 10000 家。", NO_FACTS, [("通过3-5年努力", None, "relative")]),
        ("应在三年内完成建设任务并接受评估。", GUANGXI_2019, [("三年内", None, "relative")]),
        ("自本方案印发之日起三年内完成。", GUANGXI_2019, [("自本方案印发之日起三年内", D(2022, 6, 12), "relative")]),
    ],
)
def test_deadlines_found(text, facts, want, compiled):
    assert found(text, facts, compiled) == want


PLAN_2023 = DocumentFacts(date=D(2023, 5, 8), period=Period(2023, 2025))  # a three-year plan
ANNUAL_2023 = DocumentFacts(date=D(2023, 5, 8), period=Period(2023, 2023))  # an annual plan


@pytest.mark.parametrize(
    "text, facts, want",
    [
        # a five-year plan in corner quotes, as traditional-character documents write it
        ("到「十四五」末，全省社會公用計量標準達到6500項。", HUNAN_2021, [("到「十四五」末", D(2025, 12, 31), "by")]),
        ("「十四五」時期，新增國家級質檢中心5個以上。", HUNAN_2021, [("「十四五」时期", D(2025, 12, 31), "period")]),
        ("『十四五』期间，累计培育品牌100个。", HUNAN_2021, [("『十四五』期间", D(2025, 12, 31), "period")]),
        # a limit that comes back every year or quarter has no one date
        ("各地于每年12月10日前报送年度工作总结。", PLAN_2023, [("每年12月10日前", None, "recurring")]),
        ("每年1月底前报送上年度工作情况。", PLAN_2023, [("每年1月底前", None, "recurring")]),
        ("各单位于每季度末报送进展情况。", PLAN_2023, [("每季度末", None, "recurring")]),
        ("每月5日前报送数据。", PLAN_2023, [("每月5日前", None, "recurring")]),
        ("每半年底前开展一次调度。", PLAN_2023, [("每半年底前", None, "recurring")]),
        ("每季度通报一次。", PLAN_2023, [("每季度", None, "recurring")]),
        # a month with no day, when a verb or 到 makes it a limit
        ("2023年9月完成平台建设。", PLAN_2023, [("2023年9月", D(2023, 9, 30), "by")]),
        ("2023年9月底建成。", PLAN_2023, [("2023年9月底", D(2023, 9, 30), "by")]),
        ("到2024年6月，建成市级平台。", PLAN_2023, [("到2024年6月", D(2024, 6, 30), "by")]),
        # the span of a multi-year plan, in its own text
        ("2023年至2025年，每年组织一次评估。", PLAN_2023,
         [("2023年至2025年", D(2025, 12, 31), "period"), ("每年", None, "recurring")]),
        ("2023—2025年开展专项行动。", PLAN_2023, [("2023—2025年", D(2025, 12, 31), "period")]),
        # 明年 / 次年 count from the document's year
        ("明年6月底前完成平台建设。", PLAN_2023, [("明年6月底前", D(2024, 6, 30), "by")]),
        ("次年年底前完成整改。", PLAN_2023, [("次年年底前", D(2024, 12, 31), "by")]),
        ("明年一季度完成验收。", PLAN_2023, [("明年一季度", D(2024, 3, 31), "by")]),
        # quarters of the document's year
        ("三季度末完成验收。", PLAN_2023, [("三季度末", D(2023, 9, 30), "by")]),
        ("第三季度末前完成。", PLAN_2023, [("第三季度末前", D(2023, 9, 30), "by")]),
    ],
)
def test_other_phrasings(text, facts, want, compiled):
    assert found(text, facts, compiled) == want


@pytest.mark.parametrize(
    "text, facts",
    [
        ("某某市人民政府\n二〇二三年五月八日", ANNUAL_2023),  # the signature date
        ("2023年12月", ANNUAL_2023),
        ("2015年10月由省政府主持召开全省质量工作会议。", DocumentFacts(date=D(2015, 3, 1))),  # an event, not a limit
        ("关于印发某市质量提升行动方案（2023—2025年）的通知", PLAN_2023),  # a title in brackets
        ("2010年至2015年省政府连续六年召开了质量工作会议。", HUBEI_2016),  # history
        ("2023年前三季度全省生产总值增长5%。", PLAN_2023),
        ("去年6月底前完成的项目。", PLAN_2023),  # before the document's year
        ("明年的工作重点另行部署。", PLAN_2023),
    ],
)
def test_other_phrasings_not_deadlines(text, facts, compiled):
    assert found(text, facts, compiled) == []


@pytest.mark.parametrize(
    "text, facts",
    [
        ("为贯彻实施国务院、省政府《质量发展纲要(2012—2020年)》,认真贯彻落实《中国制造2025》。", HUBEI_2016),
        ("鄂质强办发〔2020〕1 号", DocumentFacts(date=D(2020, 7, 16))),
        ("截至2015年底,全省获批筹建国家级质检中心10个。", HUBEI_2016),
        ("截至2018年底,全区累计发布地方标准1000余项。", GUANGXI_2019),
        ("国家监督抽查合格率由2010年的88.9%提高到2015年的94.3%。", HUBEI_2016),
        ("企业开办时间由2016年的15个工作日压缩到2020年的3个工作日以内。", HUNAN_2021),
        ("消费者满意度较2022年提高2个百分点。", DocumentFacts(date=D(2023, 4, 18), period=Period(2023, 2025))),
        ("“十二五”期间,湖北主导或参与制定国家标准。", HUBEI_2016),  # a plan already over
        ("“十三五”时期,全省市场监管系统认真落实省委、省政府决策部署。", HUNAN_2021),
        ("2015年,全省各级各部门扎实推进食品安全治理。", JILIN_2016),  # the year before an annual plan's
        ("针对2019 年全国公共服务质量监测结果。", DocumentFacts(date=D(2020, 7, 16))),  # not an annual plan
        ("2016年4月22日", JILIN_2016),
        ("吉林省2016年食品安全重点工作安排", JILIN_2016),  # the document's own title
        ("制定我省2015年度《质量工作考核细则及评分标准》。", DocumentFacts(period=Period(2015, 2015))),
        ("将质量发展纳入甘肃省经济社会发展“十三五”规划。", DocumentFacts(period=Period(2015, 2015))),
        ("到2015年,全省建成10个示范区。", HUBEI_2016),  # ends before the document's year
        ("对检验检测机构上报年度报告等信用行为进行综合评价。", NO_FACTS),
        ("开展万家企业学习应用质量管理体系标准活动。", NO_FACTS),
    ],
)
def test_not_deadlines(text, facts, compiled):
    assert found(text, facts, compiled) == []


def test_background_sections_are_history(compiled):
    text = (
        "一、“十二五”全省质监事业发展回顾\n"
        "省政府办公厅每年出台质量兴省年度行动计划。\n"
        "二、“十三五”时期全省质监事业发展面临的形势\n"
        "“十三五”时期质量技术监督事业发展的主要机遇是:\n"
        "三、主要任务\n"
        "每年发布省级地方标准60项以上。\n"
    )
    assert found(text, HUBEI_2016, compiled) == [("每年", None, "recurring")]


def test_a_task_heading_is_not_background(compiled):
    text = "(四)优化发展环境\n10.加强数字经济统计监测。每月调度重点指标运行情况。\n"
    assert found(text, CHONGQING_2024, compiled) == [("每月", None, "recurring")]


def test_record_fields_point_at_the_raw_text(compiled):
    # a traditional-character corpus line: the span quotes the raw text
    text = "一、總體要求\n為貫徹實施《質量發展綱要(2012—2020年)》,明確2015年質量發展工作重點,制定本行動計畫。\n"
    doc, deadlines = run(text, DocumentFacts(period=Period(2015, 2015)), compiled)
    assert len(deadlines) == 1
    d = deadlines[0]
    assert (d.text, d.date, d.kind, d.rule, d.section) == ("2015年", D(2015, 12, 31), "period", "period.annual-plan-year", "一、")
    assert doc.quote(d.span) == "2015年"
    assert d.context.startswith("为贯彻实施")


@pytest.mark.parametrize(
    "text, rules",
    [
        # a rule of kind none wins the span it covers
        ("截至2018年底", ["none.as-of"]),
        ("到2020年底", ["deadline.by-year-end"]),  # the longer match wins over 到2020
        ("2018年底前完成,2019年6月底前验收", ["deadline.by-year-end", "deadline.by-month-end"]),
    ],
)
def test_overlaps(text, rules, compiled):
    assert [h.rule.id for h in find(compiled["deadlines"], text)] == rules


@pytest.mark.parametrize(
    "text, want",
    [
        ("吉林省2016年食品安全重点工作安排", []),
        ("关于印发吉林省2016年食品安全重点工作安排的通知", []),
        ("现将吉林省2016年食品安全重点工作安排印发给你们,请于6月底前报送落实情况。", [("6月底前", D(2016, 6, 30), "by")]),
    ],
)
def test_own_title_is_not_a_period(text, want, compiled):
    assert found(text, JILIN_2016, compiled) == want


def test_a_bare_month_is_a_limit_only_in_a_time_limit_column(compiled):
    from tests.conftest import analyze_text

    table = "\n".join(["序号", "重点任务", "牵头单位", "完成时限",
                       "1", "建设省级算力调度平台。", "省数据局", "2026年12月",
                       "2", "开展人工智能赋能行动。", "省经信厅", "持续推进"])
    report = analyze_text("某省2026年人工智能重点任务清单\n" + table + "\n某省人民政府办公厅\n2026年3月\n", compiled, "t.txt")
    assert [(d.text, d.date.isoformat(), d.kind) for d in report.deadlines if d.date] == [("2026年12月", "2026-12-31", "by")]
