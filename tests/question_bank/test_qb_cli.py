"""`nablab bank`, `nablab quiz` end to end through click (and one real process for Ctrl-C)."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from question_bank.cli import COMMANDS, bank, quiz
from question_bank.quiz import pool_for, question_sequence
from question_bank.registry import TEMPLATE_MODULES, get

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture()
def runner():
    return CliRunner()


def test_commands_are_exported_for_the_nablab_group():
    assert [c.name for c in COMMANDS] == ["bank", "quiz", "exam"]
    from autograder.cli import main
    result = CliRunner().invoke(main, ["bank", "list", "--json"])
    assert result.exit_code == 0, result.output
    assert [row["name"] for row in json.loads(result.output)] == list(TEMPLATE_MODULES)


def test_bank_list_text(runner):
    result = runner.invoke(bank, ["list"])
    assert result.exit_code == 0
    assert all(name in result.output for name in TEMPLATE_MODULES)


def test_bank_show_json_with_solution(runner):
    result = runner.invoke(bank, ["show", "adam_bias_correction", "--seed", "3", "--solution", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    t = get("adam_bias_correction")
    v = t.generate(3)
    assert data["statement"] == t.render(v) and data["answer"] == t.answer_text(v)
    assert data["variant"]["seed"] == 3 and [p["label"] for p in data["parts"]] == ["a", "b", "c", "d", "e", "f"]
    assert data["rubric"] and data["model_answer"]


def test_bank_show_text_is_deterministic(runner):
    first = runner.invoke(bank, ["show", "gd_numeric_1d", "--seed", "11", "--solution"])
    second = runner.invoke(bank, ["show", "gd_numeric_1d", "--seed", "11", "--solution"])
    assert first.exit_code == 0 and first.output == second.output and "| t | x |" in first.output


@pytest.mark.parametrize("args, message", [
    (["show", "gd_numerc_1d", "--seed", "1"], "did you mean 'gd_numeric_1d'"),
    (["check", "nope", "--seed", "1", "--answer", "1"], "no template named 'nope'"),
    (["show", "gd_numeric_1d", "--seed", "-4"], "-4"),
    (["check", "gd_numeric_1d", "--seed", "1"], "--answer"),
])
def test_usage_errors_exit_2(runner, args, message):
    result = runner.invoke(bank, args)
    assert result.exit_code == 2 and message in result.output


def test_bank_check_accepts_the_canonical_answer(runner):
    t = get("gd_2d_quadratic")
    answer = t.answer_text(t.generate(8))
    result = runner.invoke(bank, ["check", "gd_2d_quadratic", "--seed", "8", "--answer", answer, "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["correct"] and data["readable"] and data["points"] == 5


GARBAGE = ["", "   ", "]]]]", "a) ;;;", '{"a": ', "{'a': 1}", "1" * 5000, "a) [1, 2]; b) [[[", "\x00\x01", "a) 1e999",
           "a) nan; b) inf", "; DROP TABLE students; --", "a) [1, 2, 3]; b) [[1], [2, 3]]", "a) )(", "\u2603\u2603",
           '{"a": ' + "[" * 1200 + "]" * 1200 + "}", "a) " + "[" * 1500 + "]" * 1500, '{"a": 1e999}',
           "a) exp(exp(exp(40))); b) [1, 2]", "a) [tanh(exp(exp(exp(10)))), sigmoid(exp(exp(exp(5))))]"]


@pytest.mark.parametrize("answer", GARBAGE)
def test_garbage_answers_get_a_clear_message_and_exit_0(runner, answer):
    result = runner.invoke(bank, ["check", "gd_2d_quadratic", "--seed", "2", "--answer", answer])
    assert result.exit_code == 0, result.output
    assert result.exception is None
    text = result.output.lower()
    assert "could not read" in text or "missing" in text or "wrong" in text
    assert "score: 0 / 5" in text


@pytest.mark.parametrize("answer", ["__import__('os').system('echo hi')", "a) exec('1'); b) [1, 2]", "a) lambda: 1",
                                    "a) x; b) [y, z]", "a) 2**2**2**2**2**2**2; b) [1, 2]", "a) (((((((((1)))))))))"])
def test_code_like_answers_are_read_by_the_engine_not_evaluated(runner, answer):
    result = runner.invoke(bank, ["check", "gd_2d_quadratic", "--seed", "2", "--answer", answer, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert not data["correct"]
    assert data["parts"][0]["status"] in ("unreadable", "wrong")


def test_garbage_formula_is_unreadable_with_reason(runner):
    result = runner.invoke(bank, ["check", "mse_gradient", "--seed", "1", "--answer", "a) 1; b) [1, 2]; c) 2*(o - ", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    formula = data["parts"][2]
    assert formula["status"] == "unreadable" and formula["feedback"].startswith("could not read")
    assert not data["readable"]


def first_question(seed, topic):
    template, variant_seed = next(question_sequence(seed, pool_for(topic)))
    return template, template.generate(variant_seed)


def test_quiz_end_to_end(runner):
    template, variant = first_question(5, "gd_2d_quadratic")
    keys = "a) [1, 2\n" + template.answer_text(variant) + "\n" + "\n"  # unreadable, then right, then skip, then EOF
    result = runner.invoke(quiz, ["--seed", "5", "--topic", "gd_2d_quadratic"], input=keys)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Could not read the answer" in out and "Please try again" in out
    assert out.count("Worked solution") == 2 and "Skipped." in out
    assert "Running score: 5 / 5" in out
    assert "Quiz over: 2 question(s), 1 answered, 5 / 10 points." in out


def test_quiz_quit_count_and_wrong_answer(runner):
    template, variant = first_question(9, "glorot_init")
    result = runner.invoke(quiz, ["--seed", "9", "--topic", "glorot_init", "--count", "3"], input="a) 1\n:quit\n")
    assert result.exit_code == 0
    assert "wrong" in result.output and "Quiz over: 1 question(s), 1 answered, 0 / 5 points." in result.output
    done = runner.invoke(quiz, ["--seed", "9", "--topic", "optimization", "--count", "2"], input="\n\n\n")
    assert "Quiz over: 2 question(s), 0 answered" in done.output


def test_quiz_describe_question_shows_model_answer_and_rubric(runner):
    result = runner.invoke(quiz, ["--seed", "1", "--topic", "robbins_monro", "--count", "1"], input="\n")
    assert result.exit_code == 0
    assert "Model answer for the written part" in result.output and "sum alpha_t^2 < infinity" in result.output


def test_quiz_unknown_topic_is_a_usage_error(runner):
    result = runner.invoke(quiz, ["--topic", "astrology"])
    assert result.exit_code == 2 and "topics are" in result.output


def test_quiz_ends_cleanly_on_ctrl_c():
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1", COLUMNS="100")
    proc = subprocess.Popen([sys.executable, "-m", "question_bank", "quiz", "--seed", "4", "--topic", "mse_gradient"],
                            cwd=REPO, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        seen = ""
        deadline = time.monotonic() + 30
        while "Your answer>" not in seen and time.monotonic() < deadline:
            seen += os.read(proc.stdout.fileno(), 4096).decode()
        assert "Your answer>" in seen, seen
        proc.send_signal(signal.SIGINT)
        rest, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert "Quiz over: 0 question(s)" in seen + rest


def test_quiz_survives_hostile_answers(runner):
    keys = '{"a": ' + "[" * 1200 + "]" * 1200 + "}\n" + "a) " + "[" * 1500 + "]" * 1500 + "\n:quit\n"
    result = runner.invoke(quiz, ["--seed", "5", "--topic", "gd_2d_quadratic"], input=keys)
    assert result.exit_code == 0 and result.exception is None, result.output
    assert result.output.count("Please try again") == 2
    assert "Quiz over: 0 question(s), 0 answered" in result.output  # :quit mid-question counts nothing
