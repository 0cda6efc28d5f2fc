"""Everything built from a rule book, built once and owned by one object.

An ``Analyzer`` makes one ``Compiled`` from its ``RuleBook``; every stage
receives it and takes the patterns, tables and tokenizer it needs from it.
Nothing compiled lives in module globals.
"""
from __future__ import annotations

from policyscan.rules import RuleBook


class Compiled:
    def __init__(self, book: RuleBook) -> None:
        self.book = book
        self._warnings: list[str] = []

    def warn(self, message: str) -> None:
        """A stage's note about the document in hand (a table that did not line up, …)."""
        if message not in self._warnings:
            self._warnings.append(message)

    def take_warnings(self) -> list[str]:
        out, self._warnings = self._warnings, []
        return out
