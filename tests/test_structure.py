"""Headings, sentences and tables rebuilt from one-cell-per-line text."""
from __future__ import annotations

import pytest

from policyscan.model import Document
from policyscan.structure import cell_kind, heading_of, parse
from tests.conftest import compiled_for

COMPILED = compiled_for()


def doc_of(text: str) -> Document:
    return Document("t.txt", text, text, tuple(range(len(text) + 1)), "utf-8")


@pytest.mark.parametrize(
    "line, expected",
    [
        ("一、完善质量发展市场机制", (1, "一、")),
        ("(十二)加快战略性新兴产业质量升级。", (2, "(十二)")),
        ("3.开展标准化拓展升级", (3, "3.")),
        ("(2)推广先进方法", (4, "(2)")),
        ("附件1:", (1, "附件1")),
        ("第一章 总体要求", (-2, "第一章")),
        ("第二节 主要任务", (-1, "第二节")),
        ("1.2023年底前建成省级质量基础设施一站式服务平台,实现全覆盖。", (3, "1.")),
        ("3.6月底前完成平台建设。(省市场监管局负责)", (3, "3.")),
        ("4.500家企业开展质量对标达标。(省工信厅负责)", (3, "4.")),
        ("2.5%的企业完成改造,形成一批示范。", None),
        ("3.5万张", None),
        ("2015年", None),
        ("“十三五”时期", None),
    ],
)
def test_heading_forms(line, expected):
    assert heading_of(line) == expected


def test_inline_heading_title_and_nested_sections():
    text = "一、总体要求\n(一)简政放权、清理行政审批事项。进一步减少审批事项。\n1.创新推广质量管理工具。推广先进方法。\n"
    s = parse(doc_of(text), COMPILED)
    assert [(h.label, h.title) for h in s.headings] == [
        ("一、", "总体要求"),
        ("(一)", "简政放权、清理行政审批事项"),
        ("1.", "创新推广质量管理工具"),
    ]
    assert s.sentences[-1].section == "一、(一)1."
    assert s.sentences[-1].text == "推广先进方法。"


def test_an_item_number_before_a_digit_continues_the_numbering():
    text = (
        "1.2023年底前建成一站式服务平台,实现全覆盖。\n"
        "2.150家企业开展质量对标,形成一批标杆。\n"
        "3.5万张\n"
    )
    s = parse(doc_of(text), COMPILED)
    assert [h.label for h in s.headings] == ["1.", "2."]
    # sentences leave the item number out, so 150 is not read as 2.150
    assert s.sentences[1].text.startswith("150家企业")


@pytest.mark.parametrize(
    "cell, kind",
    [("20%", "value"), ("3.5万张", "value"), ("﹤0.29", "value"), ("80%以上", "value"), ("5-6个", "value"),
     ("预期性", "attr"), ("/", "attr"), ("2015年", "year"), ("湖北名牌对GDP贡献率", "label")],
)
def test_cell_kinds(cell, kind):
    assert cell_kind(cell, COMPILED.tables) == kind


def test_flattened_indicator_table_is_rebuilt():
    cells = ["全省主要指标和目标", "指  标", "2015年", "2020年", "属  性",
             "湖北名牌对GDP贡献率", "20%", "25%", "预期性",
             "贯彻卓越绩效模式企业", "1051家", "3000家", "预期性",
             "可比性产品质量监督抽查合格率", "/", "95%", "预期性"]
    text = "\n\n".join(cells) + "\n\n四、主要任务\n"
    s = parse(doc_of(text), COMPILED)
    (table,) = s.tables
    assert table.title == "全省主要指标和目标"
    assert table.header == ("指标", "2015年", "2020年", "属性")
    assert [[c.text for c in row] for row in table.rows][1] == ["贯彻卓越绩效模式企业", "1051家", "3000家", "预期性"]
    assert s.headings[-1].label == "四、"  # the text resumes after the table


def test_short_lines_of_prose_are_not_a_table():
    text = "各市、州人民政府:\n省直各部门:\n现印发给你们。\n请认真贯彻执行。\n特此通知。\n"
    assert parse(doc_of(text), COMPILED).tables == ()


def test_hubei_tables(corpus_reports):
    # through the real pipeline: the four indicator tables and the annex list
    report = corpus_reports["hubei-2016-quality-supervision-plan.txt"]
    assert report.targets  # the tables feed the targets; details in test_targets


def test_a_task_table_with_long_cells_and_group_headings():
    cells = [
        "重点任务清单", "序号", "工作举措", "具体任务", "牵头单位", "配合单位", "完成时限",
        "一、推动芯片全链发展",
        "1", "聚力推动“GPU浙江造”。", "设立省重大科技专项支持GPU芯片、新型异构AI芯片等研发攻关。加快先进封装技术和产线发展,形成一批标志性成果。",
        "省科技厅", "省经信厅、省发展改革委", "2026年12月",
        "2", "推动EDA串链整合。", "全链条推动集成电路关键核心技术攻关。", "省经信厅", "无", "持续推进",
        "二、强化算力设施保障",
        "4", "有序推进算力布局。", "指导基础电信企业建设省级新型算力中心集群。", "省通信管理局", "省发展改革委", "2026年6月",
        "三、保障措施",
        "各地各部门要加强组织领导,确保各项任务落到实处。",
    ]
    s = parse(doc_of("\n".join(cells) + "\n"), COMPILED)
    assert [[r[0].text for r in t.rows] for t in s.tables] == [["1", "2"], ["4"]]
    assert s.tables[0].header == ("序号", "工作举措", "具体任务", "牵头单位", "配合单位", "完成时限")
    assert [t.section for t in s.tables] == ["一、", "二、"]
    assert s.sentences[-1].text.startswith("各地各部门")  # the text after the table is prose again


def test_a_group_heading_right_under_the_header_is_not_a_column():
    cells = ["序号", "工作任务", "责任单位", "完成时限", "一、压实食品安全责任",
             "1", "落实属地管理责任。", "各镇(街道)", "2023年6月底前",
             "2", "落实企业主体责任。", "县市场监管局", "2023年11月底前",
             "备注:各责任单位要明确一名联络员,定期报送工作进展情况。"]
    s = parse(doc_of("\n".join(cells) + "\n"), COMPILED)
    (table,) = s.tables
    assert table.header == ("序号", "工作任务", "责任单位", "完成时限")
    assert [[c.text for c in r][0] for r in table.rows] == ["1", "2"]
    assert len(table.rows[-1]) == 4  # the 备注 line after the table stays prose
