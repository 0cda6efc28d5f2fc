"""Targets found in sentences written the way provincial plans write them."""
from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import CORPUS, ROOT, analyze_text, compiled_for

PLAN = "湖北省质量发展“十三五”规划\n一、主要目标\n"


def targets_of(text, compiled):
    return analyze_text(PLAN + text, compiled).targets


@pytest.mark.parametrize(
    "sentence, value, value_max, comparator, unit",
    [
        ("到2020年,制造业产品质量合格率稳定在93%以上。", "93", None, ">=", "%"),
        ("管理体系认证企业突破 10000 家。", "10000", None, ">", "家"),
        ("研发新产品、新工艺、新品种120个左右。", "120", None, "~", "个"),
        ("与主要出口国家和地区实现互认的实验室超过lOOO家。", "1000", None, ">", "家"),
        ("全省食用农产品例行监测合格率稳定在百分之九十八以上。", "98", None, ">=", "%"),
        ("有效注册商标总量超过25万件。", "250000", None, ">", "件"),
        ("带动全市消费品工业营业收入超过3200亿元。", "320000000000", None, ">", "元"),
        ("万台特种设备死亡人数控制在0.3以内。", "0.3", None, "<=", ""),
        ("大中型工程项目一次验收合格率不低于98％。", "98", None, ">=", "%"),
        ("重点消费品监督抽查不合格率低于5%。", "5", None, "<", "%"),
        ("培育20家广东制造品牌试点企业。", "20", None, "=", "家"),
        ("创建3—5个全国质量强市示范城市。", "3", "5", "=", "个"),
        ("消费者满意度较2022年提高2个百分点。", "2", None, "=", "个百分点"),
        ("制造业质量竞争力指数达到85。", "85", None, ">=", ""),
        ("检验检测服务业从业人员达到3万人左右。", "30000", None, "~", "人"),
        ("自由贸易试验区新设企业1000家。", "1000", None, "=", "家"),
        ("地方标准平均制定周期缩短至18个月以内。", "18", None, "<=", "个月"),
        ("每年组织标准化业务培训不少于50期。", "50", None, ">=", "期"),
        ("食品安全监督抽检量达到每千人口6批次。", "6", None, ">=", "批次"),
        ("新建省级质检中心五个。", "5", None, "=", "个"),
        ("新建五个省级质检中心。", "5", None, "=", "个"),
        ("推动1,000家以上企业开展对标达标。", "1000", None, ">=", "家"),
        ("全员劳动生产率达到35万元/人。", "350000", None, ">=", "元/人"),
        ("亿元GDP生产安全事故死亡率控制在0.05以下。", "0.05", None, "<=", ""),
        ("万台特种设备事故起数控制在0.15起以下。", "0.15", None, "<=", "起"),
        ("集体性食物中毒事故年报告发生率控制在4/10万以下。", "4", None, "<=", "/10万"),
        ("主导或参与制修订国际标准、国家标准和行业标准60项以上。", "60", None, ">=", "项"),
    ],
)
def test_one_target_per_commitment(compiled, sentence, value, value_max, comparator, unit):
    targets = targets_of(sentence, compiled)
    assert len(targets) == 1, [t.metric for t in targets]
    t = targets[0]
    assert t.value == Decimal(value)
    assert t.value_max == (Decimal(value_max) if value_max else None)
    assert (t.comparator, t.unit) == (comparator, unit)
    assert t.metric and t.metric in t.text


@pytest.mark.parametrize(
    "sentence, metric",
    [
        ("使全省产品质量合格率达到95%。", "全省产品质量合格率"),
        ("培育安徽服务业名牌产品150个。", "安徽服务业名牌产品"),
        ("建设用地节约集约利用率达到80%。", "建设用地节约集约利用率"),
        ("新能源汽车使用率达到30%。", "新能源汽车使用率"),
        ("基本药物全品种抽检覆盖率达到100%。", "基本药物全品种抽检覆盖率"),
        ("农产品、食品、药品监督抽查合格率均在95%以上。", "农产品、食品、药品监督抽查合格率"),
        ("制造业质 量竞争力指数达到86。", "制造业质量竞争力指数"),
        ("提高有线电视超高清机顶盒占比至75%。", "有线电视超高清机顶盒占比"),
        ("地方标准平均制定周期缩短至18个月以内。", "地方标准平均制定周期"),
        ("品牌价值超过100亿元的企业达到10家。", "品牌价值超过100亿元的企业"),
        ("“三品一标”认证产品80%纳入可追溯范围。", "“三品一标”认证产品"),
        ("推动80%以上的规上企业开展对标达标。", "规上企业开展对标达标"),
    ],
)
def test_metric_drops_leading_verbs_only_when_they_are_whole_words(compiled, sentence, metric):
    (t,) = targets_of(sentence, compiled)
    assert t.metric == metric


