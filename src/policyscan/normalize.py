"""Raw text -> normalized text, with the way back to raw positions.

Every step edits a :class:`Tracked` text, which carries for each character the
raw position it came from, so later stages can quote the raw document. The
steps, in order:

1. traditional -> simplified (OpenCC ``t2s``), then Taiwan phrasing back to
   mainland wording (table ``taiwan_phrases``, guarded by ``keep_words``);
2. full-width ASCII -> half-width, ideographic space -> space;
3. the rules of ``rules/normalize.yaml`` whose id starts with ``page.`` (page
   numbers and footers of text taken from a PDF);
4. lines cut at a page width (text taken from a PDF) are joined back;
   then the other rules, line by line and in file order: page chrome,
   spaces inside words and numbers, OCR letters inside numbers;
5. a body that appears twice (once as one huge line, once in paragraphs) is
   kept once;
6. lines are trimmed and blank lines dropped (line structure is kept).
"""
from __future__ import annotations

import bisect
import difflib
import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from opencc import OpenCC

from policyscan.model import Document, RawText
from policyscan.rules import Rule, table_checker
from policyscan.structure import ROW_NUMBER, cell_kind, heading_of

if TYPE_CHECKING:
    from policyscan.compiled import Compiled

RULESET = "normalize"

# ---------------------------------------------------------------- tracked text


@dataclass(frozen=True)
class Tracked:
    """Text plus, for each character, its raw position (one extra final entry)."""

    text: str
    offsets: tuple[int, ...]

    @classmethod
    def of(cls, raw: str) -> Tracked:
        return cls(raw, tuple(range(len(raw) + 1)))

    def edit(self, edits: Iterable[tuple[int, int, str]]) -> Tracked:
        """Replace ``text[start:end]`` by each new string; edits must not overlap.

        A replacement of the same length keeps the positions one to one; one
        of another length spreads its characters over the replaced raw range,
        first to first and last to last.
        """
        todo = sorted(edits)
        if not todo:
            return self
        parts: list[str] = []
        offsets: list[int] = []
        pos = 0
        for start, end, new in todo:
            if start < pos:
                raise ValueError(f"overlapping edits at {start}")
            parts.append(self.text[pos:start])
            offsets.extend(self.offsets[pos:start])
            parts.append(new)
            offsets.extend(_spread(self.offsets, start, end, len(new)))
            pos = end
        parts.append(self.text[pos:])
        offsets.extend(self.offsets[pos:])  # includes the final entry
        return Tracked("".join(parts), tuple(offsets))

    def sub(self, regex: re.Pattern[str], repl: str) -> Tracked:
        return self.edit((m.start(), m.end(), m.expand(repl)) for m in regex.finditer(self.text))


def _spread(offsets: Sequence[int], start: int, end: int, count: int) -> list[int]:
    width = end - start
    if count == 0:
        return []
    if width == count:
        return list(offsets[start:end])
    if width == 0:  # an insertion: point at the next kept character
        return [offsets[start]] * count
    if count == 1:
        return [offsets[start]]
    return [offsets[start + round(i * (width - 1) / (count - 1))] for i in range(count)]


def _lines(text: str) -> Iterable[tuple[int, str]]:
    """(start, line) for every line, without its newline."""
    start = 0
    for line in text.split("\n"):
        yield start, line
        start += len(line) + 1


# ---------------------------------------------------------------- 1. characters


