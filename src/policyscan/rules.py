"""Load and validate the YAML rule sets in ``rules/``.

A rule file names its ruleset, defines regex *fragments* that patterns refer
to as ``{name}``, data *tables*, and *rules*: a pattern, what it emits, and
examples that run as tests. Loading checks every file and reports every
problem at once, each as ``file:line: [code] message``.

A user's ``--rules DIR`` adds rule files; a user's file whose ruleset name is
a shipped one replaces that ruleset whole.
"""
from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from policyscan.errors import PolicyscanError

# What each ruleset may contain besides rules: its table names, and the keys a
# rule's ``emit`` may carry. A ruleset not named here is an error.
SCHEMAS: dict[str, dict[str, frozenset[str]]] = {
    "normalize": {
        "tables": frozenset({"taiwan_phrases", "keep_words"}),
        "emit": frozenset({"action", "replace", "note"}),
    },
    "units": {"tables": frozenset({"units", "money", "multipliers"}), "emit": frozenset()},
    "deadlines": {"tables": frozenset(), "emit": frozenset({"kind", "date", "scope", "note"})},
    "document": {
        "tables": frozenset({"provinces", "cities"}),
        "emit": frozenset({"field", "scope", "note"}),
    },
    "sections": {"tables": frozenset({"review_headings", "task_verbs"}), "emit": frozenset()},
    "comparators": {"tables": frozenset(), "emit": frozenset({"comparator", "position"})},
    "targets": {
        "tables": frozenset({
            "not_target_units", "metric_leading_words", "metric_lead_verbs", "metric_trailing_words",
            "metric_change_verbs", "metric_trailing_task", "task_columns",
        }),
        "emit": frozenset({"action", "scope", "reason", "comparator", "binding"}),
    },
    "tasks": {"tables": frozenset(), "emit": frozenset({"role", "note", "form", "with_lead"})},
    "agencies": {
        "tables": frozenset({"agencies", "reforms", "shapes"}),
        "emit": frozenset({"kind", "note"}),
    },
    "metrics": {
        "tables": frozenset({"unit_families", "increase_words", "decrease_words", "per_year_words", "not_change_words"}),
        "emit": frozenset({"name", "category", "family", "direction"}),
    },
}

TOP_KEYS = frozenset({"ruleset", "version", "description", "fragments", "tables", "rules"})
RULE_KEYS = frozenset({"id", "description", "pattern", "emit", "priority", "examples"})
EXAMPLE_KEYS = frozenset({"match", "no_match"})
FRAGMENT_REF = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")

SHIPPED_DIR_CANDIDATES = (
    Path(__file__).resolve().parents[2] / "rules",  # a source checkout / editable install
    Path(__file__).resolve().parent / "rules",  # an installed wheel
)


@dataclass(frozen=True)
class Example:
    text: str
    expect: dict[str, Any] | None
    where: str  # "file:line"


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    pattern: str  # fragments expanded
    regex: re.Pattern[str]
    emit: dict[str, Any]
    priority: int
    match_examples: tuple[Example, ...]
    no_match_examples: tuple[Example, ...]
    where: str


@dataclass(frozen=True)
class Ruleset:
    name: str
    version: int
    path: Path
    fragments: dict[str, str]
    tables: dict[str, Any]
    rules: tuple[Rule, ...]

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


@dataclass(frozen=True)
class RuleBook:
    rulesets: dict[str, Ruleset] = field(default_factory=dict)
    digest: str = ""  # sha256 over the rule files in use, in load order: what a result says produced it

    def __getitem__(self, name: str) -> Ruleset:
        return self.rulesets[name]

    def __contains__(self, name: object) -> bool:
        return name in self.rulesets

    @property
    def files(self) -> tuple[Path, ...]:
        return tuple(rs.path for rs in self.rulesets.values())


# ---------------------------------------------------------------- interpreters

