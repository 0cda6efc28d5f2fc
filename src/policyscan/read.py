"""A path (or ``-`` for standard input) -> raw text.

Plain text in UTF-8 (with or without BOM), UTF-16/32 (with BOM), GB18030/GBK
or Big5 is decoded without being told which; HTML, DOCX and PDF are turned
into plain text with one paragraph (or table cell) per line. The raw text is
the decoded text with ``\\n`` line endings: every span counts its characters.
"""
from __future__ import annotations

import codecs
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
import io
import os
import re
import stat
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

from opencc import OpenCC

from policyscan.errors import PolicyscanError
from policyscan.model import RawText

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})

# magic numbers of files that are not documents we read
BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"RIFF", "RIFF media file"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ", "xz archive"),
    (b"7z\xbc\xaf", "7-Zip archive"),
    (b"Rar!", "RAR archive"),
    (b"\x7fELF", "executable"),
    (b"MZ", "Windows executable"),
    (b"\xd0\xcf\x11\xe0", "legacy Office (.doc/.xls) file; save it as .docx"),
    (b"\x00\x00\x01\x00", "icon"),
)

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # 50 MiB: a larger document is refused before it is read
MAX_BYTES_ENV = "POLICYSCAN_MAX_BYTES"
_SIZE = re.compile(r"\s*(\d+)\s*([kmg]?)i?b?\s*", re.I)


def max_bytes() -> int:
    """The size limit of a document: ``POLICYSCAN_MAX_BYTES`` (a number of bytes, or 500K, 50M, 2G) or 50 MiB."""
    value = os.environ.get(MAX_BYTES_ENV)
    if not value:
        return DEFAULT_MAX_BYTES
    m = _SIZE.fullmatch(value)
    if not m or int(m.group(1)) == 0:
        raise PolicyscanError("max-bytes-invalid", env=MAX_BYTES_ENV, value=value)
    return int(m.group(1)) * 1024 ** " kmg".index((m.group(2) or " ").lower())


def _size(n: int) -> str:
    return f"{n:,} bytes" + (f" ({n / 1024 / 1024:g} MiB)" if n >= 1024 * 1024 else "")


def read_text(path: str, encoding: str | None = None, chinese: "ChineseTests | None" = None) -> RawText:
    """Read a document as text; ``encoding`` forces the codec of a text file.

    A document larger than ``max_bytes()`` is refused before it is read, and
    so is anything that is not a regular file (a named pipe or a device would
    block or never end).

    ``chinese`` tells GB18030 from Big5 when the bytes decode as both (the
    Analyzer passes its OpenCC converter and jieba dictionary); without it,
    the tests build their own for the call.
    """
    if encoding is not None:
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            raise PolicyscanError("encoding-unknown", encoding=encoding) from None
    data = _read_bytes(path)
    if data.startswith(b"PK\x03\x04"):
        text, used = _docx_text(path, data), "docx"
    elif data.startswith(b"%PDF-"):
        text, used = _pdf_text(path, data), "pdf"
    else:
        for magic, kind in BINARY_MAGIC:
            if data.startswith(magic):
                raise PolicyscanError("input-binary", path=path, kind=kind)
        text, used = decode(path, data, encoding, chinese)
        if _is_html(path, text):
            text = html_text(text)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise PolicyscanError("input-empty", path=path)
    return RawText(source=path, text=text, encoding=used, sha256=hashlib.sha256(data).hexdigest())


def encoding_doubt(raw: RawText, forced: str | None) -> str | None:
    """A warning when a forced encoding gave text without one Chinese character: it is likely the wrong one."""
    if forced is None or raw.encoding in ("docx", "pdf") or any("\u4e00" <= ch <= "\u9fff" for ch in raw.text):
        return None
    return f"{raw.source}: decoded as {raw.encoding}, the text has no Chinese characters; the encoding looks wrong (leave --encoding out to have it detected)"


_SPECIAL = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _read_bytes(path: str) -> bytes:
    limit = max_bytes()
    if path == "-":
        data = sys.stdin.buffer.read(limit + 1)
        if len(data) > limit:
            raise PolicyscanError("input-too-large", path=path, size=f"more than {_size(limit)}", limit=_size(limit), env=MAX_BYTES_ENV)
        return data
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise PolicyscanError("input-missing", path=path) from None
    except OSError as exc:
        raise PolicyscanError("input-unreadable", path=path, reason=exc.strerror or exc) from None
    if stat.S_ISDIR(st.st_mode):
        raise PolicyscanError("input-directory", path=path)
    if not stat.S_ISREG(st.st_mode):
        kind = next((name for test, name in _SPECIAL if test(st.st_mode)), "not a regular file")
        raise PolicyscanError("input-special", path=path, kind=kind)
    if st.st_size > limit:
        raise PolicyscanError("input-too-large", path=path, size=f"{st.st_size:,} bytes", limit=_size(limit), env=MAX_BYTES_ENV)
    try:
        with open(path, "rb") as f:
            data = f.read(limit + 1)  # a file that grew since the stat is still bounded
    except FileNotFoundError:
        raise PolicyscanError("input-missing", path=path) from None
    except OSError as exc:
        raise PolicyscanError("input-unreadable", path=path, reason=exc.strerror or exc) from None
    if len(data) > limit:
        raise PolicyscanError("input-too-large", path=path, size=f"more than {_size(limit)}", limit=_size(limit), env=MAX_BYTES_ENV)
    return data


