"""Every example in rules/*.yaml runs as a test, with the rule id in its name."""
from __future__ import annotations

import pytest

from policyscan.cli import example_problems  # noqa: F401  (registers every ruleset's interpreter)
from policyscan.rules import example_problem, load_rules

BOOK = load_rules()


def _cases(kind: str):
    for rs in BOOK.rulesets.values():
        for rule in rs.rules:
            examples = rule.match_examples if kind == "match" else rule.no_match_examples
            for n, example in enumerate(examples):
                yield pytest.param(rs.name, rule, example, id=f"{rule.id}[{n}]")


@pytest.mark.parametrize("ruleset, rule, example", list(_cases("match")))
def test_rule_matches_its_examples(ruleset, rule, example):
    problem = example_problem(ruleset, rule, example, should_match=True)
    assert problem is None, problem


@pytest.mark.parametrize("ruleset, rule, example", list(_cases("no_match")))
def test_rule_skips_its_counter_examples(ruleset, rule, example):
    problem = example_problem(ruleset, rule, example, should_match=False)
    assert problem is None, problem


def test_every_rule_has_a_match_example():
    for rs in BOOK.rulesets.values():
        for rule in rs.rules:
            assert rule.match_examples, rule.where