Interpreter = Callable[[Rule, "re.Match[str]", str], "dict[str, Any] | None"]
INTERPRETERS: dict[str, Interpreter] = {}


def interpreter(ruleset: str) -> Callable[[Interpreter], Interpreter]:
    """Register how a ruleset's match turns into the fields its examples expect."""

    def register(fn: Interpreter) -> Interpreter:
        INTERPRETERS[ruleset] = fn
        return fn

    return register


def interpret(ruleset: str, rule: Rule, text: str) -> dict[str, Any] | None:
    """The first match of ``rule`` in ``text`` as fields, or None for no match.

    Without a registered interpreter the fields are the rule's ``emit`` plus
    the match's named groups.
    """
    fn = INTERPRETERS.get(ruleset)
    for m in rule.regex.finditer(text):
        if fn is None:
            groups = {k: v for k, v in m.groupdict().items() if v is not None}
            return {**rule.emit, **groups, "text": m.group(0)}
        out = fn(rule, m, text)
        if out is not None:
            return out
    return None


def example_problem(ruleset: str, rule: Rule, example: Example, should_match: bool) -> str | None:
    """What is wrong with one example, as ``file:line: [code] message``, or None."""
    got = interpret(ruleset, rule, example.text)
    if not should_match:
        if got is not None:
            return f"{example.where}: [E003] rule '{rule.id}': matches its no_match example {example.text!r}"
        return None
    if got is None:
        return f"{example.where}: [E001] rule '{rule.id}': does not match its example {example.text!r}"
    # YAML reads 2018-12-31 as a date and 0.29 as a float; an interpreter may give str or Decimal
    wrong = {k: got.get(k) for k, v in (example.expect or {}).items() if k not in got or str(got[k]) != str(v)}
    if wrong:
        return f"{example.where}: [E002] rule '{rule.id}': on {example.text!r} gives {wrong}, expected {example.expect}"
    return None


def example_problems(book: RuleBook) -> list[str]:
    """Every rule example that does not behave as written.

    The interpreters register when the extractors are imported, so callers
    import ``policyscan.pipeline`` first.
    """
    problems = []
    for rs in book.rulesets.values():
        for rule in rs.rules:
            for ex in rule.match_examples:
                problems.append(example_problem(rs.name, rule, ex, True))
            for ex in rule.no_match_examples:
                problems.append(example_problem(rs.name, rule, ex, False))
    return [p for p in problems if p]


# ---------------------------------------------------------------- loading


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that records the line of every mapping as ``__line__``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, path: Path, line: int | None, code: str, message: str) -> None:
        where = f"{_show(path)}:{line}" if line else _show(path)
        self.items.append(f"{where}: [{code}] {message}")


