"""`nablab exam`: papers, keys, Moodle XML, rosters and reproducibility."""
import json
import re
import types
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from question_bank.cli import exam
from question_bank.core import ChoicePart, NumericPart, SymbolicPart, TrueFalsePart
from question_bank.exam import ExamQuestion, build_paper, paper_seed, read_roster
from question_bank.export_moodle import question_xmls
from question_bank.layout import LETTERS
from question_bank.registry import Template, all_templates, get

ROSTER = "name,Student ID,email\nAnn,s001,ann@example.org\nBob,s002,bob@example.org\nCyd, x/3 ,cyd@example.org\n"
MOODLE_TYPES = {"numerical", "multichoice", "truefalse", "cloze", "essay", "shortanswer"}


def run_exam(tmp_path: Path, *args: str, roster: str | None = ROSTER, name: str = "out") -> tuple[Path, object]:
    out = tmp_path / name
    extra = []
    if roster is not None:
        roster_file = tmp_path / f"{name}-roster.csv"
        roster_file.write_text(roster, encoding="utf-8")
        extra = ["--roster", str(roster_file)]
    result = CliRunner().invoke(exam, ["--out", str(out), *extra, *args])
    return out, result


def categories(xml_path: Path) -> dict[str, list[ET.Element]]:
    root = ET.parse(xml_path).getroot()
    assert root.tag == "quiz"
    groups: dict[str, list[ET.Element]] = {}
    current = None
    for question in root:
        if question.get("type") == "category":
            current = question.find("category/text").text
            groups[current] = []
        else:
            groups[current].append(question)
    return groups


def exam_numbers(questions: list[ET.Element]) -> list[int]:
    """The exam question numbers (Q1, Q2, ...) of a category; a question may span two Moodle questions."""
    numbers = [int(re.match(r"Q(\d+) ", q.find("name/text").text).group(1)) for q in questions]
    return sorted(set(numbers))


def test_single_paper_and_key(tmp_path):
    out, result = run_exam(tmp_path, "--seed", "3", "--questions", "4", roster=None)
    assert result.exit_code == 0, result.output
    paper, key = (out / "paper.md").read_text(), (out / "key.md").read_text()
    assert paper.count("## Question") == 4 and key.count("## Question") == 4
    assert "**Answer:**" in key and "**Answer:**" not in paper
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["papers"][0]["student_id"] is None and len(manifest["papers"][0]["questions"]) == 4


