"""policyscan report: the page's marks and links, the command, and the page as headless Chromium renders it.

The browser tests need Debian's ``chromium`` (``.ci/run`` installs it); they
fail when it is missing, unless POLICYSCAN_NO_BROWSER=1 says to skip them.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policyscan import cli, db, report_html
from policyscan.errors import PolicyscanError
from policyscan.model import Span
from policyscan.render import target_value
from policyscan.report_html import Doc, marked
from tests.conftest import CORPUS, ROOT, analyze_text, analyzer_for

runner = CliRunner()


@pytest.fixture(autouse=True)
def one_analyzer(monkeypatch, compiled):
    """The command uses the session's analyzer instead of building its own (the shipped rules either way)."""
    monkeypatch.setattr(cli, "_analyzer", lambda rules, encoding=None: analyzer_for(compiled))


# ---------------------------------------------------------------- a minimal DOM


class Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: "Node | None") -> None:
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def iter(self, tag: str | None = None):
        for c in self.children:
            if isinstance(c, Node):
                if tag is None or c.tag == tag:
                    yield c
                yield from c.iter(tag)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


VOID = {"meta", "link", "br", "img", "input", "hr", "col", "source", "wbr", "area", "base", "embed", "track"}
SVG_EMPTY = {"rect", "circle", "path", "line", "stop", "use"}


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.at = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, self.at)
        self.at.children.append(node)
        if tag not in VOID:
            self.at = node

    def handle_startendtag(self, tag, attrs):
        self.at.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.at))

    def handle_endtag(self, tag):
        node = self.at
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.at = node.parent

    def handle_data(self, data):
        self.at.children.append(data)


