"""Predictions (or documents) and hand-annotated gold -> scores.

Gold and predictions are documents in the JSON contract (``Report.to_dict``;
the annotation guide is eval/GUIDE.md beside the repository). A prediction
is paired with the gold document whose ``source`` has the same file name.
The matching is the one the guide describes, figure for figure:

- targets: a prediction matches an unmatched gold target of its document
  when ``value`` and ``value_max`` are equal and the metrics overlap
  (character-bigram Dice of the metrics, or 0.8 x the share of the gold
  metric's bigrams found in the predicted ``text``, at least 0.3), best
  overlap first; a further prediction that could have matched an already
  matched target is a duplicate (``dup``, counted against precision but
  not listed as spurious);
- tasks: paired by title Dice plus 0.3 for an equal section (at least 0.5),
  best first; a task is exactly right when its lead, cooperating and
  responsible lists are all equal as sets (names without white space,
  quote marks or a trailing 等); agencies are scored as (task, role, name);
- deadlines: a prediction matches a gold deadline of the same date and kind
  when one text contains the other;
- document: province and date equal, title Dice at least 0.8 (or both empty).

Nothing here reads the shared scorer: the figures agree with it because
the rules are the same (a test runs both on the corpus when the scorer is
beside the repository).
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SIM_THRESHOLD = 0.3  # targets: least metric overlap of a match
TASK_THRESHOLD = 0.5  # tasks: least title overlap (+0.3 for the same section)
SECTION_BONUS = 0.3
TITLE_THRESHOLD = 0.8
ROLES = ("lead", "cooperating", "responsible")
PREDICTION_SUFFIXES = (".json", ".jsonl")

# ---------------------------------------------------------------- text overlap


def squash(s: str | None) -> str:
    """Drop white space and quote marks; fold full-width parentheses."""
    s = re.sub(r"[\s“”\"'‘’「」『』]+", "", s or "")
    return s.replace("（", "(").replace("）", ")")


def bigrams(s: str | None) -> set[str]:
    s = squash(s)
    return {s[i:i + 2] for i in range(len(s) - 1)} or ({s} if s else set())


def dice(a: str | None, b: str | None) -> float:
    ba, bb = bigrams(a), bigrams(b)
    return 2 * len(ba & bb) / (len(ba) + len(bb)) if ba and bb else 0.0


def contained(a: str | None, b: str | None) -> float:
    """The share of ``a``'s bigrams that ``b`` has."""
    ba = bigrams(a)
    return len(ba & bigrams(b)) / len(ba) if ba else 0.0