# ---------------------------------------------------------------- decoding


def decode(path: str, data: bytes, encoding: str | None = None, chinese: "ChineseTests | None" = None) -> tuple[str, str]:
    """(text, codec name) of the bytes of a text or HTML file."""
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            reason = f"byte 0x{data[exc.start]:02x} at offset {exc.start}"
            raise PolicyscanError("input-bad-encoding", path=path, encoding=encoding, reason=reason) from None
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                raise PolicyscanError("input-undecodable", path=path, tried=codec.upper()) from None
    if b"\x00" in data:
        return _utf16_without_bom(path, data)
    declared = _declared_charset(data)
    if declared:
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError:
            pass  # the page lies about its charset: guess as for plain text
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: dict[str, str] = {}
    for codec in ("gb18030", "big5"):
        try:
            candidates[codec] = data.decode(codec)
        except UnicodeDecodeError:
            continue
    if not candidates:
        return _detected(path, data)
    if len(candidates) == 1:
        codec, text = next(iter(candidates.items()))
        return text, codec
    codec = choose_chinese(candidates["gb18030"], candidates["big5"], chinese)
    return candidates[codec], codec


def _detected(path: str, data: bytes) -> tuple[str, str]:
    """Bytes that are neither UTF-8, GB18030 nor Big5: charset-normalizer's best guess, if it reads as Chinese."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        text = str(best)
        wide = [ch for ch in text if ord(ch) >= 0x80 and not ch.isspace()]
        cjk = sum(1 for ch in wide if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef")
        if cjk >= 20 and cjk >= 0.95 * len(wide):  # a real Chinese text in another code page, not noise
            return text, codecs.lookup(best.encoding).name
    mixed = _mixed(data)
    if mixed:
        raise PolicyscanError("input-mixed-encoding", path=path, line=mixed[0], other=mixed[1])
    raise PolicyscanError("input-undecodable", path=path, tried="UTF-8, GB18030 or Big5")


def _mixed(data: bytes) -> tuple[int, str] | None:
    """(line, codec) when the bytes are UTF-8 text up to a point and another Chinese encoding from there on."""
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as exc:
        start = exc.start
    if not any(b >= 0x80 for b in data[:start]):  # nothing but ASCII before: not a UTF-8 text
        return None
    # the switch is at the first byte UTF-8 refuses, or a few bytes before it (bytes of the other encoding may pass as UTF-8)
    line_start = data.rfind(b"\n", 0, start) + 1
    for cut in (*range(start, max(line_start, start - 8) - 1, -1), line_start):
        for codec in ("gb18030", "big5"):
            try:
                data[:cut].decode("utf-8")
                data[cut:].decode(codec)
            except UnicodeDecodeError:
                continue
            return data.count(b"\n", 0, cut) + 1, codec.upper()
    return None


@dataclass(frozen=True)
class ChineseTests:
    """What telling GB18030 from Big5 needs: traditional -> simplified, and whether two characters are a word."""

    simplify: Callable[[str], str]
    is_word: Callable[[str], bool]

    @classmethod
    def standalone(cls) -> "ChineseTests":
        """For a caller without an Analyzer: a converter of its own, and jieba's dictionary loaded only if a tie needs it."""
        from policyscan.segment import Segmenter

        segmenter = functools.cache(Segmenter)
        return cls(OpenCC("t2s").convert, lambda w: segmenter().is_word(w))


def choose_chinese(as_gb: str, as_big5: str, chinese: ChineseTests | None = None) -> str:
    """'gb18030' or 'big5': which decoding of the same bytes reads as Chinese.

    Bytes in Big5 always decode as GB18030 too (and short GBK texts often
    decode as Big5), into characters few texts use. The decoding with the
    larger share of common characters (GB2312 level 1, after conversion to
    simplified) wins; on a tie, the one with more dictionary words.
    """
    chinese = chinese or ChineseTests.standalone()
    gb, big5 = _common_share(as_gb, chinese), _common_share(as_big5, chinese)
    if gb != big5:
        return "gb18030" if gb > big5 else "big5"
    return "big5" if _word_pairs(as_big5, chinese) > _word_pairs(as_gb, chinese) else "gb18030"


_COMMON_PUNCT = frozenset("，。、；：？！“”‘’（）《》〈〉【】〔〕…—·％　")


def _common_share(text: str, chinese: ChineseTests) -> float:
    text = chinese.simplify(text)
    total = good = 0
    for ch in text:
        if ord(ch) < 0x80:
            continue
        total += 1
        if ch in _COMMON_PUNCT or _gb2312_level1(ch):
            good += 1
    return good / total if total else 0.0