def dom(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def by_id(root: Node) -> dict[str, Node]:
    return {n.attrs["id"]: n for n in root.iter() if "id" in n.attrs}


# ---------------------------------------------------------------- marks


@pytest.mark.parametrize(
    "text, spans, expected",
    [
        ("abcdef", [], "abcdef"),
        ("abcdef", [(1, 3)], 'a<mark id="src-1-1-3" class="k">bc</mark>def'),
        ("a<b&c", [(1, 4)], 'a<mark id="src-1-1-4" class="k">&lt;b&amp;</mark>c'),
        # nested: the inner mark sits inside the outer one
        ("abcdef", [(0, 6), (2, 4)], '<mark id="src-1-0-6" class="k">ab<mark id="src-1-2-4" class="k">cd</mark>ef</mark>'),
        # the same span twice is marked once
        ("abcdef", [(2, 4), (2, 4)], 'ab<mark id="src-1-2-4" class="k">cd</mark>ef'),
        # crossing spans: the first is closed and reopened (without its id) around the second's end
        (
            "abcdef",
            [(1, 4), (3, 6)],
            'a<mark id="src-1-1-4" class="k">bc<mark id="src-1-3-6" class="k">d</mark></mark>'
            '<mark class="k more">ef</mark>',
        ),
        # a span beyond the text or empty is not marked
        ("abc", [(1, 9), (2, 2)], "abc"),
    ],
    ids=["none", "one", "escaped", "nested", "twice", "crossing", "out-of-range"],
)
def test_marked(text, spans, expected):
    assert marked(text, [(Span(s, e), "k") for s, e in spans], 1) == expected


def test_crossing_marks_keep_the_first_piece_from_each_start():
    # the id of a crossing span holds its text up to where the first opened span closes: "d" of "def"
    html = marked("abcdef", [(Span(1, 4), "k"), (Span(3, 6), "k")], 1)
    ids = by_id(dom(html))
    assert ids["src-1-1-4"].text == "bcd"
    assert ids["src-1-3-6"].text == "d"
    assert re.sub(r"<[^>]+>", "", html) == "abcdef"


# ---------------------------------------------------------------- --compare names


@pytest.fixture(scope="module")
def small_docs(compiled):
    texts = {
        "甲.txt": "广东省人民政府关于实施质量强省的决定\n到2020年,全省制造业产品质量合格率达到93%以上。",
        "乙.txt": "湖北省人民政府关于建设质量强省的意见\n到2020年,全省制造业产品质量合格率达到95%以上。",
    }
    return [Doc(analyze_text(t, compiled, source=f"plans/{name}"), t) for name, t in texts.items()]


@pytest.mark.parametrize("name, expected", [("plans/甲.txt", ["plans/甲.txt"]), ("甲.txt", ["plans/甲.txt"]), ("湖北省", ["plans/乙.txt"])])
def test_compare_names_a_document_or_a_province(small_docs, name, expected):
    assert [r.source for r in report_html.chosen(name, small_docs)] == expected


def test_compare_names_nothing_known(small_docs):
    with pytest.raises(PolicyscanError) as err:
        report_html.chosen("丙省", small_docs)
    assert err.value.message == "--compare 丙省: no document of that path or file name, and no province of that name, in the report"


def test_comparison_section_colours_each_verdict(small_docs, compiled):
    from policyscan.diff import compare

    docs = small_docs
    diff = compare([docs[0].report], [docs[1].report], analyzer_for(compiled).metrics)
    assert [r.verdict for r in diff.rows] == ["b-more-ambitious"]
    page = report_html.build(docs, analyzer_for(compiled).metrics, diff)
    table = by_id(dom(page))["compare-targets"]
    (row,) = table.iter("tbody")
    cells = list(next(row.iter("tr")).iter("td"))
    assert [c.text for c in cells[2:4]] == [">=93% 全省制造业产品质量合格率", ">=95% 全省制造业产品质量合格率"]
    verdict = next(cells[4].iter("span"))
    assert verdict.classes() == {"verdict", "v-b-more-ambitious"} and verdict.text == "b-more-ambitious"
    # each side's figure links to its document's mark
    links = [a.attrs["href"] for c in cells[2:4] for a in c.iter("a")]
    t1, t2 = docs[0].report.targets[0].span, docs[1].report.targets[0].span
    assert links == [f"#src-1-{t1.start}-{t1.end}", f"#src-2-{t2.start}-{t2.end}"]
    assert ".v-b-more-ambitious" in page  # the class has a style


# ---------------------------------------------------------------- the command


def test_output_is_required():
    result = runner.invoke(cli.app, ["report", str(CORPUS)])
    assert result.exit_code == 2
    assert result.stderr == "policyscan: error: report writes one HTML file; give --output PATH (e.g. --output report.html)\n"


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "report needs folders or documents to analyze, or --db FILE"),
        ([str(CORPUS), "--db", "x.sqlite"], "give either folders and documents or --db FILE, not both"),
    ],
    ids=["nothing", "both"],
)
def test_usage_errors(tmp_path, args, message):
    result = runner.invoke(cli.app, ["report", *args, "-o", str(tmp_path / "r.html")])
    assert (result.exit_code, result.stderr) == (2, f"policyscan: error: {message}\n")
    assert not (tmp_path / "r.html").exists()


def test_a_failed_run_leaves_the_page_as_it_was(tmp_path):
    page = tmp_path / "r.html"
    page.write_text("earlier", encoding="utf-8")
    plan = CORPUS / "shanxi-quality-certification-plan.txt"
    result = runner.invoke(cli.app, ["report", str(plan), "-o", str(page), "--compare", "甘肃省", "山西省"])
    assert result.exit_code == 2
    assert result.stderr.endswith("policyscan: error: --compare 甘肃省: no document of that path or file name, and no province of that name, in the report\n")
    assert page.read_text(encoding="utf-8") == "earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]  # no temporary file left beside it


