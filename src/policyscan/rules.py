"""Load and validate the YAML rule sets in ``rules/``.

A rule file names its ruleset, defines regex *fragments* that patterns refer
to as ``{name}``, data *tables*, and *rules*: a pattern, what it emits, and
examples that run as tests. Loading checks every file and reports every
problem at once, each as ``file:line: [code] message``.

A user's ``--rules DIR`` adds rule files. A user's file whose ruleset name is
a shipped one is layered on it (its rules first, replacing shipped rules of
the same id; its table entries added), or replaces it whole when it says
``replace: true``. Every example is then checked against the merged book.
"""
from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterator

import regex as regex_module
import yaml

from policyscan.errors import PolicyscanError

# What each ruleset may contain besides rules: its table names, and the keys a
# rule's ``emit`` may carry. A ruleset not named here is an error.
SCHEMAS: dict[str, dict[str, frozenset[str]]] = {
    "normalize": {
        "tables": frozenset({"taiwan_phrases", "keep_words"}),
        "emit": frozenset({"action", "replace", "note"}),
    },
    "units": {"tables": frozenset({"units", "unit_aliases", "money", "multipliers"}), "emit": frozenset()},
    "deadlines": {"tables": frozenset(), "emit": frozenset({"kind", "date", "scope", "note"})},
    "document": {
        "tables": frozenset({"provinces", "cities", "places"}),
        "emit": frozenset({"field", "scope", "note"}),
    },
    "sections": {"tables": frozenset({"review_headings", "task_verbs"}), "emit": frozenset()},
    "comparators": {"tables": frozenset(), "emit": frozenset({"comparator", "position"})},
    "targets": {
        "tables": frozenset({
            "not_target_units", "metric_leading_words", "metric_lead_verbs", "metric_trailing_words",
            "metric_change_verbs", "metric_trailing_task", "task_columns",
            "metric_count_verbs", "change_increase_verbs", "change_decrease_verbs", "recurring_words", "series_each_words",
        }),
        "emit": frozenset({"action", "scope", "reason", "comparator", "binding", "baseline"}),
    },
    "tasks": {"tables": frozenset(), "emit": frozenset({"role", "note", "form", "with_lead"})},
    "agencies": {
        "tables": frozenset({"agencies", "reforms", "shapes"}),
        "emit": frozenset({"kind", "note"}),
    },
    "structure": {
        "tables": frozenset({
            "value_prefixes", "value_suffixes", "year_suffixes", "unit_cells", "per_units", "attribute_cells",
            "numbered_headers", "group_headers", "indicator_headers", "task_headers", "role_headers",
            "time_headers", "sequence_headers", "work_headers",
        }),
        "emit": frozenset(),
    },
    "metrics": {
        "tables": frozenset({"unit_families", "increase_words", "decrease_words", "per_year_words", "not_change_words"}),
        "emit": frozenset({"name", "category", "family", "direction"}),
    },
}


@dataclass(frozen=True)
class Field:
    """One field of a table entry: the types it may have and whether it must be there."""

    types: tuple[type, ...]
    required: bool = False
    items: type | None = None  # for a list: the type of its items


_STR, _LIST = (str,), (list,)
# The shape of a table whose entries are mappings: field name -> Field. A
# table named here is checked entry by entry; any other table must be a list
# of words (strings or numbers) or, where noted in TABLE_MAPS, a mapping.
TABLE_RECORDS: dict[tuple[str, str], dict[str, Field]] = {
    ("agencies", "agencies"): {"canonical": Field(_STR, True), "aliases": Field(_LIST, items=str)},
    ("agencies", "reforms"): {
        "from": Field((str, list), True, items=str), "to": Field(_STR, True), "year": Field((int,), True),
        "levels": Field(_LIST, items=str),
    },
    ("document", "provinces"): {"name": Field(_STR, True), "short": Field(_STR, True), "abbr": Field(_LIST, items=str)},
}
# Tables that map words to words (taiwan_phrases) or names to word lists (cities).
TABLE_MAPS: dict[tuple[str, str], type] = {
    ("normalize", "taiwan_phrases"): str, ("document", "cities"): list, ("document", "places"): list, ("metrics", "unit_families"): list,
    ("units", "unit_aliases"): str,
}

TOP_KEYS = frozenset({"ruleset", "version", "description", "replace", "fragments", "tables", "table_examples", "rules"})
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