def test_a_number_that_belongs_to_the_metric_stays_in_it(compiled):
    (t,) = targets_of("到2020年,每万人发明专利拥有量超过20件。", compiled)
    assert t.value == 20 and "每万人发明专利拥有量" in t.metric


@pytest.mark.parametrize(
    "sentence, values",
    [
        ("新增 3-5 个国家质检中心、5-8 个省级质检中心。", [("3", "5"), ("5", "8")]),
        ("落户广东的国际、国家标准化技术委员会分别达到5个、65个。", [("5", None), ("65", None)]),
        ("认定市级智能工厂50个、数字化车间300个。", [("50", None), ("300", None)]),
    ],
)
def test_several_targets_in_one_clause(compiled, sentence, values):
    got = [(t.value, t.value_max) for t in targets_of(sentence, compiled)]
    assert got == [(Decimal(a), Decimal(b) if b else None) for a, b in values]


def test_a_verb_after_a_count_opens_the_next_item(compiled):
    # the full stop between the two items is missing in the source page
    got = [(t.value, t.metric) for t in targets_of("完成筹建省级质量检验检测中心80个培育3-5个检验检测认证品牌。", compiled)]
    assert got == [(Decimal(80), "筹建省级质量检验检测中心"), (Decimal(3), "检验检测认证品牌")]


def test_a_modifier_before_a_list_mark_shares_the_next_noun(compiled):
    got = [t.metric for t in targets_of("启动和实施5-6个国家级、20-30个省级产品质量提升示范区。", compiled)]
    assert got == ["国家级产品质量提升示范区", "省级产品质量提升示范区"]


@pytest.mark.parametrize(
    "paragraphs",
    [
        "国家级企业达到30家,省级企业达到30家。",
        "国家级企业达到30家。\n省级企业达到30家。",
    ],
)
def test_different_metrics_with_one_value_stay_apart(compiled, paragraphs):
    assert [t.metric for t in targets_of(paragraphs, compiled)] == ["国家级企业", "省级企业"]


def test_a_count_inside_a_measured_phrase_is_not_a_target(compiled):
    text = "实施食品安全信息追溯管理的44个食用农产品和食品的主体追溯覆盖率与上传率100%。"
    assert [(t.value, t.unit) for t in targets_of(text, compiled)] == [(100, "%")]


def test_a_time_frame_paragraph_dates_the_goals_under_it(compiled):
    text = "(一)主要目标\n到2025年,全市质量整体水平进一步提高。\n1.制造业产品质量合格率达到94%以上。\n2.新增国家级质检中心3个。\n"
    report = analyze_text("某市质量强市建设实施方案\n" + text, compiled)
    assert [(t.value, t.deadline_year) for t in report.targets] == [(94, 2025), (3, 2025)]


def test_a_comparator_governs_the_whole_series(compiled):
    got = [(t.value, t.comparator) for t in targets_of("国家级、省级质检中心分别达到25个、70个。", compiled)]
    assert got == [(Decimal(25), ">="), (Decimal(70), ">=")]


