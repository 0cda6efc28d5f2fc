"""Documents -> YAML rule stubs for what no rule turned into a record.

``rules suggest`` explains each document (``explain.py``) and keeps what
nothing decided: numbers with a measure word that became no target, years
and time spans that became no deadline, and agency-shaped names that no
task clause took. It groups them by the shape of the phrase around them
(the jieba word before the number, its measure word and the word after it;
the word after an agency name, which is where a role word stands), ranks
the shapes by how often they occur, and writes one stub per shape: an id, a
pattern, a description and the sentences as ``match`` examples.

The output is a rule file of the ruleset holding the stubs alone: saved as
``DIR/<ruleset>.yaml``, it loads with ``--rules DIR``, layered on the rule
set in use, whose rules all stay. A stub acts as written once loaded (a targets stub
rejects what it matches, a deadlines stub reads it with the kind it guesses;
a tasks stub has no ``form`` and does nothing until one is given), so a
person checks each before using the file.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from policyscan.explain import Fate
from policyscan.numbers import NUMBER, RANGE_SEP, parse_quantity

if TYPE_CHECKING:
    from policyscan.compiled import Compiled

RULESETS = ("targets", "deadlines", "tasks")
TARGET_RULES = frozenset({"no metric", "a numeral inside a name"})
TIME_RULES = frozenset({"a year", "a time span", "a date, an ordinal or an age"})
AGENCY_RULES = frozenset({"no agency clause", "no role word"})
COOPERATING_AFTER = re.compile(r"配合|参与|协助|协同|协办")
NUM = r"(?:\d[\d.,]*|[〇零一二两三四五六七八九十百千]+)\s*(?:万亿|亿|万)?"
AMOUNT = r"(?P<amount>(?:\d+|[一二两三四五六七八九十]+)(?:\s*(?:[-—–~～]+|至|到)\s*(?:\d+|[一二两三四五六七八九十]+))?)"
LEADING_NUMBERS = re.compile(rf"^\s*{NUMBER}(?:\s*{RANGE_SEP}\s*{NUMBER})?")
YEAR = r"(?P<year>(?:19|20)\d\d)"
MAX_EXAMPLES = 3
CN_NUMERAL = re.compile(r"^[〇零一二两三四五六七八九十百千]+$")
# words after an agency name that are not role words: a modal, a preposition, a particle
AFTER_STOP = frozenset("要 的 和 及 与 等 在 对 将 把 已 也 都 应 须 必须 可 会 是 为 以 按 要求 进一步 共同 积极 切实 继续".split())
OPENERS = ("由", "(", "（", "请")
PUNCT = re.compile(r"^[\s,，。;；:：、!?！？()（）“”\"《》]+$")


@dataclass
class Shape:
    """One shape of phrase and the sentences it was seen in."""

    ruleset: str
    key: tuple[str, ...]
    pattern: str
    description: str
    emit: dict[str, Any]
    sentences: list[str] = field(default_factory=list)
    documents: set[str] = field(default_factory=set)
    count: int = 0


def _word_around(words: list[tuple[str, int, int]], start: int, end: int) -> tuple[str, str]:
    """The jieba words right before ``start`` and right after ``end`` (punctuation counts as none)."""
    before = next((w for w, s, e in reversed(words) if e <= start), "")
    after = next((w for w, s, e in words if s >= end), "")
    clean = lambda w: "" if not w.strip() or PUNCT.match(w) else w.strip()  # noqa: E731
    return clean(before), clean(after)


def _shape_of(f: Fate, compiled: "Compiled") -> Shape | None:
    """The shape of the phrase around one fate that nothing decided, or None when it is not one to suggest for."""
    sentence = f.sentence
    at = _locate(f, sentence)
    if at is None:
        return None
    start, end = at
    words = compiled.tokens(sentence)
    if f.kind == "agency":
        if f.rule not in AGENCY_RULES:
            return None
        _, after = _word_around(words, start, end)
        if not after or re.search(r"\d", after) or after in AFTER_STOP or not _opens_clause(sentence, start, compiled):
            return None
        if any(rule.search(after) for rule in compiled["tasks"].rules):
            return None  # a role word, separator or time limit the tasks rules already know
        return Shape(
            "tasks", ("agency", after), re.escape(after),
            f"「…{after}」 after an agency name that no task clause took; "
            f"when it gives the names before it a role, set form: verb and the role",
            {"role": "lead" if COOPERATING_AFTER.search(sentence[end:]) else "responsible",
             "note": "suggested: set form (verb, label or connector) once checked"},
        )
    q = parse_quantity(sentence[start:], compiled.quantities)
    if q is None:
        return None
    unit = q.unit
    end = start + len(q.text)
    before, after = _word_around(words, start, end)
    written_unit = LEADING_NUMBERS.sub("", q.text).strip()  # 3-5个月 -> 个月, 万人 stays 万人
    head = re.escape(before) + r"\s*" if before else ""
    tail = (r"\s*" + re.escape(after)) if after else ""
    if f.rule in TIME_RULES:
        if f.rule == "a year":
            pattern = head + YEAR + r"\s*年" + tail
            emit = {"kind": "by", "date": "year-end"}
        else:
            pattern = head + AMOUNT + r"\s*" + re.escape(written_unit) + tail
            emit = {"kind": "relative", "date": "none"}
        shown = f"{before}_{written_unit if f.rule != 'a year' else '年'}{after}"
        return Shape("deadlines", ("time", before, written_unit if f.rule != "a year" else "年", after), pattern,
                     f"「{shown}」: a time that no deadlines rule read; set kind and date once checked", emit)
    if f.rule in TARGET_RULES and unit and not (CN_NUMERAL.match(f.text) and q.value < 2):
        pattern = head + NUM + r"\s*" + re.escape(written_unit) + tail
        return Shape(
            "targets", ("number", before, written_unit, after), pattern,
            f"「{before}_{written_unit}{after}」: a number with a measure word that became no target; "
            f"as written it rejects them (so --explain names this rule); delete it if they are targets",
            {"action": "reject", "reason": "suggested: not a target"},
        )
    return None


def _opens_clause(sentence: str, start: int, compiled: "Compiled") -> bool:
    """Whether only other agency names (and 由, 、, 和) stand between the clause's start and the name at ``start``.

    A role word follows the names that open a clause (省质监局、省财政厅主抓);
    a name inside a phrase (纳入对各市政府质量工作考核) has none.
    """
    from policyscan.explain import agency_names

    k = max(sentence.rfind(ch, 0, start) for ch in ",，;；。:：()（）") + 1
    head = sentence[k:start]
    for s, e in sorted(agency_names(head, compiled), reverse=True):
        head = head[:s] + head[e:]
    return re.sub(r"[\s、和及与]", "", head) in ("", *OPENERS)


def _locate(f: Fate, sentence: str) -> tuple[int, int] | None:
    """Where the fate's text stands in its sentence (the first place, failing a better clue)."""
    if f.at >= 0 and sentence[f.at:f.at + len(f.text)] == f.text:
        return f.at, f.at + len(f.text)
    k = sentence.find(f.text)
    return (k, k + len(f.text)) if k >= 0 else None