def to_simplified(t: Tracked, t2s: OpenCC) -> Tracked:
    """Traditional characters -> simplified, keeping the offset map.

    ``t2s`` nearly always keeps lengths; where a line changes length it is
    aligned with the original line character by character.
    """
    converted = t2s.convert(t.text)
    if converted == t.text:
        return t
    if len(converted) == len(t.text):
        return Tracked(converted, t.offsets)
    edits: list[tuple[int, int, str]] = []
    for start, line in _lines(t.text):
        new = t2s.convert(line)
        if new == line:
            continue
        if len(new) == len(line):
            edits.append((start, start + len(line), new))
            continue
        matcher = difflib.SequenceMatcher(None, line, new, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op != "equal":
                edits.append((start + i1, start + i2, new[j1:j2]))
    return t.edit(edits)


def mainland_wording(t: Tracked, phrases: dict[str, str], keep: Iterable[str]) -> Tracked:
    """Taiwan phrasing -> mainland wording, except inside a word of ``keep``."""
    if not phrases:
        return t
    alternation = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    protected = _covered(t.text, keep)
    edits = [
        (m.start(), m.end(), phrases[m.group()])
        for m in re.finditer(alternation, t.text)
        if not any(i in protected for i in range(m.start(), m.end()))
    ]
    return t.edit(edits)


def _covered(text: str, words: Iterable[str]) -> set[int]:
    covered: set[int] = set()
    for word in words:
        for m in re.finditer(re.escape(word), text):
            covered.update(range(m.start(), m.end()))
    return covered


# full-width ASCII (U+FF01..U+FF5E) -> ASCII; ideographic, no-break and
# typographic spaces (U+2000..U+200A) -> space
_WIDTH = (
    {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
    | {c: 0x20 for c in range(0x2000, 0x200B)}
    | {0x3000: 0x20, 0xA0: 0x20, 0x202F: 0x20}
)
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def half_width(t: Tracked) -> Tracked:
    t = Tracked(t.text.translate(_WIDTH), t.offsets)
    return t.sub(_INVISIBLE, "")


# ---------------------------------------------------------------- 3. rules

# What a rule of rules/normalize.yaml does with each match, per line:
#   drop-line  remove the whole line
#   delete     remove the matched text
#   replace    put ``replace`` (a re template: \1, \g<name>) in its place
#   squash     remove the whitespace inside the match
#   digits     read OCR letters in the match as digits (l I -> 1, O o -> 0)
ACTIONS = frozenset({"drop-line", "delete", "replace", "squash", "digits"})
_OCR_DIGITS = str.maketrans("lIOo", "1100")
_SPACE = re.compile(r"\s+")


def rewrite(rule: Rule, m: re.Match[str]) -> list[tuple[int, int, str]] | None:
    """The edits ``rule`` makes for its match ``m`` (None: drop the line)."""
    action = rule.emit.get("action", "delete")
    if action == "drop-line":
        return None
    if action == "delete":
        return [(m.start(), m.end(), "")]
    if action == "replace":
        return [(m.start(), m.end(), m.expand(str(rule.emit.get("replace", ""))))]
    if action == "squash":  # delete each run of whitespace, so the rest keeps its positions
        return [(m.start() + s.start(), m.start() + s.end(), "") for s in _SPACE.finditer(m.group())]
    if action == "digits":
        return [(m.start(), m.end(), m.group().translate(_OCR_DIGITS))]
    raise ValueError(f"rule {rule.id}: unknown action {action!r} (known: {', '.join(sorted(ACTIONS))})")


def apply_rule(t: Tracked, rule: Rule) -> Tracked:
    """Apply one rule to every line of ``t``."""
    edits: list[tuple[int, int, str]] = []
    for start, line in _lines(t.text):
        line_edits: list[tuple[int, int, str]] = []
        for m in rule.finditer(line):
            found = rewrite(rule, m)
            if found is None:
                end = min(start + len(line) + 1, len(t.text))
                line_edits = [(0, end - start, "")]
                break
            line_edits.extend(e for e in found if e[1] > e[0] or e[2])
        edits.extend((start + s, start + e, new) for s, e, new in line_edits)
    return t.edit(edits)


def apply_rules(t: Tracked, rules: Iterable[Rule]) -> Tracked:
    for rule in sorted(rules, key=lambda r: -r.priority):  # stable: file order within a priority
        t = apply_rule(t, rule)
    return t


# ---------------------------------------------------------------- 4. doubled body

LONG_LINE = 200  # characters, whitespace removed: shorter lines are never dropped
CHUNK = 16
FOUND_SHARE = 0.9
MIN_LINES = 3  # the copy must be spread over this many other lines


REPEATED_PARAGRAPH = 30  # a paragraph this long that appears again word for word is a copy


def doubled_lines(text: str) -> list[int]:
    """Indexes of lines whose text is repeated, in order, across other lines.

    Also every later copy of a paragraph of REPEATED_PARAGRAPH characters or
    more that stands earlier word for word.

    Pages often carry the whole body once as one long line and again in
    paragraphs. A long line counts as a copy when nearly all of its
    whitespace-free text is found, in order, in the lines after it (or before
    it) spread over several of them; the paragraphed copy is the one kept.
    """
    lines = text.split("\n")
    squashed = [_SPACE.sub("", line) for line in lines]
    joined = "".join(squashed)
    starts: list[int] = []
    pos = 0
    for s in squashed:
        starts.append(pos)
        pos += len(s)
    starts.append(pos)
    dropped: list[int] = []
    for i, s in enumerate(squashed):
        if len(s) < LONG_LINE:
            continue
        after = (starts[i + 1], len(joined))
        before = (0, starts[i])
        if any(_repeated(s, joined, lo, hi, starts) for lo, hi in (after, before)):
            dropped.append(i)
            squashed[i] = ""  # a dropped line is no copy for another
    seen: set[str] = set()
    for i, s in enumerate(squashed):
        if len(s) >= REPEATED_PARAGRAPH and s in seen and _is_prose(s):
            dropped.append(i)  # the same paragraph again, as across a page break
        seen.add(s)
    return sorted(dropped)


def _is_prose(line: str) -> bool:
    """A paragraph of sentences, not a bracketed clause such as (省市场监管局牵头) that items share."""
    return "。" in line and not (line[:1] in "(（〔[【" and line[-1:] in ")）〕]】")


def _repeated(s: str, joined: str, lo: int, hi: int, starts: list[int]) -> bool:
    if hi - lo < len(s) * FOUND_SHARE:
        return False
    chunks = [s[k:k + CHUNK] for k in range(0, len(s) - CHUNK + 1, CHUNK)]
    allowed_misses = len(chunks) - int(len(chunks) * FOUND_SHARE)
    misses = 0
    pos = lo
    hits: list[int] = []
    for chunk in chunks:
        found = joined.find(chunk, pos, hi)
        if found < 0:
            misses += 1
            if misses > allowed_misses:
                return False
            continue
        hits.append(found)
        pos = found + len(chunk)
    lines_hit = {bisect.bisect_right(starts, h) - 1 for h in hits}
    return len(lines_hit) >= MIN_LINES


def drop_doubled(t: Tracked) -> Tracked:
    dropped = set(doubled_lines(t.text))
    if not dropped:
        return t
    edits = []
    for index, (start, line) in enumerate(_lines(t.text)):
        if index in dropped:
            edits.append((start, min(start + len(line) + 1, len(t.text)), ""))
    return t.edit(edits)


# ---------------------------------------------------------------- 5. wrapped lines

WRAP_SAMPLE = 20  # lines this long or longer tell the width a PDF was cut at
WRAP_MIN_LINES = 5  # at least this many lines of one width ...
WRAP_SHARE = 0.25  # ... and this share of the long lines
WRAP_SLACK = 2  # a cut line may be this many characters (columns: twice as many) short of the width
LIST_ITEM = re.compile(r"^(?:——|[-—*](?![\d.])|[•·●○■□◆◇▪]|[①-⑳]|[一二三四五六七八九十]+是)")
CLAUSE = re.compile(r"[,，。;；、:：]")
DOC_NUMBER_LINE = re.compile(r"[〔\[(（]\s*(?:19|20)\d\d\s*[〕\])）]\s*\d+\s*号$")  # 皖政办〔2017〕31号 under a title
INDENT = re.compile(r"^(?:\u3000|[ \t]{2,})")  # a paragraph's first line, indented


def columns(line: str) -> int:
    """How wide a line prints: a Chinese character or full-width sign takes two columns."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in line)


@dataclass(frozen=True)
class PageWidth:
    """The width text taken from a PDF was cut at, in characters and in columns (either may be unknown)."""

    chars: int | None
    cols: int | None

    def reached(self, line: str) -> bool:
        line = line.strip()
        return bool(
            (self.chars and len(line) >= self.chars - WRAP_SLACK)
            or (self.cols and columns(line) >= self.cols - 2 * WRAP_SLACK)
        )


def _common_width(sizes: list[int], slack: int) -> int | None:
    """The size most lines reach, within ``slack`` below it, if enough of them do."""
    if not sizes:
        return None
    best, count = None, 0
    for size in sorted(set(sizes)):
        n = sum(1 for s in sizes if size - slack <= s <= size)
        if n >= count:
            best, count = size, n
    return best if count >= WRAP_MIN_LINES and count >= len(sizes) * WRAP_SHARE else None


def wrap_width(text: str) -> PageWidth | None:
    """The width text taken from a PDF was cut at: the length most long lines share, if enough share it."""
    long_lines = [line.strip() for line in text.split("\n") if len(line.strip()) >= WRAP_SAMPLE]
    # exact lengths first: a cut at a fixed count of characters leaves most lines at one length
    chars = _common_width([len(line) for line in long_lines], 0)
    cols = _common_width([columns(line) for line in long_lines], 1)
    return PageWidth(chars, cols) if chars or cols else None


def join_wrapped(t: Tracked, compiled: "Compiled") -> Tracked:
    """Lines cut at the page width joined back to the line they continue.

    A line is joined to the next when it runs to the width the text was cut
    at (as found by :func:`wrap_width`) and the next line starts no paragraph
    of its own: no indent, heading, list item, table row number, document
    number, no line a ``drop-line`` rule takes (page chrome), and no value,
    unit or attribute cell after a line without punctuation (a table of one
    cell per line has short cells, which rarely reach the width). Text without such a
    width is left as it is; the page furniture between two pieces of a line
    has been dropped before (rules ``page.*``).
    """
    width = wrap_width(t.text)
    if width is None:
        return t
    chrome = [r.regex for r in compiled[RULESET].rules if r.emit.get("action") == "drop-line"]
    edits: list[tuple[int, int, str]] = []
    lines = list(_lines(t.text))
    for (start, line), (_, after) in zip(lines, lines[1:]):
        head = after.strip()
        if not width.reached(line) or not head or INDENT.match(after):
            continue
        if heading_of(head) or LIST_ITEM.match(head) or ROW_NUMBER.match(head) or DOC_NUMBER_LINE.search(head):
            continue
        if any(regex.search(head) for regex in chrome):
            continue  # 【打印本页】 and the like stand on their own line
        if cell_kind(head, compiled.tables) != "label" and not CLAUSE.search(line):
            continue  # a long label of a table of one cell per line, then its value
        edits.append((start + len(line), start + len(line) + 1, ""))
    return t.edit(edits)


def page_breaks(t: Tracked, furniture: Sequence[Rule]) -> tuple[Tracked, list[int]]:
    """``t`` without its page furniture, and where each dropped footer line stood (a page break)."""
    dropping = [r.regex for r in furniture if r.emit.get("action") == "drop-line"]
    edits: list[tuple[int, int, str]] = []
    breaks: list[int] = []
    removed = 0
    for start, line in _lines(t.text):
        if any(regex.search(line) for regex in dropping):
            end = min(start + len(line) + 1, len(t.text))
            edits.append((start, end, ""))
            removed += end - start
            breaks.append(end - removed)
    t = t.edit(edits)
    for rule in furniture:
        if rule.emit.get("action") != "drop-line":
            t = apply_rule(t, rule)
    return t, breaks


def _header_cells(line: str, compiled: "Compiled") -> tuple[str, ...] | None:
    """The cells of a table header line (序号 | 重点任务 | 牵头单位, or one such cell), or None."""
    v = compiled.tables
    cells = [c.strip() for c in re.split(r"\s*[|\t]\s*|[ \u3000]{2,}", line.strip()) if c.strip()]
    if not cells:
        return None
    for cell in cells:
        if len(cell) > 12 or re.search(r"[^\w/]", cell) or not (v.task_header.search(cell) or v.indicator_header.search(cell)):
            return None  # a header cell is a few words: no punctuation (管局配合) ends a line of prose)
        if re.search(r"\d", cell) and cell_kind(cell, v) != "year":
            return None  # 2024年6月底前 is a cell of a row; 2025年目标值 may head a column
    return tuple(cells)


def drop_repeated_headers(t: Tracked, breaks: Sequence[int], compiled: "Compiled") -> Tracked:
    """A table header printed again at the top of a page, after a page break, is dropped: the rows run on."""
    if not breaks:
        return t
    lines = list(_lines(t.text))
    starts = [start for start, _ in lines]
    headers: list[tuple[int, tuple[str, ...]]] = []  # (first line, cells) of each header run
    k = 0
    while k < len(lines):
        run: list[str] = []
        j = k
        while j < len(lines) and (cells := _header_cells(lines[j][1], compiled)):
            run.extend(cells)
            j += 1
        if len(run) >= 2:
            headers.append((k, tuple(run), j))
        k = max(j, k + 1)
    edits: list[tuple[int, int, str]] = []
    for n, (first, cells, end) in enumerate(headers):
        at_break = starts[first] in breaks
        if at_break and any(cells == earlier for _, earlier, _ in headers[:n]):
            stop = starts[end] if end < len(starts) else len(t.text)
            edits.append((starts[first], stop, ""))
    return t.edit(edits)


# ---------------------------------------------------------------- 6. lines

_EDGE_SPACE = re.compile(r"^[ \t]+|[ \t]+$", re.M)
_BLANK_LINES = re.compile(r"\A\n+|\n(?=\n)|\n+\Z")


def tidy_lines(t: Tracked) -> Tracked:
    """Trim every line and drop blank lines."""
    return t.sub(_EDGE_SPACE, "").sub(_BLANK_LINES, "")


# ---------------------------------------------------------------- the stage


PAGE_RULES = "page."  # rules on page furniture, which run before wrapped lines are joined


def normalize(raw: RawText, compiled: "Compiled") -> Document:
    """Normalize a raw text with the ``normalize`` ruleset of ``compiled``."""
    rs = compiled[RULESET]
    t = Tracked.of(raw.text)
    t = to_simplified(t, compiled.t2s)
    t = mainland_wording(t, dict(rs.tables.get("taiwan_phrases") or {}), rs.tables.get("keep_words") or ())
    t = half_width(t)
    t, breaks = page_breaks(t, [r for r in rs.rules if r.id.startswith(PAGE_RULES)])
    t = drop_repeated_headers(t, breaks, compiled)
    t = join_wrapped(t, compiled)
    t = apply_rules(t, [r for r in rs.rules if not r.id.startswith(PAGE_RULES)])
    t = drop_doubled(t)
    t = tidy_lines(t)
    offsets = list(t.offsets)
    offsets[-1] = offsets[-2] + 1 if t.text else 0
    return Document(source=raw.source, raw=raw.text, text=t.text, offsets=tuple(offsets), encoding=raw.encoding)


@table_checker(RULESET)
def _check_table_example(table: str, text: str, compiled: "Compiled") -> dict[str, Any] | None:
    """A taiwan_phrases example is text the normalizer rewrites (to ``expect.text``); a keep_words one it keeps whole."""
    out = normalize(RawText("example", text, "utf-8"), compiled).text.strip()
    if table == "keep_words":
        kept = [w for w in compiled[RULESET].tables.get("keep_words", ()) if str(w) in compiled.simplified(text)]
        return {"text": out} if kept and all(str(w) in out for w in kept) else None
    return {"text": out} if out != compiled.simplified(text).strip() or out != text.strip() else None
