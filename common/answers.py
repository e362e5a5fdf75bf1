"""Answers that people type into forms staff designed (the questions of a call, of an
event's registration): cleaned before they are stored."""

import re

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