@pytest.mark.parametrize(
    "sentence",
    [
        "规模以上工业企业产品质量监督抽查合格率由2012年的89.7%提高到2016年的92.8%。",
        "截至2016年底,全省有效期内名牌产品已达到1268个。",
        "培育一批年营业收入超过100亿元的龙头企业。",
        "认真贯彻落实《中国制造2025》。",
        "畅通12365投诉举报热线。",
        "省质量发展领导小组由31个部门组成。",
        "聚焦家电、纺织服装、食品饮料等8个重点消费品行业。",
        "落实中央八项规定精神。",
        "全面贯彻党的十八大和十八届三中、四中、五中全会精神。",
        "深入推进“三品一标”认证。",
        "对符合条件的项目给予最高800万元补助。",
        "补助额度不高于合同实际执行金额的30%。",
        "对年薪100万元以上且具有5年以上研发经验的人工智能人才给予支持。",
        "三年内完成建设任务。",
        "对年度PCT申请量超过10件的企业给予重点支持。",
        "对全县60万亩茶园开展农药使用巡查。",
        "全省11个设区市均已建立质量强市工作协调机制。",
        "认证费用由省级财政按50%给予补助。",
        "建立16个部门组成的质量工作联席会议制度。",
    ],
)
def test_not_a_target(compiled, sentence):
    assert targets_of(sentence, compiled) == ()


def test_a_change_from_a_stated_level_keeps_it_as_baseline(compiled):
    text = "力争到2025年,研发投入强度提高到2.5%,重点产业采标率由2022年的80%提高到90%。"
    got = [(t.value, t.baseline and (t.baseline.value, t.baseline.year), t.deadline_year) for t in targets_of(text, compiled)]
    assert got == [(Decimal("2.5"), None, 2025), (Decimal(90), (Decimal(80), 2022), 2025)]
    assert [t.metric for t in targets_of(text, compiled)] == ["研发投入强度", "重点产业采标率"]


def test_a_year_carries_on_through_its_paragraph(compiled):
    text = "到2025年,制造业产品质量合格率达到95%。新增国家级质检中心5个以上。到2035年,质量强省基本建成,品牌达到100个。\n"
    report = analyze_text("某省质量强省建设实施方案\n一、主要目标\n" + text, compiled)
    assert [(t.value, t.deadline_year) for t in report.targets] == [(95, 2025), (5, 2025), (100, 2035)]


def test_past_year_sentences_are_not_targets(compiled):
    text = "2023年,全市数字经济增加值达到1.03万亿元,新建5G基站1.1万个。\n到2024年底,新建5G基站1.2万个。"
    report = analyze_text("重庆市2024年数字经济发展重点任务\n" + text, compiled)
    assert [(t.value, t.deadline_year) for t in report.targets] == [(Decimal(12000), 2024)]


def test_deadline_year_comes_from_the_sentence_then_the_section_then_the_plan(compiled):
    text = (
        "一、2018年重点任务\n"
        "(一)推进换版。2018 年底前完成 5000家企业质量管理体系换版工作。\n"
        "二、长期目标\n"
        "(二)培育品牌。培育100个名牌产品。\n"
    )
    report = analyze_text("山西省质量提升规划(2017—2020年)\n" + text, compiled)
    years = {t.value: t.deadline_year for t in report.targets}
    assert years == {Decimal(5000): 2018, Decimal(100): 2020}


def test_indicator_table_rows_are_targets_with_baseline_and_binding(corpus_reports):
    report = corpus_reports["hubei-2016-quality-supervision-plan.txt"]
    by_metric = {t.metric: t for t in report.targets}
    t = by_metric["认证有效证书"]
    assert (t.value, t.unit, t.binding, t.deadline_year) == (Decimal(50000), "张", "expected", 2020)
    assert (t.baseline.value, t.baseline.year) == (Decimal(35000), 2015)
    # stated in the main table and again in a section table: one target, two mentions
    assert len([x for x in report.targets if x.value == 50000]) == 1
    assert len(t.mentions) == 2


def test_a_task_heading_that_ends_like_a_review_is_still_a_task(compiled):
    text = "(三)夯实质量发展基础\n主导和参与制修订国家标准和行业标准200项以上。\n"
    assert [t.value for t in targets_of(text, compiled)] == [200]


def test_an_item_that_reports_achievements_gives_no_targets(compiled):
    text = "一、总体要求\n1.质量工作取得明显成效。2016年全省制造业产品质量合格率达到92.6%;累计培育辽宁名牌产品1026个。\n二、主要目标\n到2020年,制造业产品质量合格率达到94%。\n"
    assert [t.value for t in targets_of(text, compiled)] == [94]


