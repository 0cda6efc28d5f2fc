"""Tasks: numbered work items and the agency clauses that assign them."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from policyscan.extract.tasks import extract_tasks, find_clause, read_clause
from policyscan.model import Deadline, RawText
from policyscan.normalize import normalize
from policyscan.read import read_text
from policyscan.structure import parse

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _doc(text, compiled):
    return normalize(RawText("snippet.txt", text, "utf-8"), compiled)


def _tasks(text, compiled, deadlines=()):
    doc = _doc(text, compiled)
    return doc, extract_tasks(doc, parse(doc, compiled), tuple(deadlines), compiled)


def _roles(task):
    return ([a.name for a in task.lead], [a.name for a in task.cooperating], [a.name for a in task.responsible])


# ---------------------------------------------------------------- one clause


@pytest.mark.parametrize(
    "clause, lead, cooperating, responsible",
    [
        ("省质监局牵头,省发展改革委、省工信委配合", ["省质监局"], ["省发展改革委", "省工信委"], []),
        ("省环保厅、省建设厅、省水利厅牵头", ["省环保厅", "省建设厅", "省水利厅"], [], []),
        (
            "牵头单位:省质监局,责任单位:省发展改革委、省经信委、省旅游发展委等",
            ["省质监局"],
            ["省发展改革委", "省经信委", "省旅游发展委"],
            [],
        ),
        ("责任单位:省质监局", [], [], ["省质监局"]),
        ("责任单位:市通信管理局牵头,市经济信息委、各区县(自治县)政府配合", ["市通信管理局"], ["市经济信息委", "各区县(自治县)政府"], []),
        ("责任单位:市经济信息委,市市场监管局,市商务委", [], [], ["市经济信息委", "市市场监管局", "市商务委"]),
        ("自治区工业和信息化厅牵头,自治区市场监管局、自治区发展改革委参与", ["自治区工业和信息化厅"], ["自治区市场监管局", "自治区发展改革委"], []),
        ("牵头单位:省市场监管局;配合单位:省政务局、省公安厅", ["省市场监管局"], ["省政务局", "省公安厅"], []),
        ("省质量发展领导小组成员单位按职责分工负责", [], [], ["省质量发展领导小组成员单位"]),
        ("各地人民政府,省质量发展领导小组各成员单位按职责分工负责", [], [], ["各地人民政府", "省质量发展领导小组各成员单位"]),
        ("省卫生计生委、省质监局按职责分工负责", [], [], ["省卫生计生委", "省质监局"]),
        ("省市场监管局牵头,省发展改革委、省司法厅配合;2021年9月底前完成", ["省市场监管局"], ["省发展改革委", "省司法厅"], []),
        ("牵头单位:省质监局;配合单位:省财政厅;完成时限:2022年底", ["省质监局"], ["省财政厅"], []),
        ("自治区市场监管局、自治区商务厅牵头,南宁海关等参与", ["自治区市场监管局", "自治区商务厅"], ["南宁海关"], []),
        ("省质监局会同省发展改革委负责", ["省质监局"], ["省发展改革委"], []),
        ("各市、县人民政府负责", [], [], ["各市、县人民政府"]),
        # full-width punctuation, as before normalization
        ("省质监局牵头，省发展改革委、省工信委配合", ["省质监局"], ["省发展改革委", "省工信委"], []),
        ("牵头单位：市商务局；责任单位：市市场监管局、青岛海关", ["市商务局"], ["市市场监管局", "青岛海关"], []),
        # a bracket of bare agency names is responsible
        ("省发展改革委、省财政厅", [], [], ["省发展改革委", "省财政厅"]),
        # a role in a bracket after one name of a list
        ("责任单位:市商务局(牵头)、市文广旅局、市市场监管局", ["市商务局"], ["市文广旅局", "市市场监管局"], []),
        ("责任单位：省商务厅（牵头）、省文旅厅", ["省商务厅"], ["省文旅厅"], []),
        ("省发展改革委(牵头)、省财政厅", ["省发展改革委"], ["省财政厅"], []),
        # a bureau's own divisions, beside a role word
        ("法规处牵头,质量发展处配合", ["法规处"], ["质量发展处"], []),
        ("质量发展处负责", [], [], ["质量发展处"]),
        ("计量处、认可与检验检测监督管理处按职责分工负责;12月底前完成", [], [], ["计量处", "认可与检验检测监督管理处"]),
    ],
)
def test_clause_roles(compiled, clause, lead, cooperating, responsible):
    reading = read_clause(clause, compiled)
    assert reading is not None
    got = {role: [a.name for a in reading.assignments if a.role == role] for role in ("lead", "cooperating", "responsible")}
    assert got == {"lead": lead, "cooperating": cooperating, "responsible": responsible}


@pytest.mark.parametrize(
    "content",
    [
        "WBL", "TC/SC", "市、区", "2017—2020年", "质量管理小组", "旅游", "国发〔2015〕13号", "谁出证、谁负责,谁签字、谁担责", "以下简称省质监局", "",
        "法规处",  # a division without a role word is not a clause
        "完成时限:2023年底前",
        "主办单位:苏州市人民政府办公室  网站标识码:3205000003",
        "牵头",
    ],
)
def test_brackets_that_are_not_agency_clauses(compiled, content):
    assert read_clause(content, compiled) is None


@pytest.mark.parametrize(
    "paragraph, clause",
    [
        ("开展QC小组(质量管理小组)活动。(省质监局牵头,省工信委配合)", "(省质监局牵头,省工信委配合)"),
        ("健全12301(旅游)、12315(工商)等平台。(省质监局牵头)", "(省质监局牵头)"),
        ("标准化。〔自治区市场监管局负责〕", "〔自治区市场监管局负责〕"),
        ("完善评价制度。(省发展改革委、省财政厅)", "(省发展改革委、省财政厅)"),
        # an unbracketed clause at the end of the item
        ("组织企业开展对标达标。责任单位:市工信局、市市场监管局", "责任单位:市工信局、市市场监管局"),
        ("组织企业开展对标达标。牵头单位:市工信局;配合单位:市科技局。", "牵头单位:市工信局;配合单位:市科技局"),
        ("责任单位:市市场监管局牵头,市公安局等按职责分工负责", "责任单位:市市场监管局牵头,市公安局等按职责分工负责"),
        ("明确各项任务的责任单位和时限要求。", None),
        ("各责任单位于每年12月10日前报送年度工作进展情况。", None),
        # bare names count only at the end of the item
        ("会同(省发展改革委、省财政厅)研究制定办法。", None),
        ("推进“五小”(小建议、小革新)活动。", None),
        ("贯彻《计量发展规划(2013—2020年)》(甘政发〔2014〕114号)。", None),
    ],
)
def test_find_clause(compiled, paragraph, clause):
    found = find_clause(paragraph, 10, compiled)
    if clause is None:
        assert found is None
    else:
        assert found is not None and found.text == clause
        assert paragraph[found.start - 10:found.end - 10] == clause


# ---------------------------------------------------------------- tasks in documents


def test_trailing_clause_of_a_heading_item(compiled):
    text = (
        "一、完善质量发展市场机制\n"
        "(一)简政放权、清理行政审批事项。进一步减少行政审批事项。(省质量发展领导小组成员单位按职责分工负责)\n"
        "(二)完善质量发展激励机制。全面开展政府质量奖评选工作。(省质监局牵头,省发展改革委、省工信委配合)\n"
        "(三)加强宣传。开展质量月活动。\n"
    )
    doc, tasks = _tasks(text, compiled)
    assert [(t.section, t.title) for t in tasks] == [("(一)", "简政放权、清理行政审批事项"), ("(二)", "完善质量发展激励机制")]
    assert _roles(tasks[0]) == ([], [], ["省质量发展领导小组成员单位"])
    assert _roles(tasks[1]) == (["省质监局"], ["省发展改革委", "省工信委"], [])
    assert tasks[1].text == "(省质监局牵头,省发展改革委、省工信委配合)"
    assert doc.quote(tasks[1].span).startswith("(二)完善质量发展激励机制")
    assert doc.quote(tasks[1].span).endswith("配合)")
    assert tasks[1].lead[0].canonical == "省质量技术监督局"


def test_clause_on_its_own_line_after_the_item(compiled):
    text = (
        "二、重点任务\n"
        "\u3000\u3000(一)实施标准提档行动。组织企业对标国际先进标准。\n"
        "(牵头单位:市市场监管局;责任单位:市工业和信息化局、市商务局等)\n"
        "\u3000\u3000(二)实施消费维权行动。畅通消费投诉举报渠道。\n"
        "(各区(市)政府按职责分工负责)\n"
        "三、保障措施\n"
        "\u3000\u3000(一)强化组织推动。建立工作协调机制。\n"
    )
    _, tasks = _tasks(text, compiled)
    assert [(t.section, t.title) for t in tasks] == [("二、(一)", "实施标准提档行动"), ("二、(二)", "实施消费维权行动")]
    assert _roles(tasks[0]) == (["市市场监管局"], ["市工业和信息化局", "市商务局"], [])
    assert _roles(tasks[1]) == ([], [], ["各区(市)政府"])


def test_heading_line_then_body_with_clause(compiled):
    text = (
        "二、重点任务\n"
        "(一)大力推广先进方法。\n"
        "1.创新推广质量管理工具。推广先进成果经验。(牵头单位:省质监局,责任单位:省发展改革委等)\n"
        "三、组织保障\n"
        "(一)加强组织领导。\n"
        "建立联席会议工作机制。(责任单位:省质量强省领导小组成员单位)\n"
    )
    _, tasks = _tasks(text, compiled)
    assert [(t.section, t.title) for t in tasks] == [("1.", "创新推广质量管理工具"), ("三、(一)", "加强组织领导")]
    assert _roles(tasks[0]) == (["省质监局"], ["省发展改革委"], [])
    assert _roles(tasks[1]) == ([], [], ["省质量强省领导小组成员单位"])


def _deadline(doc, phrase, year, month=12, day=31, kind="by"):
    start = doc.text.index(phrase)
    span = doc.raw_span(start, start + len(phrase))
    date = dt.date(year, month, day) if year else None
    return Deadline(phrase, date, kind, span, "", phrase, "test")


@pytest.mark.parametrize(
    "body, bracket, phrases, year",
    [
        ("2018年底前完成换版工作。", "(省质监局牵头)", [("2018年底前", 2018)], 2018),
        ("持续推进。", "(省质监局牵头,省司法厅配合;2021年9月底前完成)", [("2021年9月底前", 2021)], 2021),
        ("到2025年培育300个。2023年底前完成评估。", "(省质监局牵头)", [("到2025年", 2025), ("2023年底前", 2023)], 2025),
        ("到2025年全面推广。", "(省质监局牵头;2022年6月底前完成)", [("到2025年", 2025), ("2022年6月底前", 2022)], 2022),
        ("每年组织开展活动。", "(省质监局牵头)", [("每年", None)], None),
        ("组织开展活动。", "(省质监局牵头)", [], None),
    ],
)
def test_deadlines_of_a_task(compiled, body, bracket, phrases, year):
    doc = _doc(f"一、任务\n(一)推进工作。{body}{bracket}\n(二)其他工作。到2030年完成。\n", compiled)
    deadlines = [_deadline(doc, p, y, kind="by" if y else "recurring") for p, y in phrases]
    deadlines.append(_deadline(doc, "到2030年", 2030))  # belongs to the next item
    tasks = extract_tasks(doc, parse(doc, compiled), tuple(deadlines), compiled)
    assert len(tasks) == 1
    assert tasks[0].deadline_year == year
    assert [d.text for d in tasks[0].deadlines] == [p for p, _ in phrases]


def test_traditional_corpus_document(compiled):
    doc = normalize(read_text(str(CORPUS / "gansu-2015-quality-action-plan.txt")), compiled)
    tasks = extract_tasks(doc, parse(doc, compiled), (), compiled)
    by_section = {t.section: t for t in tasks}
    # (二)完善質量發展激勵機制 … (省質監局牽頭,省發展改革委、省工信委、省財政廳、省人社廳配合)
    assert by_section["(二)"].title == "完善质量发展激励机制"
    assert _roles(by_section["(二)"]) == (["省质监局"], ["省发展改革委", "省工信委", "省财政厅", "省人社厅"], [])
    # the 12301(旅遊) hotline brackets in (二十) are not clauses
    assert all(len(a.name) > 2 for t in tasks for a in t.lead + t.cooperating + t.responsible)
    assert all(a.known or a.name.endswith(("单位", "政府")) for t in tasks for a in t.lead + t.cooperating)


@pytest.mark.parametrize("name", ["guangdong-2016-quality-province-decision.txt", "hubei-2020-quality-province-opinions.txt"])
def test_documents_without_agency_clauses_have_no_tasks(compiled, name):
    doc = normalize(read_text(str(CORPUS / name)), compiled)
    assert extract_tasks(doc, parse(doc, compiled), (), compiled) == ()


@pytest.mark.parametrize(
    "lines, roles, year",
    [
        (["牵头单位：市工信局；配合单位：市科技局、市市场监管局"], (["市工信局"], ["市科技局", "市市场监管局"], []), None),
        (
            ["牵头单位：省市场监管局", "配合单位：省公安厅、省交通运输厅、杭州海关"],
            (["省市场监管局"], ["省公安厅", "省交通运输厅", "杭州海关"], []),
            None,
        ),
        (
            ["牵头单位：市市场监管局", "配合单位：各市、区人民政府（管委会）", "完成时限：2026年底前"],
            (["市市场监管局"], ["各市、区人民政府(管委会)"], []),
            2026,
        ),
        (["责任单位：市工信局、市市场监管局，各区县政府、开发区管委会", "完成时限：2025年前"], ([], [], ["市工信局", "市市场监管局", "各区县政府", "开发区管委会"]), 2025),
        (["责任单位：市商务局（牵头）、市文广旅局、市市场监管局"], (["市商务局"], ["市文广旅局", "市市场监管局"], []), None),
        (["（市商务局牵头，市市场监管局配合）", "完成时限：每年"], (["市商务局"], ["市市场监管局"], []), None),
        # a web page's footer after the last item is not a clause
        (["【打印】　【关闭】", "主办单位：苏州市人民政府办公室　　网站标识码：3205000003"], None, None),
        (["完成时限：2023年底前"], None, None),
    ],
)
def test_clause_lines_after_the_item(compiled, lines, roles, year):
    body = "\n".join(lines)
    text = f"二、重点任务\n（一）提升产品质量。组织企业开展对标达标。\n{body}\n三、保障措施\n（一）加强组织领导。\n"
    doc = _doc(text, compiled)
    deadlines = []
    for phrase, y in (("2026年底前", 2026), ("2025年前", 2025), ("2023年底前", 2023)):
        if phrase in doc.text:
            deadlines.append(_deadline(doc, phrase, y))
    tasks = extract_tasks(doc, parse(doc, compiled), tuple(deadlines), compiled)
    if roles is None:
        assert tasks == ()
        return
    assert len(tasks) == 1
    assert tasks[0].title == "提升产品质量"
    assert _roles(tasks[0]) == roles
    assert tasks[0].deadline_year == year


@pytest.mark.parametrize(
    "header, row, roles",
    [
        (
            ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
            ["1", "推动500家规模以上工业企业开展质量管理数字化升级", "市经信局", "市市场监管局、市数据资源局", "2023年12月底前"],
            (["市经信局"], ["市市场监管局", "市数据资源局"], []),
        ),
        (
            ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
            ["2", "完善质量安全风险监测预警机制", "市市场监管局", "—", "长期坚持"],
            (["市市场监管局"], [], []),
        ),
        (["序号", "工作任务", "责任单位"], ["1", "开展质量月活动", "市市场监管局、市商务局"], ([], [], ["市市场监管局", "市商务局"])),
        # a table without role columns gives no task
        (["序号", "指标", "2025年目标"], ["1", "制造业产品质量合格率", "95%"], None),
    ],
)
def test_rows_of_a_task_table(compiled, header, row, roles):
    other = ["2" if row[0] == "1" else "1", "开展质量对标活动", *(["省质监局"] if "单位" in "".join(header) else [])][: len(header)]
    other += ["2023年底前"] * (len(header) - len(other))
    rows = [*row, *other] if row[0] == "1" else [*other, *row]  # a table needs two numbered rows
    lines = "\n".join(["附件", "重点任务分工表", *header, *rows, "三、保障措施", "（一）加强组织领导。"])
    doc, tasks = _tasks(lines + "\n", compiled)
    table_tasks = [t for t in tasks if t.title == row[1]]
    if roles is None:
        assert table_tasks == []
        return
    assert len(table_tasks) == 1
    assert table_tasks[0].section == row[0]
    assert _roles(table_tasks[0]) == roles


# ---------------------------------------------------------------- clauses as real documents write them


@pytest.mark.parametrize(
    "clause, lead, cooperating, responsible",
    [
        # a second sentence in the bracket that names no agency is passed over
        ("市场监管总局牵头,各有关部门按职责分工负责。以下均需地方负责,不再列出", ["市场监管总局"], [], ["各有关部门"]),
        ("2023年底前完成。省质监局负责", [], [], ["省质监局"]),
        ("省质监局牵头。省科技厅配合", ["省质监局"], ["省科技厅"], []),
        ("省质监局、工业和信息化厅负责落实", [], [], ["省质监局", "工业和信息化厅"]),
        # what follows a time-limit label is time, not an agency
        ("责任单位:县农业农村局;完成时限:2025年11月底前,并长期坚持", [], [], ["县农业农村局"]),
        ("牵头单位:省质监局;完成时限:2022年底,逐年推进;配合单位:省财政厅", ["省质监局"], ["省财政厅"], []),
        # the lead and the rest as the clause says it
        ("县生态环境分局牵头,各有关部门按照职责分工负责", ["县生态环境分局"], [], ["各有关部门"]),
        ("国家发展改革委、科技部牵头,各有关部门按职责分工负责", ["国家发展改革委", "科技部"], [], ["各有关部门"]),
    ],
)
def test_clauses_of_several_sentences(compiled, clause, lead, cooperating, responsible):
    reading = read_clause(clause, compiled)
    assert reading is not None
    got = {role: [a.name for a in reading.assignments if a.role == role] for role in ("lead", "cooperating", "responsible")}
    assert got == {"lead": lead, "cooperating": cooperating, "responsible": responsible}


@pytest.mark.parametrize(
    "content",
    ["以下均需地方负责,不再列出。各地要认真负责", "完成时限:2025年11月底前,并长期坚持", "以下简称省质监局。不再列出"],
)
def test_sentences_that_assign_no_agency(compiled, content):
    assert read_clause(content, compiled) is None


@pytest.mark.parametrize(
    "item, lines, title, roles",
    [
        # the role on a line of its own after the item, without brackets
        ("1.提升产品质量。加强控制,提高档次。", ["省质监局、工业和信息化厅、省政府国资委负责落实。"], "提升产品质量", ([], [], ["省质监局", "工业和信息化厅", "省政府国资委"])),
        ("1.提升产品质量。加强控制。", ["省质监局牵头,省科技厅配合。"], "提升产品质量", (["省质监局"], ["省科技厅"], [])),
        # two role brackets in one item: both count, an agency keeps its first role
        (
            "1.实施专项行动。完善标准管理制度。(区卫生健康委负责)严格落实新标准。(区农业农村局负责)",
            [],
            "实施专项行动",
            ([], [], ["区卫生健康委", "区农业农村局"]),
        ),
        (
            "1.实施专项行动。完善制度。(区卫生健康委牵头)",
            ["严格落实新标准。(区卫生健康委、区农业农村局负责)"],
            "实施专项行动",
            (["区卫生健康委"], [], ["区农业农村局"]),
        ),
        # the role stated at the start of the item
        ("(一)由省经贸委负责,省农业厅、环保局配合,加快基地建设。", [], "加快基地建设", ([], ["省农业厅", "环保局"], ["省经贸委"])),
        ("(一)由省卫生厅牵头,省工商局、质监局配合,加强监督检查。", [], "加强监督检查", (["省卫生厅"], ["省工商局", "质监局"], [])),
        (
            "(一)由省经贸委负责,省农业厅、环保局、福建出入境检验检疫局、厦门出入境检验检疫局配合,加快省级无公害畜禽基地建设,"
            "确定一批省级规模生猪、蛋禽无公害基地,重点做好省级无公害畜禽基地农业投入品使用的监管、生产技术操作规程等培训工作。",
            [],
            "加快省级无公害畜禽基地建设",
            ([], ["省农业厅", "环保局", "福建出入境检验检疫局", "厦门出入境检验检疫局"], ["省经贸委"]),
        ),
        # the bracket keeps its literal reading
        ("(一)强化标准攻关。开展研究。〔国家发展改革委牵头,各有关部门按职责分工负责。以下均需地方负责,不再列出〕", [], "强化标准攻关", (["国家发展改革委"], [], ["各有关部门"])),
        # lines and openers that are not clauses
        ("1.提升产品质量。加强控制。", ["各地要高度重视,认真负责。"], None, None),
        ("1.提升产品质量。加强控制。", ["企业是质量第一责任人,对产品质量负责。"], None, None),
        ("(一)由企业自主开展,政府负责监督,提升质量。", [], None, None),
        ("(一)由省质监局负责组织实施质量提升行动。", [], None, None),
        ("1.提升产品质量。", ["省质监局、生产企业负责落实。"], None, None),
    ],
)
def test_roles_as_real_documents_state_them(compiled, item, lines, title, roles):
    text = "\n".join(["一、重点任务", item, *lines, "二、保障措施", "(一)加强组织领导。"]) + "\n"
    _, tasks = _tasks(text, compiled)
    if roles is None:
        assert tasks == ()
        return
    assert len(tasks) == 1
    assert tasks[0].title == title
    assert _roles(tasks[0]) == roles


@pytest.mark.parametrize(
    "lines, rows",
    [
        (
            [
                "| 序号 | 工作措施 | 责任单位 | 完成时限 |",
                "| 1 | 加强农用地土壤污染源头防控。 | 县生态环境分局牵头,各有关部门按照职责分工负责 | 2025年11月底前 |",
                "| 2 | 持续开展兽药使用减量行动。 | 县农业农村局 | 2025年11月底前 |",
            ],
            [("1", "加强农用地土壤污染源头防控", (["县生态环境分局"], [], ["各有关部门"])), ("2", "持续开展兽药使用减量行动", ([], [], ["县农业农村局"]))],
        ),
        # (a cell's title stops at its first full stop, as a heading's does)
        # a row under cells that span rows leaves them out and ends in empty cells
        (
            [
                "| 工作目标 | 工作内容 | 工作措施 | 责任单位 | 完成时限 |",
                "| 一、加大治理力度 | (一)强化源头治理 | 1.加强源头防控。 | 县生态环境分局牵头,各有关部门按照职责分工负责 | 2025年11月底前,并长期坚持 |",
                "| 2.持续开展兽药使用减量行动。 | 县农业农村局 | 2025年11月底前,并长期坚持 | ||",
                "| (二)严控残留超标 | 3.深入开展攻坚治理。 | 县农业农村局、县市场监管局 | 2025年11月底前 | |",
            ],
            [
                ("1.", "加强源头防控", (["县生态环境分局"], [], ["各有关部门"])),
                ("2.", "持续开展兽药使用减量行动", ([], [], ["县农业农村局"])),
                ("3.", "深入开展攻坚治理", ([], [], ["县农业农村局", "县市场监管局"])),
            ],
        ),
        (
            ["| 序号 | 牵头单位 | 配合单位 |", "|---|---|---|", "| 1 | 市工信局 | 市科技局 |", "| 2 | 市商务局 | — |"],
            [("1", "", (["市工信局"], ["市科技局"], [])), ("2", "", (["市商务局"], [], []))],
        ),
        # pipe tables without role columns, or with no agency in them, give no task
        (["| 序号 | 指标 | 2025年目标 |", "| 1 | 产品质量合格率 | 95% |", "| 2 | 标准数量 | 300项 |"], []),
        (["| 序号 | 工作措施 | 责任单位 |", "| 1 | 开展活动 | 长期坚持 |", "| 2 | 开展宣传 | 每年 |"], []),
    ],
)
def test_rows_of_a_pipe_table(compiled, lines, rows):
    _, tasks = _tasks("\n".join(["重点工作任务清单", *lines, ""]), compiled)
    assert [(t.section, t.title, _roles(t)) for t in tasks] == rows