def test_roster_papers_in_all_formats(tmp_path):
    out, result = run_exam(tmp_path, "--seed", "11", "--questions", "5", "--format", "md,html,moodle")
    assert result.exit_code == 0, result.output
    for sid in ("s001", "s002", "x_3"):
        for kind in ("papers", "keys"):
            assert (out / kind / f"{sid}.md").exists() and (out / kind / f"{sid}.html").exists()
    html = (out / "papers" / "s001.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and "MathJax" in html and "<h2>Question 1</h2>" in html
    groups = categories(out / "moodle.xml")
    assert sorted(groups) == sorted(f"$course$/nablab exam 11/student {s}" for s in ("s001", "s002", "x/3"))
    for questions in groups.values():
        assert exam_numbers(questions) == [1, 2, 3, 4, 5]
        for q in questions:
            assert q.get("type") in MOODLE_TYPES
            assert q.find("questiontext/text").text and q.find("name/text").text
            if q.get("type") == "essay":
                assert "Answer:" in q.find("graderinfo/text").text
            if q.get("type") == "cloze":
                assert "{1:" in q.find("questiontext/text").text
            if q.get("type") == "numerical":
                assert q.find("answer/tolerance") is not None


def test_papers_differ_between_students_and_are_reproducible(tmp_path):
    out1, r1 = run_exam(tmp_path, "--seed", "21", "--questions", "3", "--format", "md,moodle", name="one")
    reversed_roster = "student_id\nx/3\ns002\ns001\n"
    out2, r2 = run_exam(tmp_path, "--seed", "21", "--questions", "3", "--format", "md,moodle", roster=reversed_roster, name="two")
    assert r1.exit_code == 0 and r2.exit_code == 0
    papers = {sid: (out1 / "papers" / f"{sid}.md").read_text() for sid in ("s001", "s002", "x_3")}
    assert len(set(papers.values())) == 3
    for sid, text in papers.items():  # same student, same seed: same paper, whatever the roster order
        assert (out2 / "papers" / f"{sid}.md").read_text() == text
    out3, r3 = run_exam(tmp_path, "--seed", "21", "--questions", "3", "--format", "md,moodle", name="three")
    assert (out3 / "moodle.xml").read_bytes() == (out1 / "moodle.xml").read_bytes()
    out4, _ = run_exam(tmp_path, "--seed", "22", "--questions", "3", name="four")
    assert (out4 / "papers" / "s001.md").read_text() != papers["s001"]


def test_answer_key_answers_are_accepted(tmp_path):
    out, result = run_exam(tmp_path, "--seed", "5", "--questions", "6", roster=None)
    manifest = json.loads((out / "manifest.json").read_text())
    for q in manifest["papers"][0]["questions"]:
        template = get(q["template"])
        variant = template.generate(q["seed"])
        assert f"`{template.answer_text(variant)}`" in (out / "key.md").read_text()
        assert template.check(variant, template.answer_text(variant)).correct


def test_large_roster_with_progress_bar(tmp_path):
    roster = "id\n" + "\n".join(f"stud{i:03d}" for i in range(25)) + "\n"
    out, result = run_exam(tmp_path, "--seed", "1", "--questions", "2", "--format", "moodle", roster=roster)
    assert result.exit_code == 0, result.output
    groups = categories(out / "moodle.xml")
    assert len(groups) == 25 and all(exam_numbers(qs) == [1, 2] for qs in groups.values())


@pytest.mark.parametrize("args, roster, message", [
    (["--format", "pdf"], None, "unknown format"),
    ([], "student_id\na\na\n", "appears twice"),
    ([], "student_id\n\n", "no student ids"),
    ([], "id\na b\na_b\n", "share the file name"),
])
def test_usage_errors(tmp_path, args, roster, message):
    _, result = run_exam(tmp_path, "--seed", "1", "--questions", "2", *args, roster=roster)
    assert result.exit_code == 2 and message in result.output


def test_roster_without_header_uses_first_column(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("u1,Ann\nu2,Bob\n", encoding="utf-8")
    assert read_roster(path) == ("u1", "u2")


def test_paper_seed_is_a_stable_hash():
    assert paper_seed(7, "s001") == paper_seed(7, "s001") != paper_seed(7, "s002")
    assert paper_seed(7, None) != paper_seed(8, None)
    paper = build_paper(7, 30)  # more questions than templates: templates repeat with other variants
    assert len(paper.questions) == 30 and len({(q.template.name, q.seed) for q in paper.questions}) == 30


def synthetic(part, title="Synthetic <&> question"):
    """A one-part template, to exercise the Moodle mapping for single numbers, choices and truths."""
    module = types.ModuleType("synthetic")
    module.NAME, module.TITLE, module.TOPIC, module.POINTS, module.SOURCE = "synthetic", title, "test", 2, "test"
    module.generate = lambda seed: types.SimpleNamespace(seed=seed)
    module.parts = lambda v: (part,)
    module.render = lambda v: f"### {title}\n\nCompute $a < b$ & more.\n\n*Answer format:* whatever."
    module.solution = lambda v: "Because."
    return ExamQuestion(number=1, template=Template(module), seed=0)


def test_moodle_single_part_mappings_are_valid_xml():
    numeric = NumericPart(label="a", prompt="x", value=(0.25,), rel_tol=0.0, abs_tol=0.01,
                          misconceptions=(types.SimpleNamespace(value=(0.5,), feedback="doubled"),))
    choice = ChoicePart(label="a", prompt="p", options=("$x < 1$", "y & z"), correct=1, explanation="z.")
    truth = TrueFalsePart(label="a", statement="s", truth=False, explanation="no.")
    for part, kind in ((numeric, "numerical"), (choice, "multichoice"), (truth, "truefalse")):
        (node,) = question_xmls(synthetic(part))
        parsed = ET.fromstring(ET.tostring(node, encoding="unicode"))
        assert parsed.get("type") == kind
        text = parsed.find("questiontext/text").text
        assert r"\(a &lt; b\)" in text and "*Answer format:*" not in text
        assert parsed.find("name/text").text.startswith("Q1 Synthetic <&> question")
    (node,) = question_xmls(synthetic(numeric))
    answers = node.findall("answer")
    assert [a.get("fraction") for a in answers] == ["100", "0"]
    assert answers[0].find("text").text == "0.25" and answers[0].find("tolerance").text == "0.01"
    assert answers[1].find("feedback/text").text == "doubled"
    (truth_node,) = question_xmls(synthetic(truth))
    assert [(a.find("text").text, a.get("fraction")) for a in truth_node.findall("answer")] == [("true", "0"), ("false", "100")]


# Moodle's own cloze syntax (question/type/multianswer/questiontype.php), in Python's re dialect.
_FRACTION = r"=|%(-?[0-9]+)%"
_ANSWER = r".+?(?<!\\)(?<!&)(?<!&amp;)(?=[~#}]|$)"
_FEEDBACK = r".*?(?<!\\)(?=[~}]|$)"
_ALT = f"({_FRACTION})?({_ANSWER})(#({_FEEDBACK}))?"
_TYPE = (r"(NUMERICAL|NM)|(MULTICHOICE|MC)|(MULTICHOICE_V|MCV)|(MULTICHOICE_H|MCH)|"
         r"(SHORTANSWER|SA|MW)|(SHORTANSWER_C|SAC|MWC)")
CLOZE_START = re.compile(r"\{([0-9]*):(" + _TYPE + "):")
CLOZE = re.compile(CLOZE_START.pattern + "(" + _ALT + "(~" + _ALT + ")*)\\}", re.S)
_NUMBER = r"-?(([0-9]+[.,]?[0-9]*|[.,][0-9]+)([eE][-+]?[0-9]+)?)"
NUMERICAL_ALT = re.compile("^(" + _NUMBER + ")(:" + _NUMBER + ")?$", re.S)


def cloze_blanks(text: str) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(type, [(fraction, answer, feedback)]) per blank, read the way Moodle's importer reads them."""
    blanks = []
    for match in CLOZE.finditer(text):
        kind = "NUMERICAL" if match.group(3) else "MULTICHOICE" if match.group(4) else match.group(2)
        alternatives, rest = [], match.group(9)
        while rest:
            alt = re.match("~?" + _ALT, rest, re.S)
            assert alt and alt.group(0), f"unreadable alternatives {rest!r} in {match.group(0)!r}"
            alternatives.append((alt.group(1) or "", alt.group(3), alt.group(5) or ""))
            rest = rest[alt.end():]
        blanks.append((kind, alternatives))
    assert len(blanks) == len(CLOZE_START.findall(text)), "a blank that Moodle would not read"
    return blanks


def expected_blanks(part) -> list:
    if isinstance(part, NumericPart):
        return [("NUMERICAL", value, part.tolerance(i)) for i, value in enumerate(part.value)]
    if isinstance(part, ChoicePart):
        return [("MULTICHOICE", LETTERS[part.correct], LETTERS[:len(part.options)])]
    return [("MULTICHOICE", "true" if part.truth else "false", "truefalse")]


def check_blank(blank, want) -> None:
    kind, alternatives = blank
    assert kind == want[0], (blank, want)
    right = [a for a in alternatives if a[0] == "="]
    assert len(right) == 1, blank
    assert all(f in ("=", "%0%", "") for f, _, _ in alternatives), blank  # "" and %0% both score 0
    if kind == "NUMERICAL":
        for _, answer, _ in alternatives:
            assert NUMERICAL_ALT.match(answer), f"Moodle cannot read the number {answer!r}"
        value, _, tolerance = right[0][1].partition(":")
        assert float(value) == pytest.approx(want[1], rel=1e-8, abs=1e-12)
        assert float(tolerance) == pytest.approx(want[2], rel=1e-8)
        for fraction, answer, _ in alternatives:  # a wrong answer must not fall inside the right one's tolerance
            if fraction != "=":
                assert abs(float(answer.partition(":")[0]) - want[1]) > want[2], blank
    else:
        assert right[0][1] == want[1], (blank, want)
        options = sorted(a[1] for a in alternatives)
        assert options == (sorted(want[2]) if want[2] != "truefalse" else ["false", "true"]), blank


@pytest.mark.parametrize("template", all_templates(), ids=lambda t: t.name)
def test_moodle_auto_grades_every_generated_item(template):
    """Every numeric / choice / true-false part is a well-formed cloze blank whose right answer is the
    variant's; formulas and written parts go to an essay worth the rest of the points."""
    for seed in (0, 1, 2):
        q = ExamQuestion(number=1, template=template, seed=seed)
        parts = template.parts(q.variant)
        nodes = [ET.fromstring(ET.tostring(n, encoding="unicode")) for n in question_xmls(q)]
        auto = [p for p in parts if not isinstance(p, SymbolicPart)]
        by_hand = template.describes or len(auto) < len(parts)
        want = [b for p in auto for b in expected_blanks(p)]
        cloze = [n for n in nodes if n.get("type") == "cloze"]
        blanks = [b for n in cloze for b in cloze_blanks(n.find("questiontext/text").text)]
        if len(want) > 1 or by_hand:
            assert len(cloze) == (1 if auto else 0), [n.get("type") for n in nodes]
            assert len(blanks) == len(want), (template.name, seed)
            for blank, expected in zip(blanks, want):
                check_blank(blank, expected)
        essays = [n for n in nodes if n.get("type") == "essay"]
        assert len(essays) == int(by_hand), (template.name, [n.get("type") for n in nodes])
        if essays:
            essay = essays[0]
            assert "Answer:" in essay.find("graderinfo/text").text
            share = template.item_points * sum(p.weight for p in auto) / sum(p.weight for p in parts)
            assert float(essay.find("defaultgrade").text) == pytest.approx(template.points - share, abs=1e-3)
            for p in parts:
                if isinstance(p, SymbolicPart):
                    assert f"{p.label})" in essay.find("questiontext/text").text
        assert len(nodes) == len(cloze) + len(essays) or len(nodes) == 1


def test_cloze_reader_refuses_a_malformed_blank():
    with pytest.raises(AssertionError):
        cloze_blanks("<p>{1:NUMERICAL:}</p>")
    assert cloze_blanks("{1:NUMERICAL:=0.5:0.01#ok~%0%1:0.01#doubled \\} here}") == [
        ("NUMERICAL", [("=", "0.5:0.01", "ok"), ("%0%", "1:0.01", "doubled \\} here")])]
