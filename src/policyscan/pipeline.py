"""The stages in order: read -> normalize -> structure -> extract -> Report."""
from __future__ import annotations

from policyscan.extract.deadlines import extract_deadlines
from policyscan.extract.document import extract_document
from policyscan.extract.targets import extract_targets
from policyscan.extract.tasks import extract_tasks
from policyscan.model import RawText, Report
from policyscan.normalize import normalize
from policyscan.read import read_text
from policyscan.rules import RuleBook, load_rules
from policyscan.structure import parse


def analyze(raw: RawText, book: RuleBook) -> Report:
    doc = normalize(raw, book)
    structure = parse(doc)
    facts = extract_document(doc, book)
    deadlines = extract_deadlines(doc, structure, facts, book)
    targets = extract_targets(doc, structure, facts, deadlines, book)
    tasks = extract_tasks(doc, structure, deadlines, book)
    return Report(
        source=raw.source,
        encoding=raw.encoding,
        document=facts,
        targets=targets,
        tasks=tasks,
        deadlines=deadlines,
    )


def analyze_path(path: str, encoding: str | None = None, book: RuleBook | None = None) -> Report:
    return analyze(read_text(path, encoding), book or load_rules())