# How long one match of a user's rule may run: the patterns of a user's --rules
# are compiled with the ``regex`` module, whose matching can be stopped, so a
# pattern that backtracks without end ((a+)+$ on a long line) fails its
# document instead of hanging the run. The shipped rules stay on ``re``.
USER_RULE_TIMEOUT = 2.0  # seconds


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    pattern: str  # fragments expanded
    regex: "re.Pattern[str] | regex_module.Pattern[str]"
    emit: dict[str, Any]
    priority: int
    match_examples: tuple[Example, ...]
    no_match_examples: tuple[Example, ...]
    where: str
    timeout: float | None = None  # seconds a match may take: set for a user's rules (compiled with ``regex``)

    # Match through these, not through ``regex``: they bound a user's pattern in time.
    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> "re.Match[str] | None":
        return self._call("search", text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> "re.Match[str] | None":
        return self._call("match", text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int | None = None) -> "re.Match[str] | None":
        return self._call("fullmatch", text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> "Iterator[re.Match[str]]":
        end = len(text) if endpos is None else endpos
        if self.timeout is None:
            return self.regex.finditer(text, pos, end)
        return self._bounded(self.regex.finditer(text, pos, end, timeout=self.timeout))  # type: ignore[call-overload]

    def _call(self, name: str, text: str, pos: int, endpos: int | None) -> "re.Match[str] | None":
        end = len(text) if endpos is None else endpos
        if self.timeout is None:
            return getattr(self.regex, name)(text, pos, end)  # type: ignore[no-any-return]
        try:
            return getattr(self.regex, name)(text, pos, end, timeout=self.timeout)  # type: ignore[no-any-return]
        except TimeoutError:
            raise RuleTimeout(self) from None

    def _bounded(self, matches: "Iterator[re.Match[str]]") -> "Iterator[re.Match[str]]":
        try:
            yield from matches
        except TimeoutError:
            raise RuleTimeout(self) from None


class RuleTimeout(PolicyscanError):
    """A user's rule that ran over its time on a text; ``on(path)`` names the document (the Analyzer does)."""

    def __init__(self, rule: Rule, path: str = "a text") -> None:
        super().__init__("rule-timeout", path=path, rule=rule.id, where=rule.where, seconds=f"{rule.timeout:g}")
        self.rule = rule

    def on(self, path: str) -> "RuleTimeout":
        return RuleTimeout(self.rule, path)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (RuleTimeout, (self.rule, self.fields["path"]))


@dataclass(frozen=True)
class TableExamples:
    """The examples of one table: texts its compiled form must (or must not) recognise."""

    table: str
    match_examples: tuple[Example, ...]
    no_match_examples: tuple[Example, ...]


@dataclass(frozen=True)
class Ruleset:
    name: str
    version: int
    path: Path
    fragments: dict[str, str]
    tables: dict[str, Any]
    rules: tuple[Rule, ...]
    table_examples: tuple[TableExamples, ...] = ()
    replace: bool = False  # a user's file that says ``replace: true`` replaces the shipped ruleset whole
    layers: tuple[Path, ...] = ()  # the files merged into this ruleset, in order (shipped first)
    line: int = 1  # the line of its ``ruleset:`` key

    def layered(self, other: "Ruleset") -> "Ruleset":
        """This ruleset with a user's ruleset of the same name on top.

        The user's rules come first and replace shipped rules of the same id;
        fragments of the same name are the user's; a table the user gives
        extends the shipped one (a list gains the new words, a mapping the
        new keys). ``replace: true`` in the user's file replaces it all.
        """
        if other.replace:
            return replace(other, layers=(*self.layers, other.path))
        ids = {r.id for r in other.rules}
        tables = dict(self.tables)
        for name, value in other.tables.items():
            old = tables.get(name)
            if isinstance(old, list) and isinstance(value, list):
                tables[name] = old + [v for v in value if v not in old]
            elif isinstance(old, dict) and isinstance(value, dict):
                tables[name] = {**old, **value}
            else:
                tables[name] = value
        examples = {te.table: te for te in self.table_examples}
        examples.update({te.table: te for te in other.table_examples})
        return replace(
            self,
            version=max(self.version, other.version),
            fragments={**self.fragments, **other.fragments},
            tables=tables,
            rules=(*other.rules, *(r for r in self.rules if r.id not in ids)),
            table_examples=tuple(examples.values()),
            layers=(*self.layers, other.path),
        )

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


def alternatives(words: Any) -> str:
    """A table's words as one regex alternation, longest first (so 个百分点 is tried before 个), each escaped."""
    return "|".join(re.escape(str(w)) for w in sorted(words, key=lambda w: -len(str(w))))


# ---------------------------------------------------------------- interpreters

Interpreter = Callable[[Rule, "re.Match[str]", str, Any], "dict[str, Any] | None"]
INTERPRETERS: dict[str, Interpreter] = {}


def interpreter(ruleset: str) -> Callable[[Interpreter], Interpreter]:
    """Register how a ruleset's match turns into the fields its examples expect."""

    def register(fn: Interpreter) -> Interpreter:
        INTERPRETERS[ruleset] = fn
        return fn

    return register


def interpret(ruleset: str, rule: Rule, text: str, compiled: Any) -> dict[str, Any] | None:
    """The first match of ``rule`` in ``text`` as fields, or None for no match.

    ``compiled`` is the ``Compiled`` of the rule book the rule belongs to (the
    merged book of shipped and user rules): interpreters read with it.
    Without a registered interpreter the fields are the rule's ``emit`` plus
    the match's named groups.
    """
    fn = INTERPRETERS.get(ruleset)
    for m in rule.finditer(text):
        if fn is None:
            groups = {k: v for k, v in m.groupdict().items() if v is not None}
            return {**rule.emit, **groups, "text": m.group(0)}
        out = fn(rule, m, text, compiled)
        if out is not None:
            return out
    return None


TableChecker = Callable[[str, str, Any], "dict[str, Any] | None"]
TABLE_CHECKERS: dict[str, TableChecker] = {}


def table_checker(ruleset: str) -> Callable[[TableChecker], TableChecker]:
    """Register how a ruleset's tables, compiled, read an example text: (table, text, compiled) -> fields or None."""

    def register(fn: TableChecker) -> TableChecker:
        TABLE_CHECKERS[ruleset] = fn
        return fn

    return register


def table_example_problem(ruleset: str, examples: TableExamples, example: Example, should_match: bool, compiled: Any) -> str | None:
    """What is wrong with one table example, as ``file:line: [code] message``, or None."""
    fn = TABLE_CHECKERS.get(ruleset)
    if fn is None:
        return f"{example.where}: [E004] table '{examples.table}': ruleset '{ruleset}' has no way to check table examples"
    got = fn(examples.table, example.text, compiled)
    name = f"table '{examples.table}'"
    if not should_match:
        return f"{example.where}: [E003] {name}: recognises its no_match example {example.text!r}" if got is not None else None
    if got is None:
        return f"{example.where}: [E001] {name}: does not recognise its example {example.text!r}"
    wrong = {k: got.get(k) for k, v in (example.expect or {}).items() if k not in got or str(got[k]) != str(v)}
    if wrong:
        return f"{example.where}: [E002] {name}: on {example.text!r} gives {wrong}, expected {example.expect}"
    return None


def example_problem(ruleset: str, rule: Rule, example: Example, should_match: bool, compiled: Any) -> str | None:
    """What is wrong with one example, as ``file:line: [code] message``, or None."""
    got = interpret(ruleset, rule, example.text, compiled)
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


def example_problems(compiled: Any) -> list[str]:
    """Every rule example of ``compiled.book`` that does not behave as written.

    The interpreters register when the extractors are imported, which
    ``Analyzer`` does; ``Analyzer.example_problems`` is the way in.
    """
    problems = []
    for rs in compiled.book.rulesets.values():
        for rule in rs.rules:
            for ex in rule.match_examples:
                problems.append(example_problem(rs.name, rule, ex, True, compiled))
            for ex in rule.no_match_examples:
                problems.append(example_problem(rs.name, rule, ex, False, compiled))
        for te in rs.table_examples:
            for ex in te.match_examples:
                problems.append(table_example_problem(rs.name, te, ex, True, compiled))
            for ex in te.no_match_examples:
                problems.append(table_example_problem(rs.name, te, ex, False, compiled))
    return [p for p in problems if p]


# ---------------------------------------------------------------- loading


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that records the line of every mapping as ``__line__``, of each of its keys in ``__lines__``,
    and of every list and its items."""


META = frozenset({"__line__", "__lines__"})


class _LineList(list):  # type: ignore[type-arg]
    """A YAML list that knows its line and the line of each item."""

    line: int
    item_lines: list[int]


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _LineList:
    out = _LineList(loader.construct_sequence(node, deep=True))
    out.line = node.start_mark.line + 1
    out.item_lines = [item.start_mark.line + 1 for item in node.value]
    return out


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__lines__"] = {key.value: key.start_mark.line + 1 for key, _ in node.value if isinstance(key, yaml.ScalarNode)}
    return mapping


def _key_line(mapping: Any, key: str, default: int | None) -> int | None:
    """The line of ``key`` in a loaded mapping, so that a problem points at the key, not at its block."""
    lines = mapping.get("__lines__") if isinstance(mapping, dict) else None
    return lines.get(key, default) if isinstance(lines, dict) else default


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k not in META}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]  # a plain list again
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
        if key not in META and key not in EXAMPLE_KEYS:
            problems.add(path, _key_line(value, key, ex_line), "R003", f"rule '{rid}': unknown key '{key}' in examples")
    for key, bucket in (("match", matches), ("no_match", no_matches)):
        items = value.get(key) or []
        if not isinstance(items, list):
            problems.add(path, ex_line, "R008", f"rule '{rid}': examples.{key} must be a list")
            continue
        for item in items:
            if isinstance(item, dict):
                item_line = item.get("__line__", ex_line)
                unknown = set(item) - {"text", "expect"} - META
                if unknown:
                    bad = sorted(unknown)[0]
                    problems.add(path, _key_line(item, bad, item_line), "R003", f"rule '{rid}': unknown key '{bad}' in example")
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


def _load_file(path: Path, problems: _Problems, base: "dict[str, Ruleset] | None" = None, user: bool = False) -> Ruleset | None:
    """One rule file; ``base`` holds the rulesets it may be layered on (their fragments are its own too).

    A ``user`` file (from ``--rules``) has its patterns compiled with the ``regex`` module, bounded in time.
    """
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
        if key not in META and key not in TOP_KEYS:
            problems.add(path, _key_line(data, key, data["__line__"]), "R003", f"unknown top-level key '{key}'")
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
    raw_fragments = {k: str(v) for k, v in raw_fragments.items() if k not in META}
    inherited = base[name].fragments if base and name in base else {}
    fragments = _expand_fragments({**inherited, **raw_fragments}, path, frag_line, problems)
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
        if tname not in META and tname not in schema["tables"]:
            problems.add(path, _key_line(tables, tname, tables.get("__line__")), "R003", f"unknown table '{tname}' for ruleset '{name}'")
    for tname, value in tables.items():
        if tname not in META and tname in schema["tables"]:
            _check_table(name, tname, value, path, _key_line(tables, tname, data["__line__"]), problems)
    table_examples = _load_table_examples(data.get("table_examples"), tables, path, data["__line__"], problems)
    tables = {k: _strip_lines(v) for k, v in tables.items() if k not in META}

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
            if key not in META and key not in RULE_KEYS:
                problems.add(path, _key_line(item, key, line), "R003", f"rule '{rid}': unknown key '{key}'")
        if rid in seen:
            problems.add(path, line, "R007", f"duplicate rule id '{rid}'")
        seen.add(rid)
        emit = _strip_lines(item.get("emit") or {})
        if not isinstance(emit, dict):
            problems.add(path, _key_line(item, "emit", line), "R002", f"rule '{rid}': 'emit' must be a mapping")
            emit = {}
        emit_line = _key_line(item, "emit", line)
        for key in emit:
            if key not in schema["emit"]:
                problems.add(path, _key_line(item.get("emit"), key, emit_line), "R003", f"rule '{rid}': unknown emit key '{key}' for ruleset '{name}'")
        source = item.get("pattern")
        if not isinstance(source, str) or not source:
            problems.add(path, line, "R002", f"rule '{rid}': needs a 'pattern'")
            continue

        pattern_line = _key_line(item, "pattern", line)

        def sub(m: re.Match[str], rid: str = rid, line: int | None = pattern_line) -> str:
            ref = m.group(1)
            if ref not in fragments:
                problems.add(path, line, "R004", f"rule '{rid}': undefined fragment '{{{ref}}}'")
                return ""
            return "(?:" + fragments[ref] + ")"

        pattern = FRAGMENT_REF.sub(sub, source)
        try:
            regex = regex_module.compile(pattern) if user else re.compile(pattern)
        except (re.error, regex_module.error) as exc:
            problems.add(path, pattern_line, "R006", f"rule '{rid}': bad regex: {exc}")
            continue
        matches, no_matches = _load_examples(item.get("examples") or {}, path, line, rid, problems)
        if not matches:
            problems.add(path, line, "R009", f"rule '{rid}': needs at least one 'match' example")
        priority = item.get("priority", 0)
        if not isinstance(priority, int):
            problems.add(path, _key_line(item, "priority", line), "R002", f"rule '{rid}': 'priority' must be a whole number")
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
                timeout=USER_RULE_TIMEOUT if user else None,
            )
        )
    replace_all = data.get("replace", False)
    if not isinstance(replace_all, bool):
        problems.add(path, data["__line__"], "R002", "'replace' must be true or false")
        replace_all = False
    return Ruleset(name, version, path, fragments, tables, tuple(rules), table_examples, replace_all, line=_key_line(data, "ruleset", 1) or 1)


def _type_names(types: tuple[type, ...]) -> str:
    names = {str: "a string", list: "a list", int: "a whole number", dict: "a mapping"}
    return " or ".join(names.get(t, t.__name__) for t in types)


def _check_table(ruleset: str, table: str, value: Any, path: Path, line: int, problems: _Problems) -> None:
    """Every entry of a table has the shape its ruleset reads: ``file:line: [R010] …`` for each that does not."""
    where = getattr(value, "line", None) or (value.get("__line__") if isinstance(value, dict) else None) or line
    record = TABLE_RECORDS.get((ruleset, table))
    mapped = TABLE_MAPS.get((ruleset, table))
    if mapped is not None:
        if not isinstance(value, dict):
            problems.add(path, where, "R010", f"table '{table}': must be a mapping")
            return
        for key, item in value.items():
            if key not in META and not isinstance(item, mapped):
                problems.add(path, where, "R010", f"table '{table}': entry '{key}' must be {_type_names((mapped,))}")
        return
    if not isinstance(value, list):
        problems.add(path, where, "R010", f"table '{table}': must be a list")
        return
    lines = getattr(value, "item_lines", None) or [where] * len(value)
    for item, item_line in zip(value, lines):
        if record is None:
            if not isinstance(item, (str, int, float)) or isinstance(item, bool):
                problems.add(path, item_line, "R010", f"table '{table}': each entry must be a word, not {type(item).__name__}")
            continue
        if not isinstance(item, dict):
            problems.add(path, item_line, "R010", f"table '{table}': each entry must be a mapping with {', '.join(record)}")
            continue
        item_line = item.get("__line__", item_line)
        for key in item:
            if key not in META and key not in record:
                problems.add(path, _key_line(item, key, item_line), "R003", f"table '{table}': unknown key '{key}' (known: {', '.join(record)})")
        for key, spec in record.items():
            if key not in item or item[key] is None:
                if spec.required:
                    problems.add(path, item_line, "R010", f"table '{table}': entry without '{key}'")
                continue
            got = item[key]
            if not isinstance(got, spec.types) or isinstance(got, bool):
                problems.add(path, item_line, "R010", f"table '{table}': '{key}' must be {_type_names(spec.types)}, not {got!r}")
            elif isinstance(got, list) and spec.items and not all(isinstance(x, spec.items) for x in got):
                problems.add(path, item_line, "R010", f"table '{table}': every item of '{key}' must be {_type_names((spec.items,))}")


def _load_table_examples(value: Any, tables: dict[str, Any], path: Path, line: int, problems: _Problems) -> tuple[TableExamples, ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        problems.add(path, line, "R002", "'table_examples' must map table names to match/no_match lists")
        return ()
    out = []
    for tname, examples in value.items():
        if tname in META:
            continue
        if tname not in tables:
            problems.add(path, value.get("__line__", line), "R004", f"table_examples: no table '{tname}' in this file")
            continue
        ex_line = examples.get("__line__", line) if isinstance(examples, dict) else line
        matches, no_matches = _load_examples(examples, path, ex_line, f"table {tname}", problems)
        out.append(TableExamples(tname, tuple(matches), tuple(no_matches)))
    return tuple(out)


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
            rs = _load_file(path, problems, rulesets, user=directory is not dirs[0])
            if rs is None:
                continue
            if rs.name in names_here:
                problems.add(path, rs.line, "R007", f"ruleset '{rs.name}' is also defined in {_show(names_here[rs.name])}")
                continue
            names_here[rs.name] = path
            # a user's ruleset of the same name is layered on the shipped one (or replaces it: replace: true)
            rulesets[rs.name] = rulesets[rs.name].layered(rs) if rs.name in rulesets else replace(rs, layers=(path,))
    if problems.items:
        raise PolicyscanError("rules-invalid", count=len(problems.items), details="\n".join(problems.items))
    digest = hashlib.sha256()
    for rs in sorted(rulesets.values(), key=lambda rs: rs.name):
        for layer in rs.layers:
            digest.update(rs.name.encode() + b"\0" + layer.read_bytes() + b"\0")
    return RuleBook(rulesets, digest.hexdigest())