def shapes(fates: Iterable[Fate], compiled: "Compiled", ruleset: str) -> list[Shape]:
    """The shapes of one ruleset, most frequent first (then in the order first seen)."""
    found: dict[tuple[str, ...], Shape] = {}
    order: dict[tuple[str, ...], int] = defaultdict(int)
    for f in fates:
        if f.fate != "ignored" and not (f.kind == "agency" and f.rule in AGENCY_RULES):
            continue
        shape = _shape_of(f, compiled)
        if shape is None or shape.ruleset != ruleset:
            continue
        kept = found.setdefault(shape.key, shape)
        order.setdefault(shape.key, len(order))
        kept.count += 1
        kept.documents.add(f.source)
        if f.sentence not in kept.sentences and len(kept.sentences) < MAX_EXAMPLES:
            if re.search(kept.pattern, f.sentence):
                kept.sentences.append(f.sentence)
    ranked = [s for s in found.values() if s.sentences]
    ranked.sort(key=lambda s: (-s.count, order[s.key]))
    return ranked


# ---------------------------------------------------------------- YAML

PREFIX = {"targets": "target.suggested", "deadlines": "deadline.suggested", "tasks": "task.suggested"}


def _times(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def stub(shape: Shape, n: int) -> dict[str, Any]:
    return {
        "id": f"{PREFIX[shape.ruleset]}.{n}",
        "description": f"{shape.description} (seen {_times(shape.count, 'time')} in {_times(len(shape.documents), 'document')})",
        "pattern": shape.pattern,
        "emit": shape.emit,
        "examples": {"match": list(shape.sentences)},
    }


def _yaml_rules(stubs: list[dict[str, Any]]) -> str:
    body = yaml.safe_dump(stubs, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)
    return "".join("  " + line if line.strip() else line for line in body.splitlines(keepends=True))


def rule_file(compiled: "Compiled", ruleset: str, found: list[Shape], n_documents: int) -> str:
    """One stub per shape, as a rule file of the ruleset: saved as DIR/<ruleset>.yaml it loads with ``--rules DIR``,
    layered on the rule set in use (whose rules all stay)."""
    stubs = [stub(s, k + 1) for k, s in enumerate(found)]
    header = (
        f"# policyscan rules suggest: {_times(len(stubs), 'rule stub')} for the {ruleset} rule set, from {_times(n_documents, 'document')}.\n"
        f"# Saved as DIR/{ruleset}.yaml, it is layered on the {ruleset} rules in use (their rules all stay).\n"
        f"# Check each stub (its pattern, emit and examples), then run: policyscan rules --check --rules DIR\n"
    )
    body = f"ruleset: {ruleset}\nversion: 1\ndescription: rule stubs suggested by policyscan rules suggest\n"
    return header + body + ("rules:\n" + _yaml_rules(stubs) if stubs else "rules: []\n")


def document_paths(paths: Iterable[str]) -> list[str]:
    from policyscan.evaluate import document_paths as listed

    return listed(paths)


def suggest(analyzer: Any, paths: Iterable[str], ruleset: str, top: int) -> tuple[str, list[str]]:
    """(the rule file, the error lines of documents that could not be read)."""
    from policyscan.errors import PolicyscanError
    from policyscan.explain import explain

    fates: list[Fate] = []
    errors: list[str] = []
    n = 0
    for path in document_paths(paths):
        try:
            fates += explain(analyzer, path)[1]
            n += 1
        except PolicyscanError as exc:
            errors.append(exc.message)
    found = shapes(fates, analyzer.compiled, ruleset)[:top]
    return rule_file(analyzer.compiled, ruleset, found, n), errors

