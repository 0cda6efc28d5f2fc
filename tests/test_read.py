"""read_text: encodings guessed and forced, standard input, HTML, DOCX, PDF, and errors."""
from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest

from policyscan.errors import ExitCode, PolicyscanError
from policyscan.read import choose_chinese, read_text

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
MORE = ROOT.parent / "shared" / "eval" / "more" / "docs"
SIMPLIFIED = ["hubei-2020-quality-province-opinions.txt", "shanxi-quality-certification-plan.txt",
              "guangdong-2016-quality-province-decision.txt"]  # fmt: skip
TRADITIONAL = [CORPUS / "gansu-2015-quality-action-plan.txt",
               MORE / "jilin-2016-food-safety-work-plan-traditional.txt"]  # fmt: skip


def _text(path: Path) -> str:
    if not path.exists():
        pytest.skip(f"{path} is not here")
    return path.read_text(encoding="utf-8")


def _write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


# ---------------------------------------------------------------- encodings


@pytest.mark.parametrize("name", SIMPLIFIED)
@pytest.mark.parametrize(
    "codec, reported",
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("gb18030", "gb18030"), ("gbk", "gb18030")],
)
def test_simplified_documents_decode_in_every_encoding(tmp_path, name, codec, reported):
    text = _text(CORPUS / name)
    if codec == "gbk":
        text = text.replace("\xa0", " ")  # not in GBK
    raw = read_text(_write(tmp_path, "doc.txt", text.encode(codec)))
    assert raw.text == text
    assert raw.encoding == reported


@pytest.mark.parametrize("path", TRADITIONAL, ids=lambda p: p.name)
@pytest.mark.parametrize("codec", ["big5", "gb18030", "utf-8", "utf-16"])
def test_traditional_documents_decode_in_every_encoding(tmp_path, path, codec):
    text = _text(path)
    raw = read_text(_write(tmp_path, "doc.txt", text.encode(codec)))
    assert raw.text == text
    assert raw.encoding == codec


@pytest.mark.parametrize("path", TRADITIONAL, ids=lambda p: p.name)
def test_single_lines_of_traditional_text_are_told_apart(tmp_path, path):
    """Every line of 8+ characters, alone, in Big5 and in GB18030."""
    lines = [line for line in _text(path).splitlines() if len(line) >= 8]
    assert lines
    for line in lines:
        for codec in ("big5", "gb18030"):
            raw = read_text(_write(tmp_path, "line.txt", line.encode(codec)))
            assert (raw.text, raw.encoding) == (line, codec)


@pytest.mark.parametrize(
    "text, codec",
    [
        ("環境質量", "big5"),
        ("食品安全重點工作", "big5"),
        ("省質監局牽頭", "big5"),
        ("發展綱要", "big5"),
        ("环境质量", "gb18030"),
        ("质量强省", "gb18030"),
        ("中小企业", "gb18030"),
        ("牵头单位", "gb18030"),
        ("發展綱要", "gb18030"),  # traditional text in GB18030
        ("環境質量", "gb18030"),
    ],
)
def test_short_ambiguous_bytes_pick_the_readable_decoding(text, codec):
    data = text.encode(codec)
    as_gb, as_big5 = data.decode("gb18030"), data.decode("big5")  # both decode
    assert choose_chinese(as_gb, as_big5) == codec


def test_utf16_without_bom(tmp_path):
    text = "湖北省质量强省工作委员会办公室\n2020年7月16日\n"
    raw = read_text(_write(tmp_path, "doc.txt", text.encode("utf-16-le")))
    assert raw.text == text


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_line_endings_become_newlines(tmp_path, ending):
    data = ending.join(["一、总体要求", "(一)指导思想。", ""]).encode("utf-8")
    assert read_text(_write(tmp_path, "doc.txt", data)).text == "一、总体要求\n(一)指导思想。\n"


def test_forced_encoding_is_used(tmp_path):
    text = "质量发展纲要"
    path = _write(tmp_path, "doc.txt", text.encode("gb18030"))
    raw = read_text(path, encoding="GBK")
    assert (raw.text, raw.encoding) == (text, "gbk")


def test_forced_encoding_that_does_not_fit(tmp_path):
    path = _write(tmp_path, "doc.txt", "质量发展纲要".encode("gb18030"))
    with pytest.raises(PolicyscanError) as err:
        read_text(path, encoding="utf-8")
    assert err.value.code == "input-bad-encoding"
    assert path in err.value.message and "utf-8" in err.value.message


def test_unknown_encoding_name(tmp_path):
    path = _write(tmp_path, "doc.txt", b"abc")
    with pytest.raises(PolicyscanError) as err:
        read_text(path, encoding="no-such-codec")
    assert err.value.code == "encoding-unknown"
    assert err.value.exit_code == ExitCode.USAGE


def test_standard_input(monkeypatch):
    text = "鄂质强办发〔2020〕1 号\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("gb18030"))))
    raw = read_text("-")
    assert (raw.source, raw.text, raw.encoding) == ("-", text, "gb18030")


# ---------------------------------------------------------------- HTML

PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>页面标题_政府网</title>
<style>p {{ color: red }}</style><script>var x = "脚本内容";</script></head>
<body><div class="nav">首页</div>
<h1>安徽省质量提升行动计划</h1>
<p>到2020年，全省质量总体水平明显提升&nbsp;，<b>制造业</b>产品质量合格率稳定在93%以上。</p>
<table><tr><th>指标</th><th>2020年</th></tr><tr><td>国家级质检中心</td><td>50个</td></tr></table>
<p>第一行<br>第二行</p>
</body></html>
"""


@pytest.mark.parametrize("name, charset, codec", [("page.html", "utf-8", "utf-8"), ("page.htm", "gb2312", "gb18030"),
                                                  ("page.txt", "utf-8", "utf-8")])  # fmt: skip
def test_html_text(tmp_path, name, charset, codec):
    data = PAGE.format(charset=charset).encode(codec)
    raw = read_text(_write(tmp_path, name, data))
    lines = raw.text.split("\n")
    assert lines == [
        "首页",
        "安徽省质量提升行动计划",
        "到2020年，全省质量总体水平明显提升\xa0，制造业产品质量合格率稳定在93%以上。",
        "指标",
        "2020年",
        "国家级质检中心",
        "50个",
        "第一行",
        "第二行",
    ]
    assert raw.encoding == codec


def test_text_that_mentions_html_is_not_html(tmp_path):
    text = "推进<html>标记语言标准化\n"
    assert read_text(_write(tmp_path, "doc.txt", text.encode("utf-8"))).text == text


# ---------------------------------------------------------------- DOCX

DOCX_BODY = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>青岛市消费品质量提升</w:t></w:r><w:r><w:t>三年行动方案</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">一、总体目标</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>指标</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>目标值</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:p><w:r><w:t>抽查合格率</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>95%</w:t></w:r></w:p>
<w:p><w:r><w:t>以上</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:r><w:t>二、重点任务</w:t></w:r></w:p>
<w:sectPr/></w:body></w:document>"""


def _docx(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in files.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def test_docx_paragraphs_and_cells_one_per_line(tmp_path):
    path = _write(tmp_path, "plan.docx", _docx({"[Content_Types].xml": "<Types/>", "word/document.xml": DOCX_BODY}))
    raw = read_text(path)
    assert raw.text.split("\n") == [
        "青岛市消费品质量提升三年行动方案",
        "一、总体目标",
        "指标",
        "目标值",
        "抽查合格率",
        "95% 以上",
        "二、重点任务",
    ]
    assert raw.encoding == "docx"


def test_zip_that_is_not_docx(tmp_path):
    path = _write(tmp_path, "plan.docx", _docx({"readme.txt": "hello"}))
    with pytest.raises(PolicyscanError) as err:
        read_text(path)
    assert err.value.code == "input-binary"


# ---------------------------------------------------------------- PDF


def _pdf(content: bytes) -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_pdf_text(tmp_path):
    pytest.importorskip("pypdf")
    path = _write(tmp_path, "plan.pdf", _pdf(b"BT /F1 12 Tf 20 100 Td (Quality target 95% by 2020) Tj ET"))
    raw = read_text(path)
    assert "Quality target 95% by 2020" in raw.text
    assert raw.encoding == "pdf"


def test_pdf_without_text(tmp_path):
    pytest.importorskip("pypdf")
    path = _write(tmp_path, "scan.pdf", _pdf(b""))
    with pytest.raises(PolicyscanError) as err:
        read_text(path)
    assert err.value.code == "input-pdf-no-text"
    assert err.value.exit_code == ExitCode.BAD_INPUT


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "name, data, code",
    [
        ("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "input-binary"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", "input-binary"),
        ("archive.gz", b"\x1f\x8b\x08\x00\x00\x00", "input-binary"),
        ("data.bin", bytes(range(256)) * 4, "input-binary"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "input-binary"),
        ("bad.txt", b"\xd6\xca\xc1\xbf\x80\xff\x80\xff", "input-undecodable"),
        ("empty.txt", b"", "input-empty"),
        ("blank.txt", "\ufeff \n\t\n".encode("utf-8"), "input-empty"),
        ("blank.html", b"<html><head><title>x</title></head><body> </body></html>", "input-empty"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "input-format"),
    ],
)
def test_unreadable_inputs(tmp_path, name, data, code):
    path = _write(tmp_path, name, data)
    with pytest.raises(PolicyscanError) as err:
        read_text(path)
    assert err.value.code == code
    assert err.value.exit_code == ExitCode.BAD_INPUT
    assert path in err.value.message and "\n" not in err.value.message


def test_missing_file(tmp_path):
    with pytest.raises(PolicyscanError) as err:
        read_text(str(tmp_path / "nope.txt"))
    assert err.value.code == "input-missing"


def test_directory(tmp_path):
    with pytest.raises(PolicyscanError) as err:
        read_text(str(tmp_path))
    assert err.value.code == "input-directory"
    assert "name the files inside it" in err.value.message


@pytest.mark.parametrize(
    "name, text",
    [("ok.txt", "二、重点任务\n"), ("nul-free.txt", "12365投诉举报热线\n")],
)
def test_plain_text_is_not_mistaken_for_binary(tmp_path, name, text):
    assert read_text(_write(tmp_path, name, text.encode("utf-8"))).text == text
