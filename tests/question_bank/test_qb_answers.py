"""The typed-answer syntax: parts, numbers, arrays, true/false, choices (question_bank.answers)."""
import pytest

from question_bank import answers
from question_bank.answers import AnswerFormatError

LABELS = ("a", "b", "c")


def test_labelled_parts_in_any_order():
    assert answers.split_parts("b) 2; a) [1, 2]; c) true", LABELS) == {"a": "[1, 2]", "b": "2", "c": "true"}


def test_positional_parts_and_trailing_separator():
    assert answers.split_parts("1; [2, 3]; false;", LABELS) == {"a": "1", "b": "[2, 3]", "c": "false"}


def test_label_with_colon_and_brackets_inside_parts():
    assert answers.split_parts("a: [[1, 2], [3, 4]]; b) f(x)", ("a", "b")) == {"a": "[[1, 2], [3, 4]]", "b": "f(x)"}


def test_json_object():
    assert answers.split_parts('{"a": [1, 2], "b": 0.5, "c)": "true"}', LABELS) == {"a": "[1, 2]", "b": "0.5", "c": "true"}


def test_missing_parts_are_absent_not_errors():
    assert answers.split_parts("a) 1", LABELS) == {"a": "1"}


@pytest.mark.parametrize("text, message", [
    ("a) 1; 2", "label every part"),
    ("a) 1; a) 2", "answered twice"),
    ("e) 1", r"no part 'e\)'"),
    ("1; 2; 3; 4", "4 answers given for 3 parts"),
    ("a) [1, 2", "never closed"),
    ("a) 1]", "unmatched"),
    ('{"a": 1', "JSON"),
    ("[1, 2]", None),
])
def test_format_errors_say_what_is_wrong(text, message):
    if message is None:
        answers.split_parts(text, LABELS)
        return
    with pytest.raises(AnswerFormatError, match=message):
        answers.split_parts(text, LABELS)


def test_single_part_rejects_several_pieces():
    with pytest.raises(AnswerFormatError, match="one part"):
        answers.split_parts("1; 2", ("a",))


def test_length_cap():
    with pytest.raises(AnswerFormatError, match="characters long"):
        answers.split_parts("1" * (answers.MAX_ANSWER_CHARS + 1), LABELS)


@pytest.mark.parametrize("text, expected", [("-0.125", -0.125), ("1e-3", 0.001), ("\u22122.5", -2.5), (" +3. ", 3.0)])
def test_plain_numbers(text, expected):
    assert answers.read_number(text) == expected


def test_arrays_and_shapes():
    assert answers.read_array("[1, -2.5, 3]") == ((1.0, -2.5, 3.0), (3,))
    assert answers.read_array("[[1, 2], [3, 4], [5, 6]]") == ((1.0, 2.0, 3.0, 4.0, 5.0, 6.0), (3, 2))
    assert answers.read_array("7") == ((7.0,), ())
    with pytest.raises(AnswerFormatError, match="different lengths"):
        answers.read_array("[[1, 2], [3]]")
    with pytest.raises(AnswerFormatError, match="entry 2"):
        answers.read_array("[1, , 3]")
    with pytest.raises(AnswerFormatError, match="empty"):
        answers.read_array("[]")


@pytest.mark.parametrize("text, value", [("true", True), ("F", False), ("yes", True), ("no.", False)])
def test_booleans(text, value):
    assert answers.read_bool(text) is value


def test_boolean_and_choice_errors():
    with pytest.raises(AnswerFormatError, match="true or false"):
        answers.read_bool("maybe")
    assert answers.read_choice(" (c) ", 4) == 2
    with pytest.raises(AnswerFormatError, match="A, B, C"):
        answers.read_choice("E", 3)


def test_json_numbers_keep_their_text_and_strings_in_lists_are_read_bare():
    assert answers.split_parts('{"a": 1e999, "b": ["1/3", 2.50], "c": true}', LABELS) == {
        "a": "1e999", "b": "[1/3, 2.50]", "c": "true"}
    with pytest.raises(AnswerFormatError, match="answered twice"):
        answers.split_parts('{"a": 1, "a)": 2}', LABELS)
    with pytest.raises(AnswerFormatError, match="JSON object"):
        answers.split_parts('{"a": {"b": 1}}', LABELS)


@pytest.mark.parametrize("text, message", [
    ('{"a": ' + "[" * 1200 + "]" * 1200 + "}", "nests 1201 levels"),
    ('{"a": [[[1]]]}', "at most 2-D"),
    ("a) " + "[" * 1500 + "]" * 1500, "nests 1500 brackets"),
    ("a) " + "(" * 41 + "1" + ")" * 41, "at most 40"),
])
def test_nesting_is_refused_before_parsing(text, message):
    with pytest.raises(AnswerFormatError, match=message):
        answers.split_parts(text, LABELS)


def test_json_brackets_inside_strings_do_not_count():
    assert answers.split_parts('{"a": "((((((((((((((((((((((((((((((((((((((((((x)))"}', ("a",))["a"].startswith("((")


@pytest.mark.parametrize("text, message", [
    ("1e999", "not a finite number"), ("-inf", "not a finite number"), ("nan", "not a finite number"),
    ("exp(exp(exp(40)))", "not a finite number"), ("-exp(exp(exp(exp(3))))", "not a finite number"),
    ("log(-1)", "not a real number"), ("(-8)^(1/3)", "not a real number"), ("x + 1", "unknown name 'x'"),
    ("[[[1]]]", "at most 2-D"),
])
def test_numbers_that_are_not_finite_reals_are_unreadable(text, message):
    with pytest.raises(answers.AnswerUnreadable, match=message):
        answers.read_array(text)


def test_arithmetic_is_evaluated_in_floats_with_overflow_as_infinity():
    assert answers.read_number("sigmoid(exp(exp(exp(5))))") == 1.0
    assert answers.read_number("tanh(-exp(exp(exp(10))))") == -1.0
    assert answers.read_number("exp(-exp(1000))") == 0.0
    assert answers.read_number("sqrt(6/5)") == pytest.approx(1.0954451150103321)
    assert answers.read_array("[1/3, 0.5, log(8, 2), Max(1, 2)]") == (
        pytest.approx((1 / 3, 0.5, 3.0, 2.0)), (4,))


def test_no_time_left_reads_plain_numbers_only():
    assert answers.read_array("[1, 2.5]", wall_timeout=0) == ((1.0, 2.5), (2,))
    with pytest.raises(answers.AnswerUnreadable, match="time left"):
        answers.read_array("[1, 1/3]", wall_timeout=0)