def test_an_unreadable_document_is_left_out_with_a_warning(tmp_path):
    (tmp_path / "plan.txt").write_text("山西省人民政府办公厅\n到2020年,管理体系认证企业突破10000家。", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    result = runner.invoke(cli.app, ["report", str(tmp_path), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert lines[0] == f"policyscan: warning: {tmp_path / 'empty.txt'}: has no text; check that it is the document you meant; left out of the report"
    assert lines[1].startswith(f"policyscan: info: wrote {tmp_path / 'r.html'}: 1 documents, ")
    ids = by_id(dom((tmp_path / "r.html").read_text(encoding="utf-8")))
    assert "doc-1" in ids and "doc-2" not in ids
    assert oct((tmp_path / "r.html").stat().st_mode & 0o777) != oct(0o600)  # readable like any new file


def test_report_from_a_database_reads_the_documents_again(tmp_path, corpus_reports):
    path = tmp_path / "results.sqlite"
    conn = db.connect(path)
    for r in corpus_reports.values():
        db.write_report(conn, r, [r.source])
    moved = corpus_reports["hubei-2020-quality-province-opinions.txt"]
    conn.close()
    result = runner.invoke(cli.app, ["report", "--db", str(path), "-o", str(tmp_path / "r.html")], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    root = dom((tmp_path / "r.html").read_text(encoding="utf-8"))
    ids = by_id(root)
    assert sorted(k for k in ids if re.fullmatch(r"doc-\d+", k)) == [f"doc-{i}" for i in range(1, 6)]
    # the reports' sources are corpus paths relative to the repository: read from there, the text is shown
    for d, r in enumerate(sorted(corpus_reports.values(), key=lambda r: r.source), start=1):
        assert ids[f"doc-{d}"].iter("pre") is not None
        for t in r.targets:
            assert ids[f"src-{d}-{t.span.start}-{t.span.end}"].tag == "mark"
    assert moved.targets


def test_report_from_a_database_without_the_files_shows_each_sentence(tmp_path, compiled):
    report = analyze_text("到2020年,全省制造业产品质量合格率达到93%以上。", compiled, source=str(tmp_path / "gone.txt"))
    path = tmp_path / "results.sqlite"
    conn = db.connect(path)
    db.write_report(conn, report, [report.source])
    conn.close()
    result = runner.invoke(cli.app, ["report", "--db", str(path), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.stderr
    ids = by_id(dom((tmp_path / "r.html").read_text(encoding="utf-8")))
    (t,) = report.targets
    mark = ids[f"src-1-{t.span.start}-{t.span.end}"]
    assert (mark.tag, mark.text) == ("mark", t.text)


def test_an_empty_database(tmp_path):
    path = tmp_path / "results.sqlite"
    db.connect(path).close()
    result = runner.invoke(cli.app, ["report", "--db", str(path), "-o", str(tmp_path / "r.html")])
    assert (result.exit_code, result.stderr) == (3, f"policyscan: error: {path}: no documents in the database; run policyscan batch DIR --db {path} first\n")


# ---------------------------------------------------------------- in a real browser

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--hide-scrollbars",
]  # fmt: skip


def chromium() -> str:
    if os.environ.get("POLICYSCAN_NO_BROWSER") == "1":
        pytest.skip("POLICYSCAN_NO_BROWSER=1: browser tests skipped")
    found = shutil.which("chromium")
    if found is None:
        pytest.fail("chromium is not installed: apt-get install chromium (or set POLICYSCAN_NO_BROWSER=1 to skip the browser tests)")
    return found


def render(page: Path, tmp: Path, *flags: str) -> tuple[Node, list[str]]:
    """The DOM headless Chromium renders from ``page``, and the URLs the page itself asked for (Chromium's NetLog)."""
    netlog = tmp / "net.json"
    done = subprocess.run(
        [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp / 'profile'}", f"--log-net-log={netlog}", *flags,
         "--dump-dom", page.resolve().as_uri()],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return dom(done.stdout), page_requests(json.loads(netlog.read_text(encoding="utf-8")))


def page_requests(netlog: dict) -> list[str]:
    """URLs requested on behalf of a page: Chromium's own traffic (updates, accounts) has no initiating origin."""
    names = {v: k for k, v in netlog["constants"]["logEventTypes"].items()}
    return [
        e["params"]["url"]
        for e in netlog["events"]
        if names.get(e["type"]) == "URL_REQUEST_START_JOB" and "url" in e.get("params", {})
        and e["params"].get("initiator") != "not an origin"
    ]


def test_the_network_check_sees_a_page_that_asks_for_more(tmp_path):
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><link rel="stylesheet" href="https://example.invalid/a.css"><img src="http://example.invalid/x.png">',
        encoding="utf-8",
    )
    _, requests = render(page, tmp_path)
    assert sorted(requests) == ["http://example.invalid/x.png", "https://example.invalid/a.css"]


@pytest.fixture(scope="module")
def corpus_page(tmp_path_factory):
    """``policyscan report corpus/ --output r.html``, as the issue asks, run from the repository."""
    out = tmp_path_factory.mktemp("report") / "r.html"
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = runner.invoke(cli.app, ["report", "corpus/", "--output", str(out)], catch_exceptions=False)
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.stderr
    return out


def test_the_corpus_page_is_one_small_file_that_references_nothing_outside(corpus_page):
    html = corpus_page.read_text(encoding="utf-8")
    assert corpus_page.stat().st_size < 2 * 1024 * 1024
    root = dom(html)
    references = [v for n in root.iter() for k, v in n.attrs.items() if k in ("href", "src", "action", "data", "poster", "srcset", "xlink:href")]
    assert references and all(v.startswith("#") for v in references)
    assert not re.search(r"url\(|@import", html.split("<body>", 1)[0])  # no stylesheet fetches anything
    assert [n.tag for n in root.iter() if n.tag in ("link", "iframe", "img", "object", "embed", "video", "audio")] == []
    # Hubei 2016 quotes an image address in its text: it is shown as text, not written as a URL
    assert "zcbk.cn" in html and not re.search(r"[a-z]+://", html)


@pytest.fixture(scope="module")
def rendered(corpus_page, tmp_path_factory):
    return render(corpus_page, tmp_path_factory.mktemp("chromium"))


def test_no_request_left_the_page(rendered):
    _, requests = rendered
    assert [u for u in requests if not u.startswith("file:")] == []


def test_the_overview_charts_are_svg(rendered):
    root, _ = rendered
    overview = by_id(root)["overview"]
    charts = {n.attrs.get("id"): n for n in overview.iter("svg")}
    assert set(charts) == {"chart-documents", "chart-categories", "chart-agencies", "chart-deadlines"}
    for svg in charts.values():
        assert list(svg.iter("text")), f"{svg.attrs['id']} has no text labels"
    # the documents chart writes one count per (province, year): 5 documents in all
    counts = [int(c.text) for c in charts["chart-documents"].iter("text") if c.text.isdigit() and len(c.text) < 4]
    assert sum(counts) == 5


def _documents(root: Node, ids: dict[str, Node]) -> dict[str, int]:
    """Page number of each document section, by the source its facts name."""
    found = {}
    for key, node in ids.items():
        if re.fullmatch(r"doc-\d+", key):
            facts = next(node.iter("dl"))
            terms = [n.text for n in facts.iter() if n.tag in ("dt", "dd")]
            found[os.path.basename(terms[terms.index("source") + 1])] = int(key[4:])
    return found


def test_every_target_of_every_corpus_document_links_to_its_highlighted_source(rendered, corpus_reports):
    root, _ = rendered
    ids = by_id(root)
    pages = _documents(root, ids)
    assert sorted(pages) == sorted(corpus_reports)
    checked = 0
    for name, report in corpus_reports.items():
        d = pages[name]
        raw = (CORPUS / name).read_text(encoding="utf-8")
        rows = list(next(ids[f"targets-{d}"].iter("tbody")).iter("tr"))
        assert len(rows) == len(report.targets), name
        for row, target in zip(rows, report.targets):
            (link,) = [a for a in row.iter("a")]
            assert link.text == target_value(target)
            assert link.attrs["href"] == f"#src-{d}-{target.span.start}-{target.span.end}"
            mark = ids[link.attrs["href"][1:]]
            assert mark.tag == "mark" and "target" in mark.classes()
            assert mark.text == raw[target.span.start:target.span.end]
            assert mark.parent is not None
            checked += 1
    assert checked == sum(len(r.targets) for r in corpus_reports.values()) > 100


def test_every_task_and_deadline_links_to_a_mark(rendered, corpus_reports):
    root, _ = rendered
    ids = by_id(root)
    pages = _documents(root, ids)
    for name, report in corpus_reports.items():
        d = pages[name]
        for kind, records in (("tasks", report.tasks), ("deadlines", report.deadlines)):
            if not records:
                assert f"{kind}-{d}" not in ids
                continue
            rows = list(next(ids[f"{kind}-{d}"].iter("tbody")).iter("tr"))
            hrefs = [a.attrs["href"] for row in rows for a in row.iter("a")]
            assert hrefs == [f"#src-{d}-{r.span.start}-{r.span.end}" for r in records]
            assert all(ids[h[1:]].tag == "mark" for h in hrefs)


def test_each_document_text_is_shown_once(rendered, corpus_reports):
    root, _ = rendered
    ids = by_id(root)
    for name, d in _documents(root, ids).items():
        (pre,) = list(ids[f"doc-{d}"].iter("pre"))
        assert pre.text == (CORPUS / name).read_text(encoding="utf-8")


def test_the_page_reads_without_javascript(corpus_page, tmp_path, corpus_reports):
    """The page with its policy forbidding scripts (Chromium's --dump-dom needs JavaScript itself, so it stays on)."""
    html = corpus_page.read_text(encoding="utf-8")
    assert html.count("script-src 'unsafe-inline'") == 1
    page = tmp_path / "no-script.html"
    page.write_text(html.replace("script-src 'unsafe-inline'", "script-src 'none'"), encoding="utf-8")
    root, requests = render(page, tmp_path)
    ids = by_id(root)
    assert [n for n in root.iter("input")] == []  # the filter boxes come with the script: it did not run
    assert len(list(ids["overview"].iter("svg"))) == 4
    rows = sum(len(list(next(ids[f"targets-{d}"].iter("tbody")).iter("tr"))) for d in range(1, 6) if f"targets-{d}" in ids)
    assert rows == sum(len(r.targets) for r in corpus_reports.values())
    assert [u for u in requests if not u.startswith("file:")] == []


def test_the_script_sorts_and_filters_tables_in_the_browser(tmp_path):
    """The page's own script, driven in the page: click a header twice, then filter; the result is in the DOM."""
    table = report_html._table("t", "Targets", ["#", "value"], [["1", report_html._sortable(93, "≥93%")], ["2", report_html._sortable(5, "5个")],
                                                                  ["3", report_html._sortable(120, "120万")]], (0, 1))  # fmt: skip
    driver = (
        "var th=document.querySelectorAll('#t th')[1];th.click();"
        "var once=Array.from(document.querySelectorAll('#t tbody tr')).map(r=>r.cells[0].textContent).join(',');th.click();"
        "var twice=Array.from(document.querySelectorAll('#t tbody tr')).map(r=>r.cells[0].textContent).join(',');"
        "var f=document.querySelector('input.filter');f.value='万';f.dispatchEvent(new Event('input'));"
        "var shown=Array.from(document.querySelectorAll('#t tbody tr:not(.hidden)')).map(r=>r.cells[0].textContent).join(',');"
        "document.body.setAttribute('data-result',once+'|'+twice+'|'+shown);"
    )
    page = tmp_path / "t.html"
    page.write_text(f"<!DOCTYPE html><body>{table}<script>{report_html.SCRIPT}</script><script>{driver}</script></body>", encoding="utf-8")
    root, _ = render(page, tmp_path)
    (body,) = list(root.iter("body"))
    assert body.attrs["data-result"] == "2,1,3|3,1,2|3"


def test_the_script_adds_a_filter_to_every_table(rendered):
    root, _ = rendered
    tables = list(root.iter("table"))
    filters = [n for n in root.iter("input") if "filter" in n.classes()]
    assert len(tables) > 10 and len(filters) == len(tables)
