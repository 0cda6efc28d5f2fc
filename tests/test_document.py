"""Document facts: title, province, city, issuer, date, 文号 and plan period."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from policyscan.extract.document import cjk_int, extract_document, plan_period
from policyscan.model import Period, RawText
from policyscan.normalize import normalize
from policyscan.read import read_text

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
MORE = Path(__file__).resolve().parents[2] / "shared" / "eval" / "more" / "docs"  # six more real documents, outside the repository


def facts_of_text(text: str, compiled):
    return extract_document(normalize(RawText("snippet.txt", text, "utf-8"), compiled), compiled)


def facts_of_file(path: Path, compiled):
    if not path.exists():
        pytest.skip(f"{path} is not available here")
    return extract_document(normalize(read_text(str(path)), compiled), compiled)


D = dt.date
# What each real document visibly says about itself: its title line (or the
# plan a 关于印发 notice wraps), the signature or 发布时间, the 文号 line,
# and the period its title or opening paragraph names.
REAL = [
    pytest.param(
        CORPUS / "gansu-2015-quality-action-plan.txt",
        dict(title="甘肃省贯彻实施质量发展纲要2015年行动计划", province="甘肃省", city=None, issuer=None,
             date=None, doc_number=None, period=Period(2015, 2015)),
        id="gansu-traditional-title-line-no-date",
    ),
    pytest.param(
        CORPUS / "guangdong-2016-quality-province-decision.txt",
        dict(title="中共广东省委 广东省人民政府关于实施质量强省战略的决定", province="广东省", city=None,
             issuer="中共广东省委 广东省人民政府", date=D(2016, 5, 10), doc_number=None, period=Period(2016, 2020)),
        id="guangdong-decision-line-published-at-goal-period",
    ),
    pytest.param(
        CORPUS / "hubei-2016-quality-supervision-plan.txt",
        dict(title="湖北省质量技术监督事业发展“十三五”规划", province="湖北省", city=None,
             issuer="湖北省发展和改革委员会、湖北省质量技术监督局", date=D(2016, 6, 13), doc_number=None,
             period=Period(2016, 2020)),
        id="hubei-2016-wrapper-notice",
    ),
    pytest.param(
        CORPUS / "hubei-2020-quality-province-opinions.txt",
        dict(title=None, province="湖北省", city=None, issuer="湖北省质量强省工作委员会办公室",
             date=D(2020, 7, 16), doc_number="鄂质强办发〔2020〕1号", period=None),
        id="hubei-2020-number-line-signature-no-title",
    ),
    pytest.param(
        CORPUS / "shanxi-quality-certification-plan.txt",
        dict(title=None, province="山西省", city=None, issuer=None, date=None, doc_number=None, period=None),
        id="shanxi-no-head-province-from-mentions",
    ),
    pytest.param(
        MORE / "anhui-2017-quality-improvement-action-plan.txt",
        dict(title="安徽省质量提升行动计划(2017—2020年)", province="安徽省", city=None, issuer="安徽省人民政府办公厅",
             date=D(2017, 4, 12), doc_number="皖政办〔2017〕31号", period=Period(2017, 2020)),
        id="anhui-wrapper-without-quotes",
    ),
    pytest.param(
        MORE / "chongqing-2024-digital-economy-task-list.txt",
        dict(title=None, province="重庆市", city=None, issuer="重庆市数字经济发展领导小组办公室",
             date=D(2024, 2, 20), doc_number=None, period=Period(2024, 2024)),
        id="chongqing-no-title-period-from-opening",
    ),
    pytest.param(
        MORE / "guangxi-2019-standardization-action-plan.txt",
        dict(title="广西壮族自治区标准化提升行动计划(2019—2021年)", province="广西壮族自治区", city=None,
             issuer="广西壮族自治区人民政府办公厅", date=D(2019, 6, 12), doc_number=None, period=Period(2019, 2021)),
        id="guangxi-autonomous-region",
    ),
    pytest.param(
        MORE / "hunan-2021-market-regulation-14th-five-year-plan.txt",
        dict(title="湖南省“十四五”市场监管规划", province="湖南省", city=None,
             issuer="湖南省市场监督管理局、湖南省发展和改革委员会", date=D(2021, 3, 18),
             doc_number="湘市监发〔2021〕5号", period=Period(2021, 2025)),
        id="hunan-two-signers-14th-plan",
    ),
    pytest.param(
        MORE / "jilin-2016-food-safety-work-plan-traditional.txt",
        dict(title="吉林省2016年食品安全重点工作安排", province="吉林省", city=None,
             issuer="吉林省食品安全委员会办公室", date=D(2016, 4, 22), doc_number=None, period=Period(2016, 2016)),
        id="jilin-traditional-annual-plan",
    ),
    pytest.param(
        MORE / "qingdao-2023-consumer-goods-quality-webpage.txt",
        dict(title="青岛市消费品质量提升三年行动方案(2023—2025年)", province="山东省", city="青岛市",
             issuer="青岛市人民政府办公厅", date=D(2023, 4, 18), doc_number="青政办字〔2023〕9号",
             period=Period(2023, 2025)),
        id="qingdao-city-web-page",
    ),
]


@pytest.mark.parametrize("path, want", REAL)
def test_real_documents(path, want, compiled):
    facts = facts_of_file(path, compiled)
    got = {key: getattr(facts, key) for key in want}
    assert got == want


# ---------------------------------------------------------------- snippets


def test_body_dates_are_not_the_document_date(compiled):
    text = (
        "辽宁省质量提升行动方案\n"
        "为推动质量提升,制定本方案。\n"
        "一、工作基础\n"
        "截至2018年底,全省累计培育名牌产品1200个。\n"
        "二、重点任务\n"
        "2019年6月30日前完成质量管理体系换版工作。\n"
    )
    facts = facts_of_text(text, compiled)
    assert facts.date is None
    assert facts.period is None
    assert facts.title == "辽宁省质量提升行动方案"


def test_a_quoted_title_in_the_opening_is_not_the_title(compiled):
    text = (
        "为贯彻落实《国家质量发展纲要(2011—2020年)》和《江西省“十三五”质量发展规划》,结合实际,制定如下措施。\n"
        "一、总体要求\n"
        "全面提升产品质量。\n"
    )
    facts = facts_of_text(text, compiled)
    assert facts.title is None
    assert facts.period is None


def test_a_table_cell_before_a_deadline_is_not_a_signature(compiled):
    text = (
        "陕西省2019年质量工作要点\n"
        "一、重点任务\n"
        "(一)加强质量基础设施建设。\n"
        "牵头单位\n"
        "完成时限\n"
        "省市场监管局\n"
        "2019年12月31日\n"
    )
    facts = facts_of_text(text, compiled)
    assert facts.issuer is None
    assert facts.date is None
    assert facts.period == Period(2019, 2019)


def test_a_wrapper_title_wrapped_over_two_lines(compiled):
    text = (
        "浙江省人民政府办公厅关于印发浙江省质量提升\n"
        "行动计划(2018—2020年)的通知\n"
        "浙政办发[2018] 27 号\n"
        "各市、县(市、区)人民政府,省政府直属各单位:\n"
        "现将《浙江省质量提升行动计划(2018—2020年)》印发给你们,请认真贯彻执行。\n"
        "浙江省人民政府办公厅\n"
        "2018年3月20日\n"
        "一、总体要求\n"
    )
    facts = facts_of_text(text, compiled)
    assert facts.title == "浙江省质量提升行动计划(2018—2020年)"
    assert facts.issuer == "浙江省人民政府办公厅"
    assert facts.doc_number == "浙政办发〔2018〕27号"
    assert facts.date == D(2018, 3, 20)
    assert facts.period == Period(2018, 2020)


@pytest.mark.parametrize(
    "text, province, city",
    [
        pytest.param("济南市质量强市建设实施方案\n为建设质量强市,制定本方案。\n一、目标\n", "山东省", "济南市", id="city-title"),
        pytest.param("山东省青岛市质量工作要点\n一、目标\n", "山东省", "青岛市", id="province-then-city"),
        pytest.param("省人民政府办公厅关于加强质量工作的通知\n豫政办〔2019〕12号\n一、要求\n", "河南省", None,
                     id="from-number-prefix"),
        pytest.param(
            "一、总体要求\n加快宁夏制造升级,打造宁夏品牌,提升宁夏质量。(责任单位:自治区市场监管厅)\n",
            "宁夏回族自治区", None, id="from-mentions",
        ),
        pytest.param(
            "一、总体要求\n学习浙江、江苏、广东、山东的经验,推动质量提升。\n", None, None, id="no-dominant-place",
        ),
        pytest.param("质量工作要点\n一、要求\n国发〔2018〕3号文件要求加强质量认证。\n", None, None, id="no-place"),
        pytest.param("宜春深化质量强市建设实施方案\n一、目标\n", "江西省", "宜春市", id="city-without-shi-opens-title"),
        pytest.param("中共景德镇市委办公室关于加强质量工作的通知\n一、要求\n", "江西省", "景德镇市", id="city-in-issuer"),
        pytest.param("关于加快朝阳产业发展的意见\n一、目标\n", None, None, id="city-name-as-a-word-inside-title"),
        pytest.param("朝阳区质量工作要点\n一、目标\n", None, None, id="district-named-like-a-city"),
        pytest.param(
            "为推进质量强市建设,结合宜春实际,制定本实施方案。\n一、目标\n", "江西省", "宜春市", id="local-conditions-phrase",
        ),
        pytest.param("为推进质量强市建设,结合我市实际,制定本实施方案。\n一、目标\n", None, None, id="local-conditions-unnamed"),
        pytest.param(
            "一、指导思想\n全面贯彻习近平总书记考察江西重要讲话精神,深入实施质量强市战略。\n", "江西省", None,
            id="leader-visit-phrase",
        ),
        pytest.param(
            "一、指导思想\n为奋力谱写中国式现代化宜春篇章提供强有力的质量支撑。\n", "江西省", "宜春市", id="chapter-phrase",
        ),
        pytest.param(
            "为贯彻《国务院关于支持贵州在新时代西部大开发上闯新路的意见》精神,结合我省实际,制定本意见。\n一、总体要求\n",
            "贵州省", None, id="province-inside-a-title-the-opening-cites",
        ),
        pytest.param(
            "一、总体要求\n贯彻《国务院关于支持贵州在新时代西部大开发上闯新路的意见》,推动高质量发展。\n", None, None,
            id="quoted-title-in-the-body-is-not-evidence",
        ),
        pytest.param(
            "一、目标\n贵州省名牌产品达到300个以上,贵州省著名商标达到630个以上。\n", "贵州省", None,
            id="sole-province-twice-in-full",
        ),
        pytest.param("一、目标\n学习贵州经验,借鉴贵州做法。\n", None, None, id="sole-province-twice-short"),
        pytest.param(
            "一、目标\n浙江省名牌产品达到300个,江苏省著名商标达到600个。\n", None, None, id="two-provinces-once-each",
        ),
    ],
)
def test_province_and_city(text, province, city, compiled):
    facts = facts_of_text(text, compiled)
    assert (facts.province, facts.city) == (province, city)


def test_a_cited_document_number_is_not_the_number(compiled):
    text = (
        "山西省质量认证体系建设实施方案\n"
        "根据《国务院关于加强质量认证体系建设促进全面质量管理的意见》(国发〔2018〕3号),结合我省实际,制定本方案。\n"
        "一、总体要求\n"
    )
    assert facts_of_text(text, compiled).doc_number is None


def test_signature_with_chinese_numeral_date(compiled):
    text = (
        "一、总体要求\n"
        "加强组织领导,确保各项任务落到实处。\n"
        "中共福建省委办公厅\n"
        "福建省人民政府办公厅\n"
        "二〇一八年十二月二十一日\n"
    )
    facts = facts_of_text(text, compiled)
    assert facts.issuer == "中共福建省委办公厅、福建省人民政府办公厅"
    assert facts.date == D(2018, 12, 21)
    assert facts.province == "福建省"


@pytest.mark.parametrize(
    "source, issuer",
    [
        ("发布时间:2022-05-18 09:30  来源:济南市人民政府办公厅  浏览次数:120", "济南市人民政府办公厅"),
        ("发布时间:2022-05-18 09:30  来源:新华网  浏览次数:120", None),
    ],
)
def test_source_field(source, issuer, compiled):
    facts = facts_of_text(f"济南市质量工作要点\n{source}\n一、要求\n", compiled)
    assert facts.issuer == issuer
    assert facts.date == D(2022, 5, 18)


@pytest.mark.parametrize(
    "title, period",
    [
        ("广东省质量发展“十五五”规划", Period(2026, 2030)),
        ("国民经济和社会发展第十一个五年规划纲要", Period(2006, 2010)),
        ("江苏省质量提升行动计划(2018—2020年)", Period(2018, 2020)),
        ("福建省2019-2020年质量工作要点", Period(2019, 2020)),
        ("福建省质量工作要点", None),
        ("贯彻《质量发展纲要(2011—2020年)》实施方案", None),
    ],
)
def test_period_from_the_title(title, period, compiled):
    assert facts_of_text(f"{title}\n一、要求\n", compiled).period == period


@pytest.mark.parametrize(
    "opening, period",
    [
        ("为落实“十四五”数字经济发展规划,现将2024年全市数字经济重点工作安排如下。", Period(2024, 2024)),
        ("为推动“十四五”规划实施,现就2022—2023年全省标准化工作提出如下意见。", Period(2022, 2023)),
        ("为深入实施“十四五”质量发展规划,推动高质量发展,提出如下意见。", Period(2021, 2025)),
        ("为贯彻《质量发展纲要(2011—2020年)》,推动高质量发展,提出如下意见。", None),
        ("2023年,全市数字经济保持较快增长,新建5G基站1.1万个。", None),
    ],
)
def test_period_from_the_opening_paragraph(opening, period, compiled):
    assert facts_of_text(f"{opening}\n一、主要目标\n", compiled).period == period


@pytest.mark.parametrize(
    "ordinal, period",
    [(3, Period(1966, 1970)), (10, Period(2001, 2005)), (13, Period(2016, 2020)), (14, Period(2021, 2025)), (2, None)],
)
def test_plan_period(ordinal, period):
    assert plan_period(ordinal) == period


@pytest.mark.parametrize("text, value", [("二〇二〇", 2020), ("二○一九", 2019), ("十", 10), ("十六", 16), ("二十一", 21), ("三十", 30)])
def test_cjk_int(text, value):
    assert cjk_int(text) == value


@pytest.mark.parametrize(
    "head, title, doc_number",
    [
        pytest.param(
            "中共江西省委办公厅　江西省人民政府办公厅\n印发《江西省质量强省建设纲要实施方案》的通知\n赣办发〔2023〕12号\n",
            "江西省质量强省建设纲要实施方案", "赣办发〔2023〕12号", id="notice-without-guanyu",
        ),
        pytest.param(
            "索 引 号：014000319/2024-00125　　分　　类：质量监督;通知\n"
            "发布机构：苏州市人民政府办公室　　发文日期：２０２４-０２-２６\n"
            "文　　号：苏府办〔２０２４〕１５号　　主 题 词：\n"
            "苏州市人民政府办公室关于印发苏州市质量强市建设三年行动计划（２０２４—２０２６年）的通知\n",
            "苏州市质量强市建设三年行动计划(2024—2026年)", "苏府办〔2024〕15号", id="spaced-wenhao-label",
        ),
        pytest.param(
            "文　　号：苏府办〔２０２４〕１５号\n苏州市质量工作要点\n", "苏州市质量工作要点", "苏府办〔2024〕15号", id="spaced-wenhao-line",
        ),
        pytest.param(
            "某市质量工作要点\n根据《关于印发〈质量强国建设纲要〉的通知》要求，现将有关事项通知如下。\n", "某市质量工作要点", None,
            id="cited-notice-in-prose",
        ),
        pytest.param(
            "当前位置: 主页 > 国际国内\n省委省政府印发关于贯彻落实《质量强国建设纲要》深化质量强省建设的实施意见\n",
            "关于贯彻落实《质量强国建设纲要》深化质量强省建设的实施意见", None, id="news-heading-prefix",
        ),
        pytest.param(
            "国务院办公厅印发《质量强国建设纲要实施方案》\n", "质量强国建设纲要实施方案", None, id="news-heading-quoted",
        ),
        pytest.param(
            "关于规范公文印发工作的规定\n", "关于规范公文印发工作的规定", None, id="yinfa-inside-a-title",
        ),
        pytest.param(
            "赣市府字〔2024〕41号\n某某娱乐,某某国际娱乐关于印发\n赣州市深化质量强市建设实施方案的通知\n",
            "赣州市深化质量强市建设实施方案", "赣市府字〔2024〕41号", id="banner-before-wrapper-split-over-two-lines",
        ),
        pytest.param(
            "豫政办〔2013〕36号 河南省人民政府办公厅关于加强质量工作的通知\n豫政办〔2013〕36号\n",
            "河南省人民政府办公厅关于加强质量工作的通知", "豫政办〔2013〕36号", id="wenhao-before-the-title",
        ),
    ],
)
def test_notice_title_and_web_metadata(head, title, doc_number, compiled):
    facts = facts_of_text(head + "一、主要目标\n到2025年，制造业产品质量合格率达到95%以上。\n", compiled)
    assert facts.title == title
    assert facts.doc_number == doc_number


OWN_DATE = "中共江西省委 江西省人民政府\n关于深化质量强省建设的实施意见\n"
PUBLISHED = "发布日期:2023-10-27 09:41来源:江西日报 2023年10月27日\n"
OPENING = "为进一步深化质量强省建设,结合我省实际,现制定如下实施意见。\n一、总体要求\n到2025年,全省质量整体水平进一步提高。\n"


@pytest.mark.parametrize(
    "text, date",
    [
        pytest.param(OWN_DATE + "(2023年9月21日)\n" + PUBLISHED + OPENING, D(2023, 9, 21), id="date-under-title-beats-published"),
        pytest.param(OWN_DATE + PUBLISHED + "(2023年9月21日)\n" + OPENING, D(2023, 9, 21), id="date-line-after-page-metadata"),
        pytest.param(OWN_DATE + PUBLISHED + OPENING, D(2023, 10, 27), id="published-when-no-own-date"),
        pytest.param(
            OWN_DATE + PUBLISHED + OPENING + "江西省质量强省工作领导小组办公室\n2023年9月25日\n", D(2023, 9, 25),
            id="signature-beats-published",
        ),
        pytest.param(OWN_DATE + OPENING, None, id="no-date-at-all"),
    ],
)
def test_the_documents_own_date_before_the_pages(text, date, compiled):
    assert facts_of_text(text, compiled).date == date
