"""Every example in rules/*.yaml runs as a test, with the rule id (or table name) in its name."""
from __future__ import annotations

import pytest

from policyscan.analyzer import Analyzer
from policyscan.rules import example_problem, table_example_problem

ANALYZER = Analyzer()
BOOK = ANALYZER.book
ANALYZER.example_problems()  # imports every module that registers an interpreter


def _cases(kind: str):
    for rs in BOOK.rulesets.values():
        for rule in rs.rules:
            examples = rule.match_examples if kind == "match" else rule.no_match_examples
            for n, example in enumerate(examples):
                yield pytest.param(rs.name, rule, example, id=f"{rule.id}[{n}]")


def _table_cases(kind: str):
    for rs in BOOK.rulesets.values():
        for te in rs.table_examples:
            examples = te.match_examples if kind == "match" else te.no_match_examples
            for n, example in enumerate(examples):
                yield pytest.param(rs.name, te, example, id=f"{rs.name}.{te.table}[{n}]")


@pytest.mark.parametrize("ruleset, rule, example", list(_cases("match")))
def test_rule_matches_its_examples(ruleset, rule, example):
    problem = example_problem(ruleset, rule, example, True, ANALYZER.compiled)
    assert problem is None, problem


@pytest.mark.parametrize("ruleset, rule, example", list(_cases("no_match")))
def test_rule_skips_its_counter_examples(ruleset, rule, example):
    problem = example_problem(ruleset, rule, example, False, ANALYZER.compiled)
    assert problem is None, problem


@pytest.mark.parametrize("ruleset, table, example", list(_table_cases("match")))
def test_table_recognises_its_examples(ruleset, table, example):
    problem = table_example_problem(ruleset, table, example, True, ANALYZER.compiled)
    assert problem is None, problem


@pytest.mark.parametrize("ruleset, table, example", list(_table_cases("no_match")))
def test_table_skips_its_counter_examples(ruleset, table, example):
    problem = table_example_problem(ruleset, table, example, False, ANALYZER.compiled)
    assert problem is None, problem


def test_every_rule_has_a_match_example():
    for rs in BOOK.rulesets.values():
        for rule in rs.rules:
            assert rule.match_examples, rule.where


def test_every_table_has_examples():
    for rs in BOOK.rulesets.values():
        checked = {te.table for te in rs.table_examples if te.match_examples}
        assert checked == set(rs.tables), f"{rs.path}: tables without match examples: {sorted(set(rs.tables) - checked)}"
