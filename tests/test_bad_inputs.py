"""Bad input: each kind gets its exit code and one line on stderr (or a successful, empty result), never a traceback.

The same table runs through ``policyscan extract`` one file at a time and
through ``policyscan batch`` on a folder holding all of them, where each bad
file is recorded in the errors and the rest are analysed. The README's "Bad
input and hostile rules" section lists this table.

``POLICYSCAN_LONG=1`` runs the long line at its full size (1 MB); the
default run uses 20,000 characters, as the cost of a line without
punctuation still grows faster than its length.
"""
from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import tempfile
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policyscan.cli import app
from policyscan.errors import PolicyscanError
from policyscan.read import DEFAULT_MAX_BYTES, read_text

ROOT = Path(__file__).resolve().parents[1]
GANSU = (ROOT / "corpus" / "gansu-2015-quality-action-plan.txt").read_text(encoding="utf-8")
LONG = os.environ.get("POLICYSCAN_LONG") == "1"
LINE_CHARS = 350_000 if LONG else 20_000  # 350,000 characters of Chinese are 1 MB in UTF-8

runner = CliRunner()


# ---------------------------------------------------------------- the inputs


def image_only_pdf() -> bytes:
    """A one-page PDF whose page is an 8x8 grey image and nothing else: a scan without a text layer."""
    image = bytes(range(0, 256, 4))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length %d >>\nstream\n"
        % len(image) + image + b"\nendstream",
    ]
    content = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
    objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def corrupt_docx() -> bytes:
    """A zip with a word/document.xml cut off in the middle."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>到2020年',
        )
    return buffer.getvalue()


def long_line(chars: int) -> str:
    """Corpus text with every punctuation mark and space taken out, as one line of ``chars`` characters."""
    letters = re.sub(r"[\W_]", "", GANSU)
    return (letters * (chars // len(letters) + 1))[:chars] + "\n"


def write(name: str, data: bytes | str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    return make


def sparse(name: str, size: int) -> Callable[[Path], Path]:
    """A file of ``size`` bytes that takes no room on disk (a hole), to be refused by its size."""

    def make(folder: Path) -> Path:
        path = folder / name
        with open(path, "wb") as f:
            f.truncate(size)
        return path

    return make


def fifo(name: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        os.mkfifo(path)
        return path

    return make


def directory(name: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.mkdir()
        (path / "inside.txt").write_text("到2020年产品质量合格率达到95%以上。\n", encoding="utf-8")
        return path

    return make


def missing(name: str) -> Callable[[Path], Path]:
    return lambda folder: folder / name


NESTED = "到2020年," + "(" * 100 + "制造业产品质量合格率达到95%以上" + ")" * 100 + "。\n"
NUMBERS = "\n".join(" ".join(str(i * j) for j in range(1, 9)) for i in range(1, 40)) + "\n"
MIXED = GANSU[:1000].encode("utf-8") + GANSU[1000:3000].encode("gb18030")
INVALID_UTF16 = codecs.BOM_UTF16_LE + "到2020年产品质量合格率达到95%".encode("utf-16-le") + b"\x00\xd8\x41\x00"  # a lone high surrogate

# id, how to make it, exit code, and the one stderr line, or for a success the record counts (targets, tasks,
# deadlines), None where any count will do (the report is then checked to be well formed)
Case = tuple[str, Callable[[Path], Path], int, "str | tuple[int, int, int] | None"]
CASES: list[Case] = [
    ("empty", write("empty.txt", b""), 3, "{path}: has no text; check that it is the document you meant"),
    ("blank", write("blank.txt", " \n\t\n　\n"), 3, "{path}: has no text; check that it is the document you meant"),
    ("binary", write("random.txt", bytes(range(256)) * 16), 3,
     "{path}: looks like a binary file (contains NUL bytes); give a text, HTML, DOCX or PDF document"),
    ("image", write("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(64)), 3,
     "{path}: looks like a binary file (PNG image); give a text, HTML, DOCX or PDF document"),
    ("directory", directory("folder.txt"), 3, "{path}: is a directory; name the files inside it (e.g. {path}/*.txt)"),
    ("missing", missing("nowhere.txt"), 3, "{path}: no such file; check the path"),
    ("named-pipe", fifo("pipe.txt"), 3, "{path}: is a named pipe, not a regular file; give a document file"),
    ("invalid-utf16", write("utf16.txt", INVALID_UTF16), 3,
     "{path}: cannot decode as UTF-16; pass --encoding (e.g. --encoding gb18030)"),
    ("mixed-encodings", write("mixed.txt", MIXED), 3,
     "{path}: mixes encodings (UTF-8, then GB18030 from line 8); convert it to one encoding and try again"),
    ("over-50MB", sparse("huge.txt", DEFAULT_MAX_BYTES + 1), 3,
     "{path}: 52,428,801 bytes is over the size limit of 52,428,800 bytes (50 MiB); split it, or raise the limit with POLICYSCAN_MAX_BYTES "
     "(e.g. POLICYSCAN_MAX_BYTES=200M)"),
    ("scanned-pdf", write("scan.pdf", image_only_pdf()), 3,
     "{path}: the PDF has no text layer (a scan?); run OCR on it or give a text version"),
    ("corrupt-docx", write("broken.docx", corrupt_docx()), 3,
     "{path}: broken DOCX document.xml (no element found: line 1, column 112); save it again or as .txt"),
    ("truncated-docx", write("cut.docx", corrupt_docx()[:80]), 3,
     "{path}: not a readable DOCX file (File is not a zip file); save it again or as .txt"),
    ("script-only-html", write("script.html", "<!DOCTYPE html><html><head><title>规划</title><script>var t = '到2020年合格率达到95%';</script>"
                                             "</head><body><script>document.write('十三五')</script><noscript></noscript></body></html>"), 3,
     "{path}: has no text; check that it is the document you meant"),
    ("only-numbers", write("numbers.txt", NUMBERS), 0, (0, 0, 0)),
    ("nested-brackets", write("nested.txt", NESTED), 0, (1, 0, 1)),
    ("long-line", write("line.txt", long_line(LINE_CHARS)), 0, None),
]
BAD = {c[0] for c in CASES if c[2]}


def extract(path: Path, *extra: str):
    return runner.invoke(app, ["extract", str(path), "--format", "json", *extra])


@pytest.mark.parametrize("name, make, code, expected", CASES, ids=[c[0] for c in CASES])
def test_each_bad_input_gets_its_exit_code_and_one_line(tmp_path: Path, name: str, make, code: int, expected) -> None:
    path = make(tmp_path)
    result = extract(path)
    assert result.exit_code == code, result.stderr
    if isinstance(expected, str):
        assert (result.stdout, result.stderr) == ("", f"policyscan: error: {expected.format(path=path)}\n")
    else:
        assert result.stderr == ""
        check_report(json.loads(result.stdout), path.read_text(encoding="utf-8"), expected)


def check_report(report: dict, raw: str, counts: tuple[int, int, int] | None) -> None:
    if counts is not None:
        assert (len(report["targets"]), len(report["tasks"]), len(report["deadlines"])) == counts
    for record in (*report["targets"], *report["tasks"], *report["deadlines"]):
        assert 0 <= record["span"]["start"] <= record["span"]["end"] <= len(raw)
        assert record["text"]


@pytest.mark.parametrize("name, make, code, expected", [c for c in CASES if c[2]], ids=sorted(BAD, key=[c[0] for c in CASES].index))
def test_no_traceback_for_bad_input(tmp_path: Path, name: str, make, code: int, expected: str) -> None:
    """An input error is the user's to fix: even --traceback gives the one line, and no traceback comes without it."""
    path = make(tmp_path)
    line = f"policyscan: error: {expected.format(path=path)}\n"
    for args in ((), ("--traceback",)):
        result = extract(path, *args)
        assert (result.exit_code, result.stderr) == (code, line)


