"""Agency names: canonical forms, reforms, and shapes of names the table does not know."""
from __future__ import annotations

import pytest

from policyscan.agencies import agency_shape, agency_words, clean_name, is_agency, resolve_agency


@pytest.mark.parametrize(
    "name, canonical",
    [
        ("省质监局", "省质量技术监督局"),
        ("省质量技术监督局", "省质量技术监督局"),
        ("省发展改革委", "省发展和改革委员会"),
        ("自治区发展改革委", "自治区发展和改革委员会"),
        ("湖南省发展和改革委员会", "湖南省发展和改革委员会"),
        ("市发改委", "市发展和改革委员会"),
        ("省人社厅", "省人力资源和社会保障厅"),
        ("省人力资源社会保障厅", "省人力资源和社会保障厅"),
        ("市人力社保局", "市人力资源和社会保障局"),
        ("省政府国资委", "省人民政府国有资产监督管理委员会"),
        ("省国资委", "省人民政府国有资产监督管理委员会"),
        ("团省委", "共青团省委"),
        ("省编办", "省委机构编制委员会办公室"),
        ("市市场监管局", "市市场监督管理局"),
        ("南宁海关", "南宁海关"),
        ("人民银行合肥中心支行", "中国人民银行合肥中心支行"),
        ("省食品药品监管局等", "省食品药品监督管理局"),
    ],
)
def test_known_names_get_their_canonical_name(compiled, name, canonical):
    agency = resolve_agency(name, compiled)
    assert agency.known
    assert agency.canonical == canonical
    assert agency.name == clean_name(name)  # kept as written, without a trailing 等


@pytest.mark.parametrize(
    "name, successor, year",
    [
        ("省质监局", "省市场监督管理局", 2018),
        ("省工商局", "省市场监督管理局", 2018),
        ("省食品药品监管局", "省市场监督管理局", 2018),
        ("省工信委", "省工业和信息化厅", 2018),
        ("省经信委", "省工业和信息化厅", 2018),
        ("省环保厅", "省生态环境厅", 2018),
        ("省农业厅", "省农业农村厅", 2018),
        ("省农委", "省农业农村厅", 2018),
        ("省卫生计生委", "省卫生健康委员会", 2018),
        ("省安监局", "省应急管理厅", 2018),
        ("市安监局", "市应急管理局", 2019),
        ("省国土资源厅", "省自然资源厅", 2018),
        ("省旅游局", "省文化和旅游厅", 2018),
        ("省旅游发展委", "省文化和旅游厅", 2018),
        # no reform
        ("省市场监管局", None, None),
        ("省发展改革委", None, None),
        ("市经济信息委", None, None),  # a municipality's 经信委 was not turned into a 厅
    ],
)
def test_reforms_name_the_successor(compiled, name, successor, year):
    agency = resolve_agency(name, compiled)
    assert (agency.successor, agency.reform_year) == (successor, year)


@pytest.mark.parametrize(
    "name, kind",
    [
        ("省质量发展领导小组成员单位", "collective"),
        ("省食品安全委员会各成员单位", "collective"),
        ("省直有关部门", "collective"),
        ("政府各相关职能部门", "collective"),
        ("各地人民政府", "government"),
        ("各区县(自治县)政府", "government"),
        ("各市、县人民政府", "government"),
        ("自治区水产畜牧兽医局", "department"),
        ("市消防救援支队", "department"),
        ("省某某事务服务中心", "department"),
        # a bureau's own divisions, in its annual work points
        ("法规处", "division"),
        ("认可与检验检测监督管理处", "division"),
        ("质量发展处", "division"),
        ("计量科", "division"),
        # names a republished copy masked keep their shape
        ("****体育局", "department"),
        ("县**局", "department"),
        ("****分局", "department"),
    ],
)
def test_unknown_names_are_recognised_by_shape(compiled, name, kind):
    assert agency_shape(name, compiled) == kind
    assert is_agency(name, compiled)


@pytest.mark.parametrize("name", ["省某某事务服务中心", "各地人民政府", "省质量发展领导小组成员单位"])
def test_unknown_names_are_kept_and_marked_unknown(compiled, name):
    agency = resolve_agency(name, compiled)
    assert agency.name == name
    assert (agency.known, agency.canonical, agency.successor) == (False, None, None)


@pytest.mark.parametrize("text", ["市、区", "WBL", "TC/SC", "2017—2020年", "质量管理小组", "旅游", "政府", "谁出证", "好处", "各处", "处", "****", "**局长"])
def test_words_that_are_not_agencies(compiled, text):
    assert not is_agency(text, compiled)


def test_dictionary_words_include_levelled_abbreviations(compiled):
    words = set(agency_words(compiled))
    assert {"省工信委", "省人社厅", "省发展改革委", "省质监局", "自治区市场监管局", "团省委"} <= words
    assert not any("{" in w for w in words)