def same_number(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1; nothing predicted of nothing is perfect."""
    p = tp / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def agency_set(names: Iterable[str] | None) -> set[str]:
    return {re.sub(r"等$", "", squash(n)) for n in (names or []) if squash(n)}


# ---------------------------------------------------------------- matching


def _greedy(pairs: list[tuple[float, int, int]]) -> tuple[set[int], set[int], list[tuple[int, int]]]:
    """One-to-one matches, best score first (ties: the later gold, then the later prediction)."""
    pairs.sort(reverse=True)
    g_used: set[int] = set()
    p_used: set[int] = set()
    matches: list[tuple[int, int]] = []
    for _, gi, pi in pairs:
        if gi not in g_used and pi not in p_used:
            g_used.add(gi)
            p_used.add(pi)
            matches.append((gi, pi))
    return g_used, p_used, matches


def target_similarity(g: dict[str, Any], p: dict[str, Any]) -> float:
    by_metric = dice(g.get("metric"), p.get("metric"))
    by_text = 0.8 * contained(g.get("metric"), p.get("text") or "")
    return max(by_metric, by_text)


@dataclass
class Targets:
    tp: int = 0
    pred: int = 0
    gold: int = 0
    dup: int = 0
    comparator_ok: int = 0
    unit_ok: int = 0
    deadline_ok: int = 0
    missed: list[dict[str, Any]] = field(default_factory=list)
    spurious: list[dict[str, Any]] = field(default_factory=list)
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    wrong: list[tuple[dict[str, Any], dict[str, Any], tuple[str, ...]]] = field(default_factory=list)


def score_targets(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> Targets:
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if same_number(g.get("value"), p.get("value")) and same_number(g.get("value_max"), p.get("value_max")):
                s = target_similarity(g, p)
                if s >= SIM_THRESHOLD:
                    pairs.append((s, gi, pi))
    g_used, p_used, matches = _greedy(pairs)
    dups = sorted({pi for _, _, pi in pairs if pi not in p_used})
    out = Targets(tp=len(matches), pred=len(pred), gold=len(gold), dup=len(dups))
    for gi, pi in matches:
        g, p = gold[gi], pred[pi]
        off = tuple(key for key in ("comparator", "unit", "deadline_year") if g.get(key) != p.get(key))
        out.comparator_ok += "comparator" not in off
        out.unit_ok += "unit" not in off
        out.deadline_ok += "deadline_year" not in off
        if off:
            out.wrong.append((g, p, off))
    out.missed = [gold[gi] for gi in range(len(gold)) if gi not in g_used]
    out.spurious = [pred[pi] for pi in range(len(pred)) if pi not in p_used and pi not in dups]
    out.duplicates = [pred[pi] for pi in dups]
    return out


@dataclass
class Tasks:
    exact: int = 0
    gold: int = 0
    pred: int = 0
    tp: int = 0
    agencies_pred: int = 0
    agencies_gold: int = 0
    wrong: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    missed: list[dict[str, Any]] = field(default_factory=list)
    spurious: list[dict[str, Any]] = field(default_factory=list)


def score_tasks(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> Tasks:
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            s = dice(g.get("title"), p.get("title"))
            if squash(g.get("section")) and squash(g.get("section")) == squash(p.get("section")):
                s += SECTION_BONUS
            if s >= TASK_THRESHOLD:
                pairs.append((s, gi, pi))
    g_used, p_used, matches = _greedy(pairs)
    out = Tasks(gold=len(gold), pred=len(pred))
    for gi, pi in matches:
        g, p = gold[gi], pred[pi]
        ok = True
        for role in ROLES:
            gs, ps = agency_set(g.get(role)), agency_set(p.get(role))
            out.tp += len(gs & ps)
            ok &= gs == ps
        out.exact += ok
        if not ok:
            out.wrong.append((g, p))
    out.agencies_gold = sum(len(agency_set(g.get(r))) for g in gold for r in ROLES)
    out.agencies_pred = sum(len(agency_set(p.get(r))) for p in pred for r in ROLES)
    out.missed = [gold[gi] for gi in range(len(gold)) if gi not in g_used]
    out.spurious = [pred[pi] for pi in range(len(pred)) if pi not in p_used]
    return out


@dataclass
class Deadlines:
    tp: int = 0
    pred: int = 0
    gold: int = 0
    missed: list[dict[str, Any]] = field(default_factory=list)
    spurious: list[dict[str, Any]] = field(default_factory=list)


def score_deadlines(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> Deadlines:
    """Each gold deadline, in order, takes the first unused prediction it matches."""
    used: set[int] = set()
    out = Deadlines(pred=len(pred), gold=len(gold))
    for g in gold:
        for pi, p in enumerate(pred):
            if pi in used or g.get("date") != p.get("date") or g.get("kind") != p.get("kind"):
                continue
            gt, pt = squash(g.get("text")), squash(p.get("text"))
            if gt and pt and (gt in pt or pt in gt):
                used.add(pi)
                out.tp += 1
                break
        else:
            out.missed.append(g)
    out.spurious = [p for pi, p in enumerate(pred) if pi not in used]
    return out


def score_document(gold: dict[str, Any], pred: dict[str, Any]) -> dict[str, bool]:
    gd, pd = gold.get("document") or {}, pred.get("document") or {}
    return {
        "province": gd.get("province") == pd.get("province"),
        "date": gd.get("date") == pd.get("date"),
        "title": (gd.get("title") is None and not pd.get("title")) or dice(gd.get("title"), pd.get("title")) >= TITLE_THRESHOLD,
    }


# ---------------------------------------------------------------- one document, all documents


@dataclass
class DocumentScore:
    name: str
    predicted: bool  # False: no prediction for this gold document (everything in it is missed)
    targets: Targets
    tasks: Tasks
    deadlines: Deadlines
    facts: dict[str, bool]


def score(gold: dict[str, Any], pred: dict[str, Any] | None, name: str = "") -> DocumentScore:
    """One gold document against its prediction (None when there is none)."""
    p = pred or {}
    return DocumentScore(
        name or Path(gold.get("source", "")).name,
        pred is not None,
        score_targets(gold.get("targets", []), p.get("targets", [])),
        score_tasks(gold.get("tasks", []), p.get("tasks", [])),
        score_deadlines(gold.get("deadlines", []), p.get("deadlines", [])),
        score_document(gold, p),
    )


def score_all(golds: dict[str, dict[str, Any]], preds: dict[str, dict[str, Any]]) -> list[DocumentScore]:
    """Every gold document (by file name, in name order) against its prediction."""
    return [score(gold, preds.get(name), name) for name, gold in sorted(golds.items())]


def figures(scores: list[DocumentScore]) -> dict[str, Any]:
    """The figures of one or several documents, summed: the names are the shared scorer's ``--json`` keys and more."""
    t = {k: sum(getattr(s.targets, k) for s in scores) for k in ("tp", "pred", "gold", "dup", "comparator_ok", "unit_ok", "deadline_ok")}
    k = {key: sum(getattr(s.tasks, key) for s in scores) for key in ("exact", "gold", "pred", "tp", "agencies_pred", "agencies_gold")}
    d = {key: sum(getattr(s.deadlines, key) for s in scores) for key in ("tp", "pred", "gold")}
    n = len(scores)
    facts = {key: sum(s.facts[key] for s in scores) for key in ("province", "date", "title")}
    matched = t["tp"] or 1
    tp, tr, tf = prf(t["tp"], t["pred"], t["gold"])
    ap, ar, af = prf(k["tp"], k["agencies_pred"], k["agencies_gold"])
    dp, dr, df = prf(d["tp"], d["pred"], d["gold"])
    return {
        "targets_gold": t["gold"],
        "targets_predicted": t["pred"],
        "targets_matched": t["tp"],
        "targets_precision": tp,
        "targets_recall": tr,
        "targets_f1": tf,
        "targets_duplicates": t["dup"],
        "comparator_accuracy": t["comparator_ok"] / matched,
        "unit_accuracy": t["unit_ok"] / matched,
        "deadline_accuracy": t["deadline_ok"] / matched,
        "tasks_gold": k["gold"],
        "tasks_predicted": k["pred"],
        "tasks_exactly_right": k["exact"],
        "tasks_exact": k["exact"] / k["gold"] if k["gold"] else 1.0,
        "agencies_precision": ap,
        "agencies_recall": ar,
        "agencies_f1": af,
        "deadlines_gold": d["gold"],
        "deadlines_predicted": d["pred"],
        "deadlines_matched": d["tp"],
        "deadlines_precision": dp,
        "deadlines_recall": dr,
        "deadlines_f1": df,
        "documents": n,
        "province_right": facts["province"],
        "date_right": facts["date"],
        "title_right": facts["title"],
        "province_accuracy": facts["province"] / n if n else 1.0,
        "date_accuracy": facts["date"] / n if n else 1.0,
        "title_accuracy": facts["title"] / n if n else 1.0,
    }


# ---------------------------------------------------------------- what went wrong


@dataclass(frozen=True)
class Problem:
    """One miss, spurious record or wrong field, with the sentence it is about."""

    document: str
    record: str  # target | task | deadline
    problem: str  # missed | spurious | duplicate | wrong
    what: str  # the record in a few words
    detail: str  # for a wrong record: what the gold says and what was predicted
    sentence: str

    def to_dict(self) -> dict[str, str]:
        return dict(self.__dict__)


def _target_words(t: dict[str, Any]) -> str:
    value = t.get("value")
    if t.get("value_max") is not None:
        value = f"{value}-{t.get('value_max')}"
    return f"{t.get('metric')} {t.get('comparator')} {value}{t.get('unit') or ''}"


def _task_words(t: dict[str, Any]) -> str:
    return f"{t.get('section') or ''} {t.get('title') or ''}".strip()


def _roles(t: dict[str, Any]) -> str:
    return "; ".join(f"{r}: {'、'.join(t.get(r) or []) or '-'}" for r in ROLES)


def problems(s: DocumentScore) -> Iterator[Problem]:
    """Every miss and spurious record of one document, targets first."""
    name = s.name
    for g in s.targets.missed:
        yield Problem(name, "target", "missed", _target_words(g), "", g.get("text") or "")
    for p in s.targets.spurious:
        yield Problem(name, "target", "spurious", _target_words(p), "", p.get("text") or "")
    for p in s.targets.duplicates:
        yield Problem(name, "target", "duplicate", _target_words(p), "", p.get("text") or "")
    for g, p, off in s.targets.wrong:
        detail = "; ".join(f"{key}: gold {g.get(key)!r}, got {p.get(key)!r}" for key in off)
        yield Problem(name, "target", "wrong", _target_words(g), detail, p.get("text") or g.get("text") or "")
    for g in s.tasks.missed:
        yield Problem(name, "task", "missed", _task_words(g), _roles(g), g.get("text") or "")
    for p in s.tasks.spurious:
        yield Problem(name, "task", "spurious", _task_words(p), _roles(p), p.get("text") or "")
    for g, p in s.tasks.wrong:
        yield Problem(name, "task", "wrong", _task_words(g), f"gold {_roles(g)} | got {_roles(p)}", p.get("text") or g.get("text") or "")
    for g in s.deadlines.missed:
        yield Problem(name, "deadline", "missed", f"{g.get('text')} {g.get('date')} {g.get('kind')}", "", g.get("context") or g.get("text") or "")
    for p in s.deadlines.spurious:
        yield Problem(name, "deadline", "spurious", f"{p.get('text')} {p.get('date')} {p.get('kind')}", "", p.get("context") or p.get("text") or "")
    for key, ok in s.facts.items():
        if not ok:
            yield Problem(name, "document", "wrong", key, "", "")


# ---------------------------------------------------------------- loading


def is_predictions(path: Path) -> bool:
    """Whether ``path`` holds predictions (JSON) rather than documents to analyse."""
    if path.is_dir():
        return any(path.glob("*.json")) or any(path.glob("*.jsonl"))
    return path.suffix.lower() in PREDICTION_SUFFIXES


def load_documents(path: Path) -> dict[str, dict[str, Any]]:
    """The JSON documents in a folder (``*.json``, ``*.jsonl``) or one file, by their source's file name."""
    files = sorted(path.glob("*.json")) + sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    docs: list[dict[str, Any]] = []
    for f in files:
        text = f.read_text(encoding="utf-8")
        if f.suffix == ".jsonl":
            docs += [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            data = json.loads(text)
            docs += data if isinstance(data, list) else [data]
    return {Path(d.get("source", "")).name: d for d in docs}


def document_paths(paths: Iterable[str]) -> list[str]:
    """The documents named: files as given, and the documents inside each folder, in name order."""
    from policyscan.analyzer import DOCUMENT_SUFFIXES

    out: list[str] = []
    for path in paths:
        p = Path(path)
        if p.is_dir():
            out += [str(f) for f in sorted(p.iterdir()) if f.is_file() and f.suffix.lower() in DOCUMENT_SUFFIXES]
        else:
            out.append(path)
    return out


def load_gold(path: str) -> dict[str, dict[str, Any]]:
    """Hand-annotated documents; a missing path or a file that is not JSON is an input error."""
    from policyscan.errors import PolicyscanError

    p = Path(path)
    if not p.exists():
        raise PolicyscanError("input-missing", path=path)
    try:
        golds = load_documents(p)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PolicyscanError("input-format", path=path, reason=f"not JSON in the contract ({exc})") from None
    if not golds:
        raise PolicyscanError("eval-no-gold", path=path)
    return golds


def as_contract(report: Any) -> dict[str, Any]:
    """A Report as the JSON a prediction file holds (numbers and dates as JSON gives them back)."""
    return json.loads(json.dumps(report.to_dict(), ensure_ascii=False))


# ---------------------------------------------------------------- output


def _prf(p: float, r: float, f: float) -> str:
    return f"P {p:.2f}  R {r:.2f}  F1 {f:.2f}"


def _right(ok: int, n: int, single: bool) -> str:
    return ("right" if ok else "wrong") if single else f"{ok} of {n}"


def _block(title: str, f: dict[str, Any], single: bool) -> list[str]:
    """One document's (or the total's) figures, one line per kind of record."""
    n = f["documents"]
    facts = ", ".join(f"{key} {_right(f[key + '_right'], n, single)}" for key in ("province", "date", "title"))
    return [
        title,
        f"  targets    {_prf(f['targets_precision'], f['targets_recall'], f['targets_f1'])}"
        f"  ({f['targets_gold']} gold, {f['targets_predicted']} predicted, {f['targets_duplicates']} duplicates)",
        f"  matched    comparator {f['comparator_accuracy']:.2f}  unit {f['unit_accuracy']:.2f}  deadline year {f['deadline_accuracy']:.2f}",
        f"  tasks      {f['tasks_exactly_right']} of {f['tasks_gold']} exactly right ({f['tasks_predicted']} predicted)",
        f"  agencies   {_prf(f['agencies_precision'], f['agencies_recall'], f['agencies_f1'])}",
        f"  deadlines  {_prf(f['deadlines_precision'], f['deadlines_recall'], f['deadlines_f1'])}"
        f"  ({f['deadlines_gold']} gold, {f['deadlines_predicted']} predicted)",
        f"  document   {facts}",
    ]


def _problem_line(p: Problem) -> str:
    parts = [f"    {p.problem} {p.record}: {p.what}"]
    if p.detail:
        parts.append(f"      {p.detail}")
    if p.sentence:
        parts.append(f"      「{p.sentence}」")
    return "\n".join(parts)


def as_json(scores: list[DocumentScore], verbose: bool = False) -> dict[str, Any]:
    """Per document and total figures; with ``verbose`` every miss and spurious record."""
    out: dict[str, Any] = {
        "documents": [{"document": s.name, "predicted": s.predicted, **figures([s])} for s in scores],
        "total": figures(scores),
    }
    if verbose:
        out["problems"] = [p.to_dict() for s in scores for p in problems(s)]
    return out


def as_text(scores: list[DocumentScore], verbose: bool = False) -> str:
    """A block of figures per document (with its problems when ``verbose``), then the total."""
    lines: list[str] = []
    for s in scores:
        lines += _block(s.name + ("" if s.predicted else "  [no prediction]"), figures([s]), True)
        if verbose:
            lines += [_problem_line(p) for p in problems(s)]
        lines.append("")
    lines += _block(f"total ({len(scores)} document{'' if len(scores) == 1 else 's'})", figures(scores), False)
    return "\n".join(lines) + "\n"


def write(scores: list[DocumentScore], fmt: str, stream: Any, verbose: bool = False) -> None:
    """The scores as text blocks for reading or as one JSON object."""
    if fmt == "json":
        stream.write(json.dumps(as_json(scores, verbose), ensure_ascii=False, indent=2) + "\n")
    else:
        stream.write(as_text(scores, verbose))
    stream.flush()
