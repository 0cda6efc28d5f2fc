"""jieba segmentation with agency names from the rule files."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest



@pytest.mark.parametrize(
    "text, word",
    [
        ("省质监局牵头,省发展改革委、省工信委、省财政厅、省人社厅配合", "省工信委"),
        ("省质监局牵头,省发展改革委、省工信委、省财政厅、省人社厅配合", "省人社厅"),
        ("省质监局牵头,省发展改革委、省工信委、省财政厅、省人社厅配合", "省发展改革委"),
        ("省质监局牵头,省发展改革委、省工信委、省财政厅、省人社厅配合", "省质监局"),
        ("自治区市场监管局负责", "自治区市场监管局"),
        ("团省委、省妇联、省总工会配合", "团省委"),
    ],
)
def test_agency_names_are_single_tokens(compiled, text, word):
    assert word in [w for w, _, _ in compiled.tokens(text)]


@pytest.mark.parametrize(
    "text",
    [
        "全面开展省、市、县三级政府质量奖评选工作",
        "省质监局牵头,省发展改革委、省工信委配合",
        "",
    ],
)
def test_positions_cover_the_text(compiled, text):
    got = compiled.tokens(text)
    assert "".join(w for w, _, _ in got) == text
    assert all(text[s:e] == w for w, s, e in got)
    assert all(a[2] == b[1] for a, b in zip(got, got[1:]))


def test_ordinary_words_are_not_glued_to_levels(compiled):
    words = [w for w, _, _ in compiled.tokens("全面开展省、市、县三级政府质量奖评选工作")]
    assert "省" in words and "市" in words


def test_loading_is_quiet():
    code = (
        "from policyscan.analyzer import Analyzer\n"
        "Analyzer().compiled.tokens('省质监局牵头')\n"
    )
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH")) if p)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert done.stderr == ""