@functools.lru_cache(maxsize=None)
def _gb2312_level1(ch: str) -> bool:
    try:
        code = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(code) == 2 and 0xB0 <= code[0] <= 0xD7


def _word_pairs(text: str, chinese: ChineseTests) -> int:
    text = chinese.simplify(text)
    return sum(1 for i in range(len(text) - 1) if chinese.is_word(text[i : i + 2]))


def _utf16_without_bom(path: str, data: bytes) -> tuple[str, str]:
    """NUL bytes: UTF-16 without a byte order mark, or a binary file."""
    if len(data) % 2 == 0:
        for codec in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if _looks_like_text(text):
                return text, codec
    raise PolicyscanError("input-binary", path=path, kind="contains NUL bytes")


def _looks_like_text(text: str) -> bool:
    sample = text[:4000]
    texty = sum(1 for ch in sample if ch.isprintable() or ch in "\n\r\t" or "\u4e00" <= ch <= "\u9fff")
    return bool(sample) and texty / len(sample) > 0.95 and "\x00" not in sample


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)


def _declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a <meta> tag, if Python knows it."""
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    try:
        name = codecs.lookup(m.group(1).decode("ascii")).name
    except LookupError:
        return None
    # pages labelled gb2312/gbk are routinely GB18030 in fact
    return "gb18030" if name in {"gb2312", "gbk"} else name


# ---------------------------------------------------------------- HTML

# a page starts with <!DOCTYPE html> or <html>, maybe after an XML declaration or comments
_HTML_SNIFF = re.compile(r"\ufeff?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])", re.I | re.S)


def _is_html(path: str, text: str) -> bool:
    return Path(path).suffix.lower() in HTML_SUFFIXES or bool(_HTML_SNIFF.match(text[:4096]))


class _HTMLText(HTMLParser):
    """Text of an HTML page: script/style dropped, block elements as line breaks."""

    SKIP = frozenset({"script", "style", "noscript", "template", "head", "title", "svg", "iframe", "object"})
    BLOCK = frozenset(
        {
            "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
            "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
            "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot",
            "th", "thead", "tr", "ul",
        }
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping.append(tag)
        elif tag in self.BLOCK:
            self.parts.append("\n")
        if tag == "pre":
            self.pre += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and tag in self.SKIP:
            while self.skipping and self.skipping.pop() != tag:
                pass
        elif tag in self.BLOCK:
            self.parts.append("\n")
        if tag == "pre" and self.pre:
            self.pre -= 1

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        self.parts.append(data if self.pre else re.sub(r"[ \t\r\n\f]+", " ", data))


def html_text(html: str) -> str:
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    lines = (line.strip(" \t") for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------- DOCX

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_text(path: str, data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise PolicyscanError("input-binary", path=path, kind="zip archive")
            xml = archive.read("word/document.xml")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError) as exc:
        raise PolicyscanError("input-format", path=path, reason=f"not a readable DOCX file ({exc}); save it again or as .txt") from None
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        raise PolicyscanError("input-format", path=path, reason=f"broken DOCX document.xml ({exc}); save it again or as .txt") from None
    body = root.find(f"{W}body")
    lines: list[str] = []
    if body is not None:
        _docx_block(body, lines)
    return "\n".join(lines)


def _docx_block(element: ElementTree.Element, lines: list[str]) -> None:
    """Paragraphs one per line; a table's cells one per line, row by row."""
    for child in element:
        if child.tag == f"{W}p":
            lines.append(_docx_paragraph(child))
        elif child.tag == f"{W}tbl":
            for row in child.iter(f"{W}tr"):
                for cell in row.findall(f"{W}tc"):
                    texts = [_docx_paragraph(p) for p in cell.iter(f"{W}p")]
                    lines.append(" ".join(t for t in texts if t.strip()))
        else:  # w:sdt, w:customXml and the like wrap paragraphs
            _docx_block(child, lines)


def _docx_paragraph(p: ElementTree.Element) -> str:
    parts: list[str] = []
    for node in p.iter():
        if node.tag == f"{W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{W}tab":
            parts.append("\t")
        elif node.tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
    return "".join(parts)


# ---------------------------------------------------------------- PDF


def _pdf_text(path: str, data: bytes) -> str:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:
        raise PolicyscanError("input-format", path=path, reason="reading PDF needs the pypdf package: pip install pypdf") from None
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PolicyscanError("input-format", path=path, reason="the PDF is encrypted; save an unprotected copy")
        pages = [page.extract_text() or "" for page in reader.pages]
    except PolicyscanError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise PolicyscanError("input-format", path=path, reason=f"cannot read the PDF ({exc}); save it again or as .txt") from None
    text = "\n".join(pages)
    if not text.strip():
        raise PolicyscanError("input-pdf-no-text", path=path)
    return text
