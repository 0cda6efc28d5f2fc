"""policyscan eval: the scorer's matching on small hand-made pairs, the command, and agreement with eval/score.py."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policyscan import evaluate
from policyscan.cli import app

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
# the shared scorer and its answers live beside the repository (beside a worktree's parent for a worktree)
SHARED = next((p for p in (ROOT.parent / "shared" / "eval", ROOT.parents[1] / "shared" / "eval") if (p / "score.py").is_file()), None)

runner = CliRunner()


def target(metric, value, *, comparator="=", unit="个", year=2020, value_max=None, text=None):
    return {"metric": metric, "comparator": comparator, "value": value, "value_max": value_max, "unit": unit,
            "deadline_year": year, "text": text or f"{metric}{value}{unit}"}


def task(section, title, lead=(), cooperating=(), responsible=()):
    return {"section": section, "title": title, "lead": list(lead), "cooperating": list(cooperating),
            "responsible": list(responsible), "text": "(" + "、".join(lead) + "牵头)"}


def doc(source, targets=(), tasks=(), deadlines=(), **facts):
    document = {"title": None, "province": None, "date": None, **facts}
    return {"source": source, "document": document, "targets": list(targets), "tasks": list(tasks), "deadlines": list(deadlines)}


GOLD = doc(
    "corpus/a.txt",
    targets=[
        target("省级质检中心", 20),
        target("制造业产品质量合格率", 95, comparator=">=", unit="%"),
        target("国家级质检中心", 3, value_max=5),
    ],
    tasks=[
        task("(一)", "完善质量发展激励机制", ["省质监局"], ["省财政厅", "省人社厅"]),
        task("(二)", "加强质量监管", ["省质监局"]),
    ],
    deadlines=[{"text": "2018年底前", "date": "2018-12-31", "kind": "by"}, {"text": "每年", "date": None, "kind": "recurring"}],
    title="甘肃省质量发展行动计划", province="甘肃省",
)
PRED = doc(
    "out/a.txt",
    targets=[
        target("省级质检中心", 20),
        target("新建省级质检中心", 20),  # a second statement of the same target
        target("合格率", 95, comparator="=", unit="%"),  # matched, comparator wrong
        target("国家级质检中心", 3),  # value_max missing: no match
        target("世界500强", 500, unit=""),
    ],
    tasks=[
        task("(一)", "完善质量发展激励机制", ["省质监局"], ["省财政厅", "省人社厅等"]),  # 等 does not count
        task("(二)", "加强质量监管", ["省质监局"], ["省公安厅"]),
    ],
    deadlines=[{"text": "2018年底前完成", "date": "2018-12-31", "kind": "by"}, {"text": "每季度", "date": None, "kind": "recurring"}],
    title="甘肃省质量发展行动计划", province="甘肃省", date="2015-03-01",
)


def write(folder: Path, name: str, data) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def pair(tmp_path):
    write(tmp_path / "gold", "a.json", GOLD)
    write(tmp_path / "pred", "a.json", PRED)
    return tmp_path / "gold", tmp_path / "pred"


# ---------------------------------------------------------------- matching


def test_targets_match_by_value_and_metric_overlap() -> None:
    t = evaluate.score_targets(GOLD["targets"], PRED["targets"])
    assert (t.tp, t.pred, t.gold, t.dup) == (2, 5, 3, 1)
    assert [g["metric"] for g in t.missed] == ["国家级质检中心"]
    assert [p["metric"] for p in t.spurious] == ["国家级质检中心", "世界500强"]
    assert [p["metric"] for p in t.duplicates] == ["新建省级质检中心"]
    assert (t.comparator_ok, t.unit_ok, t.deadline_ok) == (1, 2, 2)


def test_a_metric_found_only_in_the_text_matches_at_four_fifths() -> None:
    gold = [target("企业质量管理体系换版", 5000, unit="家")]
    pred = [target("换版", 5000, unit="家", text="2018年底前完成5000家企业质量管理体系换版工作")]
    assert evaluate.target_similarity(gold[0], pred[0]) == pytest.approx(0.8)
    assert evaluate.score_targets(gold, pred).tp == 1
    assert evaluate.score_targets(gold, [target("药品抽检", 5000, unit="家")]).tp == 0


def test_tasks_exactly_right_and_agencies_by_role() -> None:
    k = evaluate.score_tasks(GOLD["tasks"], PRED["tasks"])
    assert (k.exact, k.gold, k.tp, k.agencies_gold, k.agencies_pred) == (1, 2, 4, 4, 5)
    assert [g["title"] for g, _ in k.wrong] == ["加强质量监管"]


def test_a_task_pairs_by_title_and_section() -> None:
    gold = [task("(三)", "推进品牌建设", ["省商务厅"])]
    assert evaluate.score_tasks(gold, [task("(三)", "品牌建设", ["省商务厅"])]).exact == 1
    assert evaluate.score_tasks(gold, [task("(九)", "加强计量基础", ["省商务厅"])]).exact == 0


def test_deadlines_match_by_date_kind_and_text() -> None:
    d = evaluate.score_deadlines(GOLD["deadlines"], PRED["deadlines"])
    assert (d.tp, d.pred, d.gold) == (1, 2, 2)
    assert [g["text"] for g in d.missed] == ["每年"]
    assert [p["text"] for p in d.spurious] == ["每季度"]


def test_document_facts() -> None:
    assert evaluate.score_document(GOLD, PRED) == {"province": True, "date": False, "title": True}
    assert evaluate.score_document(doc("x"), doc("x", title=""))["title"] is True


def test_nothing_predicted_of_nothing_is_perfect() -> None:
    assert evaluate.prf(0, 0, 0) == (1.0, 1.0, 1.0)
    assert evaluate.prf(0, 0, 3) == (0.0, 0.0, 0.0)
    assert evaluate.prf(0, 2, 0) == (0.0, 1.0, 0.0)


def test_figures_sum_documents() -> None:
    scores = evaluate.score_all({"a.txt": GOLD, "b.txt": doc("b.txt", targets=[target("标准", 10, unit="项")])}, {"a.txt": PRED})
    f = evaluate.figures(scores)
    assert [s.predicted for s in scores] == [True, False]
    assert (f["targets_matched"], f["targets_predicted"], f["targets_gold"], f["targets_duplicates"]) == (2, 5, 4, 1)
    assert f["targets_precision"] == pytest.approx(2 / 5)
    assert f["targets_recall"] == pytest.approx(2 / 4)
    assert f["comparator_accuracy"] == pytest.approx(1 / 2)
    assert (f["tasks_exactly_right"], f["tasks_exact"]) == (1, 0.5)
    assert (f["province_right"], f["date_right"], f["date_accuracy"]) == (2, 1, 0.5)  # b.txt names no facts: both None


# ---------------------------------------------------------------- the command


def test_eval_prints_per_document_and_total(pair) -> None:
    gold, pred = pair
    result = runner.invoke(app, ["eval", str(gold), str(pred)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "a.txt\n"
        "  targets    P 0.40  R 0.67  F1 0.50  (3 gold, 5 predicted, 1 duplicates)\n"
        "  matched    comparator 0.50  unit 1.00  deadline year 1.00\n"
        "  tasks      1 of 2 exactly right (2 predicted)\n"
        "  agencies   P 0.80  R 1.00  F1 0.89\n"
        "  deadlines  P 0.50  R 0.50  F1 0.50  (2 gold, 2 predicted)\n"
        "  document   province right, date wrong, title right\n"
        "\n"
        "total (1 document)\n"
        "  targets    P 0.40  R 0.67  F1 0.50  (3 gold, 5 predicted, 1 duplicates)\n"
        "  matched    comparator 0.50  unit 1.00  deadline year 1.00\n"
        "  tasks      1 of 2 exactly right (2 predicted)\n"
        "  agencies   P 0.80  R 1.00  F1 0.89\n"
        "  deadlines  P 0.50  R 0.50  F1 0.50  (2 gold, 2 predicted)\n"
        "  document   province 1 of 1, date 0 of 1, title 1 of 1\n"
    )


def test_eval_verbose_lists_each_miss_with_its_sentence(pair) -> None:
    gold, pred = pair
    result = runner.invoke(app, ["eval", str(gold), str(pred), "--verbose"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    block = lines[lines.index("  document   province right, date wrong, title right") + 1:lines.index("total (1 document)") - 1]
    assert block == [
        "    missed target: 国家级质检中心 = 3-5个",
        "      「国家级质检中心3个」",
        "    spurious target: 国家级质检中心 = 3个",
        "      「国家级质检中心3个」",
        "    spurious target: 世界500强 = 500",
        "      「世界500强500」",
        "    duplicate target: 新建省级质检中心 = 20个",
        "      「新建省级质检中心20个」",
        "    wrong target: 制造业产品质量合格率 >= 95%",
        "      comparator: gold '>=', got '='",
        "      「合格率95%」",
        "    wrong task: (二) 加强质量监管",
        "      gold lead: 省质监局; cooperating: -; responsible: - | got lead: 省质监局; cooperating: 省公安厅; responsible: -",
        "      「(省质监局牵头)」",
        "    missed deadline: 每年 None recurring",
        "      「每年」",
        "    spurious deadline: 每季度 None recurring",
        "      「每季度」",
        "    wrong document: date",
    ]


def test_eval_json(pair) -> None:
    gold, pred = pair
    result = runner.invoke(app, ["eval", str(gold), str(pred), "--format", "json", "--verbose"])
    data = json.loads(result.stdout)
    assert [d["document"] for d in data["documents"]] == ["a.txt"]
    assert data["total"]["targets_f1"] == pytest.approx(0.5)
    assert data["total"]["agencies_precision"] == pytest.approx(0.8)
    assert {p["problem"] for p in data["problems"]} == {"missed", "spurious", "duplicate", "wrong"}


def test_eval_extracts_documents_first(tmp_path) -> None:
    text = "甘肃省质量发展行动计划\n一、主要目标\n到2020年,新建省级质检中心20个。\n"
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(text, encoding="utf-8")
    write(tmp_path / "gold", "a.json", doc("a.txt", targets=[target("省级质检中心", 20)], province="甘肃省",
                                          title="甘肃省质量发展行动计划",
                                          deadlines=[{"text": "到2020年", "date": "2020-12-31", "kind": "by"}]))
    result = runner.invoke(app, ["eval", str(tmp_path / "gold"), str(tmp_path / "docs"), "-f", "json"])
    assert result.exit_code == 0, result.output
    total = json.loads(result.stdout)["total"]
    assert (total["targets_matched"], total["targets_predicted"], total["deadlines_matched"]) == (1, 1, 1)


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["eval", "no/such/gold", "corpus"], 3, "policyscan: error: no/such/gold: no such file; check the path\n"),
        (["eval", "corpus", "corpus"], 2,
         "policyscan: error: corpus: no gold documents (*.json, *.jsonl); give the folder of hand-annotated answers first\n"),
    ],
)
def test_eval_errors(args, code, message, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, args)
    assert (result.exit_code, result.stderr) == (code, message)


def test_eval_names_a_prediction_without_gold(pair) -> None:
    gold, pred = pair
    write(pred, "b.json", doc("b.txt"))
    result = runner.invoke(app, ["eval", str(gold), str(pred)])
    assert result.exit_code == 0
    assert result.stderr == "policyscan: warning: b.txt: no gold document of that name; not scored\n"


# ---------------------------------------------------------------- agreement with the shared scorer


def _shared_scorer(pred: Path, gold: Path) -> dict:
    out = subprocess.run([sys.executable, str(SHARED / "score.py"), str(pred), str(gold), "--json"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


needs_shared = pytest.mark.skipif(SHARED is None, reason="eval/score.py is not beside the repository (../shared/eval)")


@needs_shared
def test_small_pairs_agree_with_the_shared_scorer(pair) -> None:
    gold, pred = pair
    mine = json.loads(runner.invoke(app, ["eval", str(gold), str(pred), "-f", "json"]).stdout)["total"]
    theirs = _shared_scorer(pred, gold)
    assert {k: mine[k] for k in theirs} == theirs


@needs_shared
def test_corpus_totals_agree_with_the_shared_scorer(tmp_path) -> None:
    docs = sorted(CORPUS.glob("*.txt"))
    for path in docs:
        result = runner.invoke(app, ["extract", str(path), "--format", "json"])
        assert result.exit_code == 0
        (tmp_path / f"{path.stem}.json").write_text(result.stdout, encoding="utf-8")
    theirs = _shared_scorer(tmp_path, SHARED / "gold")
    from_predictions = json.loads(runner.invoke(app, ["eval", str(SHARED / "gold"), str(tmp_path), "-f", "json"]).stdout)
    from_documents = json.loads(runner.invoke(app, ["eval", str(SHARED / "gold"), str(CORPUS), "-f", "json"]).stdout)
    assert {k: from_predictions["total"][k] for k in theirs} == theirs
    assert from_documents["total"] == from_predictions["total"]
    assert from_documents["total"]["documents"] == len(docs)


def test_eval_scores_the_documents_it_could_read(tmp_path) -> None:
    gold = ROOT / "tests" / "data" / "gold"
    plan = ROOT / "tests" / "data" / "county-business-environment-plan.txt"
    result = runner.invoke(app, ["eval", str(gold), str(plan), str(tmp_path / "nope.txt"), "-f", "json"])
    assert result.exit_code == 3
    assert result.stderr == f"policyscan: error: {tmp_path / 'nope.txt'}: no such file; check the path\n"
    total = json.loads(result.stdout)["total"]
    assert (total["documents"], total["targets_matched"], total["tasks_exactly_right"], total["tasks_gold"]) == (1, 6, 1, 4)
