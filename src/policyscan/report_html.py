"""Reports -> one self-contained HTML page: overview charts, each document's records and text, a comparison.

The page makes no network request: its CSS, its small script (sorting and
filtering tables) and its charts (inline SVG from ``charts``) are all in the
file, and it reads with JavaScript off. Every figure in a table links to the
``<mark>`` that highlights its raw span in the document's text, shown once
per document; a span's id is ``src-DOC-START-END`` (DOC counts documents
from 1, START and END are raw character offsets).
"""
from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from policyscan import __version__, charts
from policyscan.errors import PolicyscanError
from policyscan.model import ROLES, Agency, Report, Span
from policyscan.render import NONE, readable, target_value

if TYPE_CHECKING:
    from policyscan.diff import Diff, Entry, MetricVocabulary

ROLE_NAMES = {"lead": "lead", "cooperating": "cooperating", "responsible": "responsible"}
UNCOVERED = "(no indicator)"
UNDATED = "undated"
TOP_AGENCIES = 20


@dataclass(frozen=True)
class Doc:
    """One document of the page: its report and, when it could be read, its raw text."""

    report: Report
    text: str | None = None


def _t(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _prose(text: str) -> str:
    """A document's own text as HTML; an address it quotes (http://…) stays text, with a break chance
    after its scheme, so that nothing in the page reads as a reference to leave it by."""
    return escape(text, quote=False).replace("://", ":<wbr>//")


def span_id(doc: int, span: Span) -> str:
    return f"src-{doc}-{span.start}-{span.end}"


def _link(doc: int, span: Span | None, label: str, has_text: bool) -> str:
    if span is None or not has_text:
        return _t(label)
    return f'<a href="#{span_id(doc, span)}">{_t(label)}</a>'


def canonical(agency: Agency) -> str:
    """The name an agency is counted under: its successor after a reform, else its canonical name, else as written."""
    return agency.successor or agency.canonical or agency.name


def short_name(report: Report) -> str:
    """A label for a chart: the file name without its suffix."""
    name = os.path.basename(report.source) or report.source
    return name.rsplit(".", 1)[0] if "." in name else name


def year_of(report: Report) -> str:
    f = report.document
    if f.date is not None:
        return str(f.date.year)
    if f.period is not None:
        return str(f.period.start)
    return UNDATED


# ---------------------------------------------------------------- the text with its marks


def marked(text: str, spans: Iterable[tuple[Span, str]], doc: int) -> str:
    """``text`` escaped, with a ``<mark>`` around each span (class ``kind``); the first piece of each has its id.

    Spans may nest and cross: a mark still open when an inner one closes is
    closed and reopened around it, so the HTML stays well formed; only the
    piece that starts at the span's start carries the id.
    """
    kinds: dict[tuple[int, int], str] = {}
    for span, kind in spans:
        if 0 <= span.start < span.end <= len(text):
            kinds.setdefault((span.start, span.end), kind)
    intervals = sorted(kinds, key=lambda s: (s[0], -s[1]))
    cuts = sorted({0, len(text), *(p for s in intervals for p in s)})
    out: list[str] = []
    stack: list[tuple[int, int]] = []
    opened: set[tuple[int, int]] = set()
    for here, nxt in zip(cuts, cuts[1:]):
        active = [s for s in intervals if s[0] <= here and s[1] >= nxt]
        keep = 0
        while keep < len(stack) and stack[keep] in active:
            keep += 1
        for _ in range(len(stack) - keep):
            stack.pop()
            out.append("</mark>")
        for s in active:
            if s in stack:
                continue
            kind = kinds[s]
            if s in opened:
                out.append(f'<mark class="{kind} more">')
            else:
                opened.add(s)
                out.append(f'<mark id="src-{doc}-{s[0]}-{s[1]}" class="{kind}">')
            stack.append(s)
        out.append(_prose(text[here:nxt]))
    out.extend("</mark>" for _ in stack)
    return "".join(out)


def _record_spans(report: Report) -> list[tuple[Span, str]]:
    spans: list[tuple[Span, str]] = [(t.span, "target") for t in report.targets]
    spans += [(d.span, "deadline") for d in report.deadlines]
    spans += [(k.span, "task") for k in report.tasks]
    return spans


def _quotes(report: Report, doc: int) -> str:
    """Without the document's text: each record's own sentence, marked, once per span."""
    seen: dict[tuple[int, int], str] = {}
    texts = [(t.span, t.text, "target") for t in report.targets]
    texts += [(d.span, d.context or d.text, "deadline") for d in report.deadlines]
    texts += [(k.span, k.text, "task") for k in report.tasks]
    for span, text, kind in texts:
        seen.setdefault((span.start, span.end), f'<p><mark id="src-{doc}-{span.start}-{span.end}" class="{kind}">{_t(text)}</mark></p>')
    return "".join(seen.values())


# ---------------------------------------------------------------- tables


def _table(table_id: str, caption: str, header: Sequence[str], rows: Sequence[Sequence[str]], numeric: Iterable[int] = ()) -> str:
    if not rows:
        return f'<p class="none">{_t(caption)}: none</p>'
    numeric = set(numeric)
    head = "".join(f'<th scope="col"{" class=num" if i in numeric else ""}>{_t(h)}</th>' for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(f"<td{' class=num' if i in numeric else ''}>{c}</td>" for i, c in enumerate(r)) + "</tr>" for r in rows)
    return (
        f'<table id="{table_id}" class="data {table_id.split("-")[0]}"><caption>{_t(caption)} ({len(rows)})</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _sortable(value: object, shown: str) -> str:
    """A cell whose sort key is ``value`` (a number) while it shows ``shown``."""
    return f'<span data-v="{_t(value)}">{shown}</span>'


def _names(agencies: Sequence[Agency]) -> str:
    parts = []
    for a in agencies:
        name = _t(a.name)
        if a.successor:
            parts.append(f'{name} <span class="reform" title="since {_t(a.reform_year)}">→ {_t(a.successor)}</span>')
        elif a.canonical and a.canonical != a.name:
            parts.append(f'{name} <span class="canon">({_t(a.canonical)})</span>')
        else:
            parts.append(name + ("" if a.known else ' <span class="unknown">?</span>'))
    return "、".join(parts) or NONE


def _facts(report: Report) -> str:
    f = report.document
    period = None if f.period is None else (str(f.period.start) if f.period.start == f.period.end else f"{f.period.start}-{f.period.end}")
    facts = [
        ("source", report.source), ("province", f.province), ("city", f.city), ("issuer", f.issuer),
        ("date", f.date.isoformat() if f.date else None), ("plan period", period), ("doc number", f.doc_number),
        ("records", f"{len(report.targets)} targets, {len(report.tasks)} tasks, {len(report.deadlines)} deadlines"),
    ]  # fmt: skip
    items = "".join(f"<dt>{_t(k)}</dt><dd>{_t(v) if v else NONE}</dd>" for k, v in facts if k != "city" or v)
    warnings = "".join(f"<li>{_t(w)}</li>" for w in report.warnings)
    return f'<dl class="facts">{items}</dl>' + (f'<ul class="warnings">{warnings}</ul>' if warnings else "")


def _document(d: int, doc: Doc, vocabulary: "MetricVocabulary") -> str:
    r, has_text = doc.report, True
    targets = []
    for i, t in enumerate(r.targets, start=1):
        ind = vocabulary.resolve(t)
        baseline = "" if t.baseline is None else f"{readable(t.baseline.value)}{t.unit}" + (f" ({t.baseline.year})" if t.baseline.year else "")
        targets.append([
            _sortable(i, str(i)), _t(t.metric),
            _sortable(t.value, _link(d, t.span, target_value(t), has_text)),
            _t(baseline), _t(t.deadline_year or ""), _t(t.binding or ""),
            _t(ind.name if ind else ""), _t(ind.category if ind else ""), _t(t.section),
        ])  # fmt: skip
    tasks = []
    for i, k in enumerate(r.tasks, start=1):
        tasks.append([
            _sortable(i, str(i)), _t(k.section), _link(d, k.span, k.title or k.text[:40], has_text),
            _names(k.lead), _names(k.cooperating), _names(k.responsible), _t(k.deadline_year or ""),
        ])  # fmt: skip
    deadlines = []
    for i, dl in enumerate(r.deadlines, start=1):
        deadlines.append([
            _sortable(i, str(i)), _link(d, dl.span, dl.text, has_text),
            _t(dl.date.isoformat() if dl.date else ""), _t(dl.kind), _t(dl.section), _t(dl.context),
        ])  # fmt: skip
    title = r.document.title or short_name(r)
    if doc.text is not None:
        text = f'<pre class="text">{marked(doc.text, _record_spans(r), d)}</pre>'
        note = "The document as read; each record's source is highlighted."
    else:
        text = f'<div class="text">{_quotes(r, d)}</div>'
        note = "The document's file could not be read again, so only each record's sentence is shown."
    return (
        f'<section class="document" id="doc-{d}"><h2>{d}. {_t(title)}</h2>{_facts(r)}'
        + _table(f"targets-{d}", "Targets", ["#", "metric", "value", "baseline", "by", "binding", "indicator", "category", "section"], targets, (0, 2, 4))
        + _table(f"tasks-{d}", "Tasks", ["#", "section", "task", "lead", "cooperating", "responsible", "by"], tasks, (0, 6))
        + _table(f"deadlines-{d}", "Deadlines", ["#", "deadline", "date", "kind", "section", "context"], deadlines, (0,))
        + f'<details class="source" open><summary>Text of {_t(short_name(r))}</summary><p class="note">{note}</p>{text}</details>'
        + '<p class="top"><a href="#top">↑ overview</a></p></section>'
    )


# ---------------------------------------------------------------- overview


def _overview(docs: Sequence[Doc], vocabulary: "MetricVocabulary") -> str:
    reports = [doc.report for doc in docs]
    provinces = list(dict.fromkeys(sorted(r.document.province or "?" for r in reports)))
    years = sorted({year_of(r) for r in reports}, key=lambda y: (y == UNDATED, y))
    by_year = Counter((r.document.province or "?", year_of(r)) for r in reports)
    per_category: Counter[tuple[str, str]] = Counter()
    for r in reports:
        for t in r.targets:
            ind = vocabulary.resolve(t)
            per_category[(ind.category if ind else UNCOVERED, r.document.province or "?")] += 1
    categories = [c for c in (*vocabulary.categories, UNCOVERED) if any(per_category[(c, p)] for p in provinces)]
    workload: dict[str, Counter[str]] = {}
    for r in reports:
        for task in r.tasks:
            for role in ROLES:
                for name in dict.fromkeys(canonical(a) for a in getattr(task, role)):
                    workload.setdefault(name, Counter())[role] += 1
    busiest = sorted(workload.items(), key=lambda kv: (-sum(kv[1].values()), -kv[1]["lead"], kv[0]))
    lanes = [(f"{i}. {short_name(r)}", [dl.date for dl in r.deadlines if dl.date is not None]) for i, r in enumerate(reports, start=1)]
    undated = sum(1 for r in reports for dl in r.deadlines if dl.date is None)

    contents = [
        [_sortable(i, str(i)), f'<a href="#doc-{i}">{_t(r.document.title or short_name(r))}</a>', _t(r.document.province or ""),
         _t(year_of(r)), _sortable(len(r.targets), str(len(r.targets))), _sortable(len(r.tasks), str(len(r.tasks))),
         _sortable(len(r.deadlines), str(len(r.deadlines)))]
        for i, r in enumerate(reports, start=1)
    ]  # fmt: skip
    parts = [
        '<section id="overview"><h2>Overview</h2>',
        _table("documents", "Documents", ["#", "title", "province", "year", "targets", "tasks", "deadlines"], contents, (0, 3, 4, 5, 6)),
        '<div class="charts"><figure><figcaption>Documents by province and year (date of issue, else the first year of the plan period)</figcaption>',
        charts.matrix("chart-documents", "Documents by province and year", provinces, years, by_year),
        "</figure>",
        "<figure><figcaption>Targets by category (the indicators of rules/metrics.yaml) and province</figcaption>",
        charts.matrix("chart-categories", "Targets by category and province", categories, provinces, per_category)
        if categories else '<p class="none">No targets.</p>',
        "</figure></div>",
        f"<figure><figcaption>Agency workload: tasks led, cooperated on and carried, by name after the 2018 reform"
        f"{f' (the {TOP_AGENCIES} busiest of {len(busiest)})' if len(busiest) > TOP_AGENCIES else ''}</figcaption>",
        charts.stacked_bars("chart-agencies", "Agency workload", busiest[:TOP_AGENCIES], list(ROLES))
        if busiest else '<p class="none">No tasks name an agency.</p>',
        "</figure>",
        f"<figure><figcaption>Deadlines by date, per document{f' ({undated} without a date left out)' if undated else ''}</figcaption>",
        charts.timeline("chart-deadlines", "Deadline timeline", lanes),
        "</figure></section>",
    ]
    return "".join(parts)


# ---------------------------------------------------------------- comparison


def _entry(e: "Entry | None", place: dict[int, int]) -> str:
    from policyscan.render_diff import commitment

    if e is None:
        return NONE
    shown = _t(commitment(e))
    d = place.get(e.document)
    if d is not None:
        shown = f'<a href="#{span_id(d, e.target.span)}">{shown}</a>'
    return f'{shown} <span class="metric">{_t(e.target.metric)}</span>'


def _comparison(diff: "Diff", docs: Sequence[Doc]) -> str:
    where = {id(doc.report): d for d, doc in enumerate(docs, start=1)}
    place_a = {i: where[id(r)] for i, r in enumerate(diff.a.reports) if id(r) in where}
    place_b = {i: where[id(r)] for i, r in enumerate(diff.b.reports) if id(r) in where}
    rows = []
    for row in diff.rows:
        ind = row.indicator
        rows.append([
            _t(ind.name if ind else ""), _t(ind.category if ind else ""),
            _entry(row.a, place_a), _entry(row.b, place_b),
            f'<span class="verdict v-{_t(row.verdict)}">{_t(row.verdict)}</span>',
        ])  # fmt: skip
    agencies = [
        [_t(g.canonical) + (f' <span class="reform">(was {_t("、".join(g.former))})</span>' if g.former else ""),
         *(_sortable(g.a[role], str(g.a[role])) for role in ROLES), *(_sortable(g.b[role], str(g.b[role])) for role in ROLES)]
        for g in diff.agencies
    ]  # fmt: skip
    summary = ", ".join(f'<span class="verdict v-{_t(v)}">{_t(v)}</span> {n}' for v, n in diff.summary.items())
    return (
        '<section id="comparison"><h2>Comparison</h2>'
        f'<dl class="facts"><dt>A</dt><dd>{_t(diff.a.label)}</dd><dt>B</dt><dd>{_t(diff.b.label)}</dd>'
        f"<dt>verdicts</dt><dd>{summary or NONE}</dd></dl>"
        + _table("compare-targets", "Targets aligned by indicator", ["indicator", "category", "A", "B", "verdict"], rows)
        + _table("compare-agencies", "Agencies (tasks per role)", ["agency", *(f"A {r}" for r in ROLES), *(f"B {r}" for r in ROLES)], agencies, range(1, 7))
        + "</section>"
    )


# ---------------------------------------------------------------- the page

CSS = """
:root{--ink:#1a1a1a;--muted:#555;--line:#bbb;--mark:#ffe08a;--task:#e6eef7}
*{box-sizing:border-box}
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;color:var(--ink);margin:0 auto;max-width:1200px;padding:0 1.5rem 3rem;line-height:1.5}
header{border-bottom:3px solid var(--ink);margin-bottom:1rem}
h1{margin:.6rem 0 .2rem;font-size:1.6rem}h2{border-bottom:1px solid var(--line);padding-bottom:.2rem;margin-top:2.5rem}
nav ol{columns:2;margin:.3rem 0}
figure{margin:1.2rem 0}.charts{display:flex;flex-wrap:wrap;gap:0 3rem;align-items:flex-start}.charts figure{flex:1 1 0;min-width:22rem}figcaption{font-weight:bold;margin-bottom:.3rem}
svg.chart{max-width:100%;height:auto;display:block}
table.data{border-collapse:collapse;width:100%;margin:1rem 0;font-size:.9rem}
caption{text-align:left;font-weight:bold;padding:.2rem 0}
th,td{border:1px solid var(--line);padding:.2rem .4rem;vertical-align:top;text-align:left}
th{background:#eee}table.tasks td:nth-child(3){min-width:9em}td.num,th.num{text-align:right;white-space:nowrap}
th.sortable{cursor:pointer}th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
tr.hidden{display:none}
input.filter{margin:.5rem 0 0;padding:.2rem .4rem;width:20rem;max-width:100%}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.5rem 0}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
pre.text,div.text{white-space:pre-wrap;word-break:break-all;font-family:inherit;border-left:3px solid var(--line);padding:.5rem 1rem;background:#fafafa}
mark{background:var(--task);color:inherit}
mark.target,mark.deadline{background:var(--mark);border-bottom:2px solid #a06800}
mark:target{outline:3px solid #000;background:#ffc400}
.reform{color:#6a3d00}.canon,.metric,.note,.none{color:var(--muted)}.unknown{font-weight:bold}
.verdict{padding:0 .3rem;border:1px solid #000;border-radius:3px;white-space:nowrap}
.v-same,.v-kept{background:#e8e8e8}
.v-a-more-ambitious,.v-lowered{background:#1f4e79;color:#fff}
.v-b-more-ambitious,.v-raised{background:#9dc3e6}
.v-not-comparable{background:repeating-linear-gradient(45deg,#fff,#fff 3px,#ccc 3px,#ccc 6px)}
.v-only-a,.v-dropped{background:#843c0c;color:#fff}
.v-only-b,.v-new{background:#f4b183}
a{color:#0b4f9c}
footer{margin-top:3rem;color:var(--muted);font-size:.85rem;border-top:1px solid var(--line)}
@media print{
 body{max-width:none;padding:0;font-size:10pt}
 input.filter,p.top{display:none}
 a{color:inherit;text-decoration:none}
 section.document{break-before:page}
 tr,figure{break-inside:avoid}
 th{background:none}
 mark.target,mark.deadline{background:none;border-bottom:1.5pt solid #000}
 mark{background:none}
 details.source>summary{list-style:none}
}
"""

SCRIPT = """
(function(){
function key(td){var s=td.querySelector('[data-v]');var v=s?s.getAttribute('data-v'):td.textContent.trim();var n=parseFloat(v);return isNaN(n)||!/^-?[0-9.]+$/.test(v)?v:n}
document.querySelectorAll('table.data').forEach(function(table){
 var body=table.tBodies[0];
 var input=document.createElement('input');input.type='search';input.className='filter';input.placeholder='Filter rows…';
 input.setAttribute('aria-label','Filter '+table.caption.textContent);
 table.parentNode.insertBefore(input,table);
 input.addEventListener('input',function(){var q=input.value.trim().toLowerCase();
  Array.prototype.forEach.call(body.rows,function(tr){tr.classList.toggle('hidden',q!==''&&tr.textContent.toLowerCase().indexOf(q)<0)})});
 Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,col){
  th.classList.add('sortable');th.tabIndex=0;
  function sort(){var asc=th.getAttribute('aria-sort')!=='ascending';
   Array.prototype.forEach.call(table.tHead.rows[0].cells,function(o){o.removeAttribute('aria-sort')});
   th.setAttribute('aria-sort',asc?'ascending':'descending');
   var rows=Array.prototype.slice.call(body.rows);
   rows.sort(function(a,b){var x=key(a.cells[col]),y=key(b.cells[col]);var c=(typeof x===typeof y)?(x<y?-1:x>y?1:0):(typeof x==='number'?-1:1);return asc?c:-c});
   rows.forEach(function(r){body.appendChild(r)})}
  th.addEventListener('click',sort);th.addEventListener('keydown',function(e){if(e.key==='Enter')sort()});
 });
});
})();
"""


def build(docs: Sequence[Doc], vocabulary: "MetricVocabulary", comparison: "Diff | None" = None, *, rules_digest: str = "") -> str:
    """The whole page, as one string."""
    total = Counter()
    for doc in docs:
        total["targets"] += len(doc.report.targets)
        total["tasks"] += len(doc.report.tasks)
        total["deadlines"] += len(doc.report.deadlines)
    nav = "".join(f'<li><a href="#doc-{d}">{_t(doc.report.document.title or short_name(doc.report))}</a></li>' for d, doc in enumerate(docs, start=1))
    compare_link = '<li><a href="#comparison">Comparison</a></li>' if comparison is not None else ""
    body = [
        '<header id="top"><h1>policyscan report</h1>',
        f'<p>{len(docs)} documents: {total["targets"]} targets, {total["tasks"]} tasks, {total["deadlines"]} deadlines. '
        "Each figure links to its source, highlighted in the document's text.</p>",
        f'<nav><ul><li><a href="#overview">Overview</a></li>{compare_link}</ul><ol>{nav}</ol></nav></header>',
        _overview(docs, vocabulary),
    ]
    if comparison is not None:
        body.append(_comparison(comparison, docs))
    body.extend(_document(d, doc, vocabulary) for d, doc in enumerate(docs, start=1))
    digest = f", rules {rules_digest[:12]}" if rules_digest else ""
    body.append(f"<footer><p>Made by policyscan {_t(__version__)}{_t(digest)}.</p></footer>")
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'\">"
        f"<title>policyscan report · {len(docs)} documents</title><style>{CSS}</style></head>"
        "<body>" + "".join(body) + f"<script>{SCRIPT}</script></body></html>\n"
    )


def write(path: str | Path, page: str) -> None:
    """Write the page whole or not at all: a temporary file beside it, readable like any new file, renamed over it."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with open(fd, "w", encoding="utf-8", newline="") as f:
            f.write(page)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def chosen(name: str, docs: Sequence[Doc]) -> list[Report]:
    """The reports ``--compare`` names by ``name``: one document (its path or file name), or every document of a province."""
    reports = [doc.report for doc in docs]
    for match in (
        lambda r: r.source == name,
        lambda r: os.path.normpath(r.source) == os.path.normpath(name),
        lambda r: os.path.basename(r.source) in (name, os.path.basename(name)),
    ):
        found = [r for r in reports if match(r)]
        if len(found) == 1:
            return found
    found = [r for r in reports if r.document.province == name]
    if found:
        return found
    raise PolicyscanError("report-compare", name=name)
