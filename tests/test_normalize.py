"""normalize: characters, Taiwan wording, widths, spaces, OCR digits, chrome, doubled bodies, offsets."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from opencc import OpenCC

from policyscan.model import RawText
from policyscan.normalize import Tracked, doubled_lines, normalize

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
MORE = ROOT.parent / "shared" / "eval" / "more" / "docs"
DOCUMENTS = sorted(CORPUS.glob("*.txt")) + sorted(MORE.glob("*.txt"))
HUBEI_2016 = CORPUS / "hubei-2016-quality-supervision-plan.txt"


def norm(text: str, compiled) -> str:
    return normalize(RawText("snippet.txt", text, "utf-8"), compiled).text


@pytest.fixture(scope="module")
def documents(compiled):
    if not DOCUMENTS:
        pytest.skip("no corpus documents")
    return {p.name: normalize(RawText(str(p), p.read_text(encoding="utf-8"), "utf-8"), compiled) for p in DOCUMENTS}


# ---------------------------------------------------------------- the offset map


@pytest.mark.parametrize(
    "edits, text, offsets",
    [
        ([(2, 3, "")], "abde", (0, 1, 3, 4, 5)),  # deletion
        ([(1, 2, "X")], "aXcde", (0, 1, 2, 3, 4, 5)),  # same length: one to one
        ([(0, 5, "xy")], "xy", (0, 4, 5)),  # shorter: first to first, last to last
        ([(1, 3, "wxyz")], "awxyzde", (0, 1, 1, 2, 2, 3, 4, 5)),  # longer
        ([(5, 5, "!")], "abcde!", (0, 1, 2, 3, 4, 5, 5)),  # insertion at the end
        ([(0, 1, ""), (4, 5, "")], "bcd", (1, 2, 3, 5)),
    ],
)
def test_tracked_edit(edits, text, offsets):
    t = Tracked.of("abcde").edit(edits)
    assert (t.text, t.offsets) == (text, offsets)


def test_tracked_edits_compose():
    t = Tracked.of("a  b  c").edit([(1, 3, "")]).edit([(2, 4, "")])
    assert t.text == "abc"
    assert t.offsets == (0, 3, 6, 7)


def test_tracked_edits_must_not_overlap():
    with pytest.raises(ValueError):
        Tracked.of("abcde").edit([(0, 3, ""), (2, 4, "")])


# ---------------------------------------------------------------- traditional -> simplified

TURNS = [  # traditional input, as the source documents phrase it -> mainland wording
    ("開展智慧財產權執法維權專項行動", "开展知识产权执法维权专项行动"),
    ("嚴厲查處利用網路、電視購物等渠道", "严厉查处利用网络、电视购物等渠道"),
    ("建立食品安全追溯資料庫", "建立食品安全追溯数据库"),
    ("完善質量獎評審程式和標準", "完善质量奖评审程序和标准"),
    ("強化對移動通信、積體電路、大數據", "强化对移动通信、集成电路、大数据"),
    ("最佳化整合政策資源", "优化整合政策资源"),
    ("廣泛開展民眾性質量活動", "广泛开展群众性质量活动"),
    ("不斷提升人民民眾的質量滿意度", "不断提升人民群众的质量满意度"),
    ("深入開展質量文化與中國小質量教育實踐基地建設", "深入开展质量文化与中小学质量教育实践基地建设"),
    ("加強質量信用信息共享與套用", "加强质量信用信息共享与应用"),
    ("著力解決群眾反映強烈的突出問題", "着力解决群众反映强烈的突出问题"),
    ("參照本行動計畫", "参照本行动计划"),
    ("發展軟體和積體電路產業", "发展软件和集成电路产业"),
]
KEEPS = [  # must come out as mainland text has them (OpenCC tw2sp would change the first seven)
    ("指標", "指标"),
    ("整合", "整合"),
    ("建立", "建立"),
    ("核心", "核心"),
    ("執行", "执行"),
    ("複製", "复制"),
    ("檔案", "档案"),
    ("研究反映全省質量發展狀況的質量指標體系", "研究反映全省质量发展状况的质量指标体系"),
    ("義烏中國小商品城", "义乌中国小商品城"),
    ("支持中國小微企業發展", "支持中国小微企业发展"),
    ("成效顯著力爭上游", "成效显著力争上游"),
    ("互聯網路由器", "互联网路由器"),
    ("方程式賽車", "方程式赛车"),
    ("廣大民眾", "广大民众"),
    ("整理企業資料", "整理企业资料"),
]


@pytest.mark.parametrize("text, want", TURNS + KEEPS, ids=[w for _, w in TURNS + KEEPS])
def test_traditional_to_mainland(compiled, text, want):
    assert norm(text, compiled) == want


@pytest.mark.parametrize("text", [w for _, w in TURNS + KEEPS])
def test_mainland_text_is_left_alone(compiled, text):
    assert norm(text, compiled) == text


# ---------------------------------------------------------------- widths

WIDTHS = [
    ("合格率达到９５％以上（２０２０年）", "合格率达到95%以上(2020年)"),
    ("目标：突破１０００家；", "目标:突破1000家;"),
    ("ＩＳＯ９００１认证", "ISO9001认证"),
    ("各市、县人民政府，省政府各部门：", "各市、县人民政府,省政府各部门:"),
    ("《计量发展规划》〔2014〕“十三五”。", "《计量发展规划》〔2014〕“十三五”。"),  # kept as they are
    ("湖南省市场监督管理局\u3000湖南省发展和改革委员会", "湖南省市场监督管理局 湖南省发展和改革委员会"),
]


@pytest.mark.parametrize("text, want", WIDTHS)
def test_full_width_to_half_width(compiled, text, want):
    assert norm(text, compiled) == want


# ---------------------------------------------------------------- spaces in numbers

SPACES = [
    ("管理体系认证企业突破 10000 家", "管理体系认证企业突破10000家"),
    ("2018 年底前完成5000家企业换版", "2018年底前完成5000家企业换版"),
    ("推动1 000家消费品企业", "推动1000家消费品企业"),
    ("通过 3-5 年努力", "通过3-5年努力"),
    ("鄂质强办发〔2020〕1 号", "鄂质强办发〔2020〕1号"),
    ("到2025 年,全市消费品", "到2025年,全市消费品"),
    ("新增 3-5 个国家质检中心、5-8 个省级质检中心", "新增3-5个国家质检中心、5-8个省级质检中心"),
    ("指  标", "指标"),
    ("年\u2002\u2002份", "年份"),
    # left alone
    ("中共广东省委 广东省人民政府关于实施质量强省战略的决定", "中共广东省委 广东省人民政府关于实施质量强省战略的决定"),
    ("国家级质检中心 26个 50个 预期性", "国家级质检中心 26个 50个 预期性"),
    ("推行“互联网 + 认证监管”方式", "推行“互联网 + 认证监管”方式"),
    ("通过 ISO 9001 认证", "通过 ISO 9001 认证"),
    ("Quality Management System 2015", "Quality Management System 2015"),
    ("发布时间:2023-04-18 10:32  来源:青岛市人民政府办公厅", "发布时间:2023-04-18 10:32  来源:青岛市人民政府办公厅"),
    ("专栏1 “十四五”时期全省市场监管主要指标", "专栏1 “十四五”时期全省市场监管主要指标"),
]


@pytest.mark.parametrize("text, want", SPACES)
def test_spaces_in_numbers(compiled, text, want):
    assert norm(text, compiled) == want


# ---------------------------------------------------------------- OCR letters in numbers

OCR = [
    ("与国际、地区实现互认的实验室超过lOOO家;", "与国际、地区实现互认的实验室超过1000家;"),
    ("lO.深化标准化工作改革。", "10.深化标准化工作改革。"),
    ("  l3.加强认证认可体系建设。", "13.加强认证认可体系建设。"),
    ("到2O2O年合格率达到9O%", "到2020年合格率达到90%"),
    # left alone
    ("落户广东的国际、国家标准化技术委员会/分技术委员会(TC/SC)分别达到5个", None),
    ("推行WBL试点", None),
    ("通过ISO9001认证", None),
    ("建设IoT平台", None),
    ("发展O2O模式", None),
    ("III级医院", None),
    ("IO接口", None),
    ("I.总体要求", None),
    ("降低CO2排放", None),
]


@pytest.mark.parametrize("text, want", OCR)
def test_ocr_letters_in_numbers(compiled, text, want):
    assert norm(text, compiled) == (want if want is not None else text)


# ---------------------------------------------------------------- page chrome

PAGE = """登录 注册 退出
青岛政务网　|　首页　|　政务公开　|　政务服务　|　互动交流　|　走进青岛
请输入关键词　搜索
当前位置：首页 > 政策法规 > 市政府办公厅文件
青岛市人民政府办公厅关于印发青岛市消费品质量提升三年行动方案的通知
发布时间：2023-04-18 10:32　　来源：青岛市人民政府办公厅　　浏览次数：2 417　　字号：大 中 小
栏目:湖北省市场监督管理局-部门新闻 发布时间:2016-06-13 加入收藏
发表于:2016-05-10 关注 
　　一、总体目标
　　高度关注民生,打印机产品质量合格率稳定在95%以上。
【打印本页】　【关闭窗口】
分享到：微信　微博
相关链接：山东省人民政府　|　国家市场监督管理总局
主办：青岛市人民政府办公厅　　承办：青岛市大数据发展管理局
网站标识码：3702000017　　鲁ICP备05004523号-1
http://www.zcbk.cn/uploads/allimg/20210508/1-21050Q11431415.jpg
扫描二维码查看原文
侦策百科收集整理,相关权利归属源作者
如二维码无法正常访问,请联系客服免费提供原文链接。
"""


def test_page_chrome_is_removed(compiled):
    assert norm(PAGE, compiled).split("\n") == [
        "青岛市人民政府办公厅关于印发青岛市消费品质量提升三年行动方案的通知",
        "发布时间:2023-04-18 10:32  来源:青岛市人民政府办公厅",
        "发布时间:2016-06-13",
        "发表于:2016-05-10",
        "一、总体目标",
        "高度关注民生,打印机产品质量合格率稳定在95%以上。",
    ]


@pytest.mark.parametrize(
    "name, chrome",
    [
        ("hubei-2016-quality-supervision-plan.txt", ["登录 注册 退出", "加入收藏", "扫描二维码", "侦策百科", "http://", "栏目:"]),
        ("guangdong-2016-quality-province-decision.txt", ["当前位置", " 关注"]),
        ("qingdao-2023-consumer-goods-quality-webpage.txt",
         ["登录", "首页", "请输入关键词", "当前位置", "浏览次数", "字号:大", "打印本页", "分享到", "相关链接", "ICP"]),
    ],
)  # fmt: skip
def test_corpus_chrome_is_gone(documents, name, chrome):
    if name not in documents:
        pytest.skip(f"{name} is not here")
    text = documents[name].text
    for token in chrome:
        assert token not in text, token
    assert re.search(r"(?:发布时间|发表于):\d{4}-\d\d-\d\d", text)


# ---------------------------------------------------------------- doubled body


def test_hubei_2016_body_is_kept_once(documents):
    doc = documents[HUBEI_2016.name]
    sentence = "在有关部门的积极协同协作下,全省质监工作以科学发展观为统领"
    assert doc.raw.count(sentence) == 2
    assert doc.text.count(sentence) == 1
    longest = max(len(line) for line in doc.text.split("\n"))
    assert longest < 5000
    # the paragraphed copy, with its tables and annexes, is what is kept
    for kept in ["一、“十二五”全省质监事业发展回顾", "年份", "行政处罚案件", "承建单位", "襄阳检测产业园", "附件:"]:
        assert kept in doc.text, kept


PARAGRAPHS = [f"({i})第{i}段内容,推进质量提升行动,加强标准化工作和检验检测体系建设,确保各项任务落到实处。" * 3 for i in range(1, 6)]


@pytest.mark.parametrize(
    "lines, dropped",
    [
        (["标题", "".join(PARAGRAPHS), "", *PARAGRAPHS], [1]),  # one line, then in paragraphs
        (["标题", " ".join(PARAGRAPHS)[:-40], *PARAGRAPHS], [1]),  # cut short, with spaces
        ([*PARAGRAPHS, "".join(PARAGRAPHS)], [5]),  # the one-line copy last
        (["标题", "".join(PARAGRAPHS)], []),  # no second copy
        (["".join(PARAGRAPHS), PARAGRAPHS[0], PARAGRAPHS[1]], []),  # only partly repeated
        ([PARAGRAPHS[0], "附件", PARAGRAPHS[0]], [2]),  # one paragraph again word for word (a page break): the copy goes
        (["短句。", "短句。", "短句。", "短句。"], []),
    ],
)
def test_doubled_lines(lines, dropped):
    assert doubled_lines("\n".join(lines)) == dropped


# ---------------------------------------------------------------- line structure


def test_lines_are_trimmed_and_blank_lines_dropped(compiled):
    assert norm("\n\n  一、总体要求  \n\n\n\t(一)指导思想。\n \n", compiled) == "一、总体要求\n(一)指导思想。"


# ---------------------------------------------------------------- offsets over the corpus

_T2S = OpenCC("t2s")
_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}


def _explained(raw_ch: str, in_context: str, ch: str, phrase_chars: set[str]) -> bool:
    """A character that differs from its raw character must come from a conversion."""
    return (
        ch in (_T2S.convert(raw_ch).translate(_WIDTH), in_context.translate(_WIDTH))
        or (raw_ch.isspace() and ch == " ")
        or (raw_ch in "lIOo" and ch in "10")
        or ch in phrase_chars
    )


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_offsets_lead_back_to_raw(compiled, documents, path):
    doc = documents[path.name]
    assert len(doc.offsets) == len(doc.text) + 1
    assert all(a <= b for a, b in zip(doc.offsets, doc.offsets[1:]))
    assert doc.offsets[-1] <= len(doc.raw)
    phrase_chars = set("".join(compiled["normalize"].tables["taiwan_phrases"].values()))
    simplified = _T2S.convert(doc.raw)  # phrases convert in context: 計畫 -> 计划, 畫 -> 画
    assert len(simplified) == len(doc.raw)
    unexplained = [
        (i, doc.raw[doc.offsets[i]], ch)
        for i, ch in enumerate(doc.text)
        if doc.raw[doc.offsets[i]] != ch
        and not _explained(doc.raw[doc.offsets[i]], simplified[doc.offsets[i]], ch, phrase_chars)
    ]
    assert unexplained == []


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_quoting_a_sentence_gives_its_raw_sentence(compiled, documents, path):
    doc = documents[path.name]
    checked = 0
    for m in re.finditer(r"[^。\n]+。?", doc.text):
        sentence = m.group().strip()
        if len(sentence) < 2:
            continue
        span = doc.raw_span(m.start(), m.end())
        quoted = doc.quote(span)
        assert norm(quoted, compiled) == sentence, (sentence, quoted)
        checked += 1
    assert checked > 10


def test_a_paragraph_repeated_across_a_page_break_is_kept_once(compiled):
    para = "(三)完善标准体系。到2025年,制修订地方标准200项以上(省市场监管局牵头,省工信厅配合)。"
    raw = RawText("t.txt", f"一、重点任务\n{para}\n第3页\n{para}\n(四)强化计量基础。\n", "utf-8")
    doc = normalize(raw, compiled)
    assert doc.text.count(para[:20]) == 1
    assert "(四)强化计量基础" in doc.text


def test_an_agency_clause_that_two_items_share_stays_with_both(compiled):
    clause = "(牵头单位:市市场监管局;配合单位:市科技局、市工业和信息化局)"
    text = f"(三)提升检验检测技术能力。加强能力建设。\n{clause}\n(九)提升计量测试服务能力。建设测试中心。\n{clause}\n"
    assert normalize(RawText("t.txt", text, "utf-8"), compiled).text.count(clause) == 2
