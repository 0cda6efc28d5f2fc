"""Every example in rules/*.yaml runs as a test, with the rule id in its name."""
from __future__ import annotations

import pytest

import policyscan.pipeline  # noqa: F401  (registers every ruleset's interpreter)
from policyscan.rules import interpret, load_rules

BOOK = load_rules()


def _cases(kind: str):
    for rs in BOOK.rulesets.values():
        for rule in rs.rules:
            examples = rule.match_examples if kind == "match" else rule.no_match_examples
            for n, example in enumerate(examples):
                yield pytest.param(rs.name, rule, example, id=f"{rule.id}[{n}]")


@pytest.mark.parametrize("ruleset, rule, example", list(_cases("match")))
def test_rule_matches_its_examples(ruleset, rule, example):
    got = interpret(ruleset, rule, example.text)
    assert got is not None, f"{example.where}: rule {rule.id} does not match {example.text!r}"
    for key, want in (example.expect or {}).items():
        assert key in got, f"{example.where}: rule {rule.id} gives no {key!r} for {example.text!r}"
        assert str(got[key]) == str(want), f"{example.where}: {key} is {got[key]!r}, expected {want!r}"


@pytest.mark.parametrize("ruleset, rule, example", list(_cases("no_match")))
def test_rule_skips_its_counter_examples(ruleset, rule, example):
    got = interpret(ruleset, rule, example.text)
    assert got is None, f"{example.where}: rule {rule.id} should not match {example.text!r}, gave {got}"


def test_every_rule_has_a_match_example():
    for rs in BOOK.rulesets.values():
        for rule in rs.rules:
            assert rule.match_examples, rule.where