def _show(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _expand_fragments(raw: dict[str, str], path: Path, line: int, problems: _Problems) -> dict[str, str]:
    done: dict[str, str] = {}

    def expand(name: str, stack: tuple[str, ...]) -> str:
        if name in done:
            return done[name]
        if name in stack:
            problems.add(path, line, "R005", f"fragment '{name}' refers to itself")
            return ""
        body = raw[name]

        def sub(m: re.Match[str]) -> str:
            ref = m.group(1)
            if ref not in raw:
                problems.add(path, line, "R004", f"fragment '{name}': undefined fragment '{{{ref}}}'")
                return ""
            return "(?:" + expand(ref, stack + (name,)) + ")"

        done[name] = FRAGMENT_REF.sub(sub, body)
        return done[name]

    for name in raw:
        expand(name, ())
    return done


def _load_examples(value: Any, path: Path, line: int, rid: str, problems: _Problems) -> tuple[list[Example], list[Example]]:
    matches: list[Example] = []
    no_matches: list[Example] = []
    if not isinstance(value, dict):
        problems.add(path, line, "R008", f"rule '{rid}': 'examples' must map match/no_match to lists")
        return matches, no_matches
    ex_line = value.get("__line__", line)
    for key in value:
        if key != "__line__" and key not in EXAMPLE_KEYS:
            problems.add(path, ex_line, "R003", f"rule '{rid}': unknown key '{key}' in examples")
    for key, bucket in (("match", matches), ("no_match", no_matches)):
        items = value.get(key) or []
        if not isinstance(items, list):
            problems.add(path, ex_line, "R008", f"rule '{rid}': examples.{key} must be a list")
            continue
        for item in items:
            if isinstance(item, dict):
                item_line = item.get("__line__", ex_line)
                unknown = set(item) - {"text", "expect", "__line__"}
                if unknown:
                    problems.add(path, item_line, "R003", f"rule '{rid}': unknown key '{sorted(unknown)[0]}' in example")
                if not isinstance(item.get("text"), str):
                    problems.add(path, item_line, "R008", f"rule '{rid}': example needs a 'text' string")
                    continue
                expect = item.get("expect")
                bucket.append(Example(item["text"], _strip_lines(expect) if expect is not None else None, f"{_show(path)}:{item_line}"))
            elif isinstance(item, (str, int, float)):
                bucket.append(Example(str(item), None, f"{_show(path)}:{ex_line}"))
            else:
                problems.add(path, ex_line, "R008", f"rule '{rid}': an example must be a string or {{text, expect}}")
    return matches, no_matches


def _load_file(path: Path, problems: _Problems) -> Ruleset | None:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.add(path, mark.line + 1 if mark else None, "R001", f"not valid YAML: {getattr(exc, 'problem', exc)}")
        return None
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(path, None, "R001", f"cannot read: {exc}")
        return None
    if not isinstance(data, dict):
        problems.add(path, 1, "R002", "a rule file must be a mapping with 'ruleset' and 'rules'")
        return None
    for key in data:
        if key != "__line__" and key not in TOP_KEYS:
            problems.add(path, data["__line__"], "R003", f"unknown top-level key '{key}'")
    name = data.get("ruleset")
    if name not in SCHEMAS:
        known = ", ".join(sorted(SCHEMAS))
        problems.add(path, data["__line__"], "R002", f"unknown ruleset '{name}' (known: {known})")
        return None
    schema = SCHEMAS[name]
    version = data.get("version", 1)
    if not isinstance(version, int):
        problems.add(path, data["__line__"], "R002", "'version' must be a whole number")
        version = 1

    raw_fragments = data.get("fragments") or {}
    if not isinstance(raw_fragments, dict):
        problems.add(path, data["__line__"], "R002", "'fragments' must be a mapping of names to patterns")
        raw_fragments = {}
    frag_line = raw_fragments.get("__line__", data["__line__"])
    raw_fragments = {k: str(v) for k, v in raw_fragments.items() if k != "__line__"}
    fragments = _expand_fragments(raw_fragments, path, frag_line, problems)
    for fname, body in fragments.items():
        try:
            re.compile(body)
        except re.error as exc:
            problems.add(path, frag_line, "R006", f"fragment '{fname}': bad regex: {exc}")

    tables = data.get("tables") or {}
    if not isinstance(tables, dict):
        problems.add(path, data["__line__"], "R002", "'tables' must be a mapping of names to lists")
        tables = {}
    for tname in tables:
        if tname != "__line__" and tname not in schema["tables"]:
            problems.add(path, tables.get("__line__"), "R003", f"unknown table '{tname}' for ruleset '{name}'")
    tables = {k: _strip_lines(v) for k, v in tables.items() if k != "__line__"}

    rules: list[Rule] = []
    seen: set[str] = set()
    for item in data.get("rules") or []:
        if not isinstance(item, dict):
            problems.add(path, data["__line__"], "R002", "each rule must be a mapping")
            continue
        line = item["__line__"]
        rid = item.get("id")
        if not isinstance(rid, str) or not rid:
            problems.add(path, line, "R002", "rule without an 'id'")
            continue
        for key in item:
            if key != "__line__" and key not in RULE_KEYS:
                problems.add(path, line, "R003", f"rule '{rid}': unknown key '{key}'")
        if rid in seen:
            problems.add(path, line, "R007", f"duplicate rule id '{rid}'")
        seen.add(rid)
        emit = _strip_lines(item.get("emit") or {})
        if not isinstance(emit, dict):
            problems.add(path, line, "R002", f"rule '{rid}': 'emit' must be a mapping")
            emit = {}
        for key in emit:
            if key not in schema["emit"]:
                problems.add(path, line, "R003", f"rule '{rid}': unknown emit key '{key}' for ruleset '{name}'")
        source = item.get("pattern")
        if not isinstance(source, str) or not source:
            problems.add(path, line, "R002", f"rule '{rid}': needs a 'pattern'")
            continue

        def sub(m: re.Match[str], rid: str = rid, line: int = line) -> str:
            ref = m.group(1)
            if ref not in fragments:
                problems.add(path, line, "R004", f"rule '{rid}': undefined fragment '{{{ref}}}'")
                return ""
            return "(?:" + fragments[ref] + ")"

        pattern = FRAGMENT_REF.sub(sub, source)
        try:
            regex = re.compile(pattern)
        except re.error as exc:
            problems.add(path, line, "R006", f"rule '{rid}': bad regex: {exc}")
            continue
        matches, no_matches = _load_examples(item.get("examples") or {}, path, line, rid, problems)
        if not matches:
            problems.add(path, line, "R009", f"rule '{rid}': needs at least one 'match' example")
        priority = item.get("priority", 0)
        if not isinstance(priority, int):
            problems.add(path, line, "R002", f"rule '{rid}': 'priority' must be a whole number")
            priority = 0
        rules.append(
            Rule(
                id=rid,
                description=str(item.get("description") or ""),
                pattern=pattern,
                regex=regex,
                emit=emit,
                priority=priority,
                match_examples=tuple(matches),
                no_match_examples=tuple(no_matches),
                where=f"{_show(path)}:{line}",
            )
        )
    return Ruleset(name, version, path, fragments, tables, tuple(rules))


def shipped_rules_dir() -> Path:
    for candidate in SHIPPED_DIR_CANDIDATES:
        if candidate.is_dir():
            return candidate
    raise PolicyscanError("rules-dir-missing", path=SHIPPED_DIR_CANDIDATES[0])


def load_rules(extra_dir: str | Path | None = None) -> RuleBook:
    """The shipped rule sets, with a user's directory layered on top."""
    return _load_rules(str(Path(extra_dir).resolve()) if extra_dir else None)


@functools.lru_cache(maxsize=8)
def _load_rules(extra_dir: str | None) -> RuleBook:
    problems = _Problems()
    rulesets: dict[str, Ruleset] = {}
    dirs = [shipped_rules_dir()]
    if extra_dir:
        extra = Path(extra_dir)
        if not extra.is_dir():
            raise PolicyscanError("rules-dir-missing", path=extra_dir)
        dirs.append(extra)
    for directory in dirs:
        names_here: dict[str, Path] = {}
        for path in sorted(directory.glob("*.yaml")) + sorted(directory.glob("*.yml")):
            rs = _load_file(path, problems)
            if rs is None:
                continue
            if rs.name in names_here:
                problems.add(path, None, "R007", f"ruleset '{rs.name}' is also defined in {_show(names_here[rs.name])}")
                continue
            names_here[rs.name] = path
            rulesets[rs.name] = rs  # a user's ruleset of the same name replaces the shipped one
    if problems.items:
        raise PolicyscanError("rules-invalid", count=len(problems.items), details="\n".join(problems.items))
    digest = hashlib.sha256()
    for rs in sorted(rulesets.values(), key=lambda rs: rs.name):
        digest.update(rs.name.encode() + b"\0" + rs.path.read_bytes() + b"\0")
    return RuleBook(rulesets, digest.hexdigest())