def test_review_sections_give_no_targets(corpus_reports):
    report = corpus_reports["hubei-2016-quality-supervision-plan.txt"]
    assert not [t for t in report.targets if t.section.startswith("一、")]


def test_every_target_quotes_its_source(corpus_reports, compiled):
    """The raw span of every target, normalized again, reads as the target's text."""
    from policyscan.model import RawText
    from policyscan.normalize import normalize

    def squash(s):
        return "".join(ch for ch in s if not ch.isspace() and ch != "|")

    for name, report in corpus_reports.items():
        raw = (CORPUS / name).read_text(encoding="utf-8").replace("\r\n", "\n")
        for t in report.targets:
            quoted = raw[t.span.start:t.span.end]
            again = normalize(RawText(name, quoted, "utf-8"), compiled).text
            assert squash(again) == squash(t.text), (name, t.metric, quoted)


def test_a_new_comparator_word_is_a_yaml_edit(compiled, tmp_path):
    sentence = "食品抽检不合格率不足2%。"
    assert targets_of(sentence, compiled)[0].comparator == "="
    text = (ROOT / "rules" / "comparators.yaml").read_text(encoding="utf-8")
    text += (
        "  - id: cmp.under-before\n"
        "    pattern: '不足'\n"
        "    emit: {comparator: '<', position: before}\n"
        "    examples: {match: [不足2%]}\n"
    )
    (tmp_path / "comparators.yaml").write_text(text, encoding="utf-8")
    assert targets_of(sentence, compiled_for(tmp_path))[0].comparator == "<"


INDICATOR_TABLES = {
    "numbered rows, units in the labels": [
        "序号", "指标", "2020年", "2025年", "属性",
        "1", "制造业产品质量合格率(%)", "93.8", "≥95", "预期性",
        "2", "有效注册商标总量(万件)", "86.3", "120", "预期性",
        "3", "万台特种设备死亡人数(人)", "0.19", "≤0.15", "约束性",
    ],
    "a unit column": [
        "指标名称", "单位", "2020年", "2025年", "属性",
        "制造业产品质量合格率", "%", "93.8", "≥95", "预期性",
        "有效注册商标总量", "万件", "86.3", "120", "预期性",
        "万台特种设备死亡人数", "人", "0.19", "≤0.15", "约束性",
    ],
    "rows aligned with spaces (PDF text)": [
        "指标                        2020年     2025年     属性",
        "制造业产品质量合格率(%)     93.8       ≥95        预期性",
        "有效注册商标总量(万件)      86.3       120        预期性",
        "万台特种设备死亡人数(人)    0.19       ≤0.15      约束性",
    ],
    "tab-separated rows": [
        "指标\t2020年\t2025年\t属性",
        "制造业产品质量合格率(%)\t93.8\t≥95\t预期性",
        "有效注册商标总量(万件)\t86.3\t120\t预期性",
        "万台特种设备死亡人数(人)\t0.19\t≤0.15\t约束性",
    ],
}


@pytest.mark.parametrize("cells", INDICATOR_TABLES.values(), ids=INDICATOR_TABLES.keys())
def test_indicator_table_layouts(compiled, cells):
    text = "某市“十四五”质量发展规划\n二、发展目标\n表1 “十四五”质量发展主要指标\n" + "\n".join(cells) + "\n三、主要任务\n"
    got = [
        (t.metric, t.comparator, t.value, t.unit, t.baseline.value, t.baseline.year, t.deadline_year, t.binding)
        for t in analyze_text(text, compiled).targets
    ]
    assert got == [
        ("制造业产品质量合格率", ">=", Decimal(95), "%", Decimal("93.8"), 2020, 2025, "expected"),
        ("有效注册商标总量", "=", Decimal(1200000), "件", Decimal(863000), 2020, 2025, "expected"),
        ("万台特种设备死亡人数", "<=", Decimal("0.15"), "人", Decimal("0.19"), 2020, 2025, "binding"),
    ]


