# ruff: noqa: RUF001 -- separators in six scripts
"""Patterns and limits the spreadsheet modules share."""

import re

# Characters an XLSX cell cannot hold (control characters but tab, line feed and carriage return).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Items of a list cell: ";" first (names may hold commas: "China, Hong Kong SAR").
_LIST_SEPARATORS = re.compile(r"[;；؛\n]")
_COMMAS = re.compile(r"[,，、،]")
# How many valid rows the preview shows (every row is checked; the rest are counted).
PREVIEW_ROWS = 200