def test_an_unreadable_file(tmp_path: Path) -> None:
    """chmod 000; as root, whom permissions do not stop, the read runs in a child process that has become nobody."""
    (tmp_path / "warm.txt").write_text(NESTED, encoding="utf-8")
    assert extract(tmp_path / "warm.txt").exit_code == 0  # everything the command needs is imported and loaded
    with tempfile.TemporaryDirectory() as folder:  # under /tmp, which anyone may enter
        os.chmod(folder, 0o755)
        path = Path(folder) / "secret.txt"
        path.write_text("到2020年产品质量合格率达到95%以上。\n", encoding="utf-8")
        path.chmod(0)
        line = f"policyscan: error: {path}: cannot read (Permission denied); check its permissions\n"
        said = extract(path) if os.geteuid() != 0 else as_nobody(lambda: extract(path))
        assert (said.exit_code, said.stdout, said.stderr) == (3, "", line)


class _Said:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code, self.stdout, self.stderr = exit_code, stdout, stderr


def as_nobody(run: Callable[[], object]) -> _Said:
    """``run()`` in a forked child that has become the user nobody; its exit code, stdout and stderr."""
    read, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop to nobody, run the command, send back what it said
        try:
            os.close(read)
            os.setgid(65534)
            os.setuid(65534)
            result = run()
            os.write(write_end, json.dumps([result.exit_code, result.stdout, result.stderr]).encode())  # type: ignore[attr-defined]
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read, "rb") as f:
        said = f.read()
    os.waitpid(pid, 0)
    return _Said(*json.loads(said))