def test_a_grouped_indicator_table(compiled):
    cells = [
        "类别", "指标名称", "2020年", "2025年", "属性",
        "产品质量", "制造业产品质量合格率(%)", "93.8", "≥95", "预期性",
        "农产品质量安全例行监测合格率(%)", "97.9", "≥98", "约束性",
        "质量基础", "有效注册商标总量(万件)", "86.3", "120", "预期性",
        "主导制修订国家标准(项)", "—", "200", "预期性",
    ]
    text = "某市“十四五”质量强市建设规划\n二、主要目标\n专栏1 主要指标\n" + "\n".join(cells) + "\n三、主要任务\n"
    got = [(t.metric, t.value, t.unit, t.baseline and t.baseline.value) for t in analyze_text(text, compiled).targets]
    assert got == [
        ("制造业产品质量合格率", Decimal(95), "%", Decimal("93.8")),
        ("农产品质量安全例行监测合格率", Decimal(98), "%", Decimal("97.9")),
        ("有效注册商标总量", Decimal(1200000), "件", Decimal(863000)),
        ("主导制修订国家标准", Decimal(200), "项", None),
    ]


def test_targets_in_a_task_table_take_the_row_deadline(compiled):
    cells = [
        "序号", "重点任务", "牵头单位", "配合单位", "完成时限",
        "1", "推动500家规模以上工业企业开展质量管理数字化升级", "市经信局", "市市场监管局", "2023年12月底前",
        "2", "建设国家级质检中心2个", "市市场监管局", "市发展改革委", "2024年6月底前",
        "3", "深化质量基础设施一站式服务", "市市场监管局", "市科技局", "持续推进",
    ]
    text = "合肥市2023年质量强市建设重点任务分工方案\n附件\n重点任务分工表\n" + "\n".join(cells) + "\n"
    got = [(t.value, t.unit, t.deadline_year) for t in analyze_text(text, compiled).targets]
    assert got == [(Decimal(500), "家", 2023), (Decimal(2), "个", 2024)]


def test_a_later_sentence_of_a_cell_does_not_date_an_earlier_one(compiled):
    cells = [
        "序号", "重点任务", "牵头单位", "完成时限",
        "1", "每年组织500家以上企业开展质量对标提升。2019年底前,全省推行首席质量官制度。", "省市场监管局", "持续推进",
        "2", "培育服务名牌200个。", "省商务厅", "2020年底前",
    ]
    text = "某省质量提升行动任务分工\n" + "\n".join(cells) + "\n"
    got = [(t.value, t.deadline_year) for t in analyze_text(text, compiled).targets]
    assert got == [(Decimal(500), None), (Decimal(200), 2020)]


def test_a_table_row_and_a_sentence_worded_apart_are_one_target(compiled):
    text = (
        "某省标准化“十四五”规划\n二、主要目标\n"
        "到2025年,主导和参与制修订国际标准20项以上、国家标准和行业标准600项以上。\n"
        "专栏1 主要指标\n"
        + "\n".join(["指标", "2020年", "2025年", "属性",
                     "主导和参与制修订国际标准(项)", "26", "20", "预期性",
                     "主导和参与制修订国家标准、行业标准(项)", "1150", "600", "预期性"])
        + "\n三、主要任务\n"
    )
    got = sorted((t.value, len(t.mentions)) for t in analyze_text(text, compiled).targets)
    assert got == [(Decimal(20), 2), (Decimal(600), 2)]


def test_each_later_year_column_is_a_target_of_its_year(compiled):
    cells = ["指标", "2020年", "2025年", "2035年", "属性",
             "重点用能单位能源计量器具配备率(%)", "93", "100", "100", "约束性",
             "社会公用计量标准(项)", "1200", "1500", "2000", "预期性"]
    text = "云南省计量发展规划(2021—2035年)\n二、发展目标\n专栏1 主要指标\n" + "\n".join(cells) + "\n三、主要任务\n"
    got = sorted((t.metric, t.value, t.deadline_year, t.baseline.value) for t in analyze_text(text, compiled).targets)
    assert got == [
        ("社会公用计量标准", Decimal(1500), 2025, Decimal(1200)),
        ("社会公用计量标准", Decimal(2000), 2035, Decimal(1200)),
        ("重点用能单位能源计量器具配备率", Decimal(100), 2025, Decimal(93)),
        ("重点用能单位能源计量器具配备率", Decimal(100), 2035, Decimal(93)),
    ]
