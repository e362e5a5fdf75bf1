"""Answers that people type into forms staff designed (the questions of a call, of an
event's registration): cleaned before they are stored."""

import re

from django.utils.translation import gettext as _

# Control characters (but tab and line breaks), the Unicode line and paragraph separators and
# the bidirectional overrides and isolates: pasted terminal escapes, text that reads in another
# order than it is written.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

YES, NO = "yes", "no"


def clean_answer(value, *, single_line: bool = False) -> str:
    """`value` as text without control characters or surrounding white space; with
    `single_line`, its line breaks and tabs become spaces too."""
    text = _CONTROL.sub("", str(value if value is not None else ""))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if single_line:
        text = " ".join(text.split())
    return text.strip()


# The kinds of question, by their stored values (each app's QuestionKind offers some of them).
TEXT, CHOICE, YES_NO, NUMBER = "text", "choice", "yes_no", "number"


def answer_problem(question, value: str, *, max_text: int) -> str:
    """What is wrong with `value` as an answer to `question` (by its `kind`; a choice's
    options in `choice_list`), or "" when nothing is."""
    kind = question.kind
    if kind == TEXT and len(value) > max_text:
        return str(_("At most %(limit)d characters.") % {"limit": max_text})
    if kind == CHOICE and value not in question.choice_list:
        return str(_("Choose one of the answers offered."))
    if kind == YES_NO and value not in (YES, NO):
        return str(_("Answer yes or no."))
    if kind == NUMBER:
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            return str(_("Enter a number."))
        if not (-1e12 < number < 1e12):
            return str(_("Enter a number."))
    return ""


def answers_clean(questions, raw: dict | None, *, max_text: int, require: bool) -> tuple[dict, dict[str, str]]:
    """The answers to `questions` from `raw` ({question pk or its form field "q<pk>":
    value}), each cleaned (clean_answer; one line but for text) and checked by its kind,
    and the problems found ({question pk: message}); with `require`, a required question
    left empty is a problem too. Unknown keys are dropped, empty answers left out."""
    raw = raw or {}
    answers, problems = {}, {}
    for question in questions:
        key = str(question.pk)
        value = raw.get(key, raw.get(f"q{key}"))
        value = clean_answer(value if isinstance(value, str | int | float) else "", single_line=question.kind != TEXT)
        if not value:
            if require and question.required:
                problems[key] = str(_("An answer is required."))
            continue
        problem = answer_problem(question, value, max_text=max_text)
        if problem:
            problems[key] = problem
        else:
            answers[key] = value
    return answers, problems