def test_the_size_limit_is_configurable_and_checked_before_reading(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(("到2020年产品质量合格率达到95%以上。\n" * 100).encode("utf-8"))  # 5,000 bytes
    monkeypatch.setenv("POLICYSCAN_MAX_BYTES", "4K")
    result = extract(path)
    assert (result.exit_code, result.stderr) == (3, f"policyscan: error: {path}: 5,000 bytes is over the size limit of 4,096 bytes; "
                                                    "split it, or raise the limit with POLICYSCAN_MAX_BYTES (e.g. POLICYSCAN_MAX_BYTES=200M)\n")
    monkeypatch.setenv("POLICYSCAN_MAX_BYTES", "5000")
    assert extract(path).exit_code == 0
    monkeypatch.setenv("POLICYSCAN_MAX_BYTES", "a lot")
    result = extract(path)
    assert (result.exit_code, result.stderr) == (2, "policyscan: error: POLICYSCAN_MAX_BYTES='a lot' is not a size; give bytes, or 500K, 50M, 2G\n")
    # standard input is read no further than the limit
    monkeypatch.setenv("POLICYSCAN_MAX_BYTES", "1K")
    result = runner.invoke(app, ["extract", "-"], input=path.read_bytes())
    assert (result.exit_code, result.stderr) == (3, "policyscan: error: -: more than 1,024 bytes is over the size limit of 1,024 bytes; "
                                                    "split it, or raise the limit with POLICYSCAN_MAX_BYTES (e.g. POLICYSCAN_MAX_BYTES=200M)\n")


def test_a_file_over_the_limit_is_not_read_into_memory(tmp_path: Path) -> None:
    path = sparse("huge.txt", 3 * DEFAULT_MAX_BYTES)(tmp_path)
    tracemalloc.start()
    try:
        with pytest.raises(PolicyscanError) as caught:
            read_text(str(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert caught.value.code == "input-too-large"
    assert peak < 1024 * 1024  # the 150 MiB were never read


# ---------------------------------------------------------------- the same table through batch


def test_batch_records_every_bad_input_and_analyses_the_rest(tmp_path: Path) -> None:
    """A folder of all of them: a missing path and a directory cannot be files in a folder, so those two are left out
    (a folder inside is walked, a broken symlink is skipped and named)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "gansu.txt").write_text(GANSU, encoding="utf-8")
    inside = [c for c in CASES if c[0] not in ("missing", "directory")]
    paths = {name: make(docs) for name, make, _, _ in inside}
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(docs), "--out", str(out), "--db", str(tmp_path / "db.sqlite"), "--workers", "1"])
    assert result.exit_code == 1  # --fail-on error, the default
    assert "Traceback" not in result.stderr
    with open(out / "errors.csv", encoding="utf-8", newline="") as f:
        errors = {row["path"]: (int(row["exit_code"]), row["message"]) for row in csv.DictReader(f)}
    expected = {str(paths[name]): (code, message.format(path=paths[name])) for name, _, code, message in inside if code}
    assert errors == expected
    results = {r["paths"][0]: r for r in map(json.loads, (out / "results.jsonl").read_text(encoding="utf-8").splitlines())}
    analysed = {p: r["status"] for p, r in results.items() if r["status"] == "ok"}
    assert sorted(analysed) == sorted([str(docs / "gansu.txt")] + [str(paths[n]) for n, _, code, _ in inside if not code])
    for name, _, code, counts in inside:
        if not code:
            check_report(results[str(paths[name])]["report"], paths[name].read_text(encoding="utf-8"), counts)
    assert results[str(docs / "gansu.txt")]["report"]["targets"]
