"""Text written by members: Markdown rendered to HTML that is safe to show, and the rule
for single-line fields (names, titles).

Python-Markdown passes raw HTML through (including <script>), so its output is always
cleaned by nh3 with an allowlist: no scripts, no event handlers, no javascript: links.
"""

import re

import markdown as markdown_lib
import nh3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HEADING = re.compile(r"<(/?)h([1-6])>")

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "abbr", "sub", "sup",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str, top: int = 3) -> str:
    """Markdown to sanitised HTML. The text's headings start at level `top`, so that they
    sit under the page's: by default h3, under the page's h1 and the h2 of the section the
    text sits in; 2 for a text right under the page's h1 (the charter), 4 under an h3.
    Markdown's "#" and "##" both become `top` (members write either for their sections),
    "###" the level below, and so on down to h6. Never h1: the page has its own."""
    top = min(max(top, 2), 6)
    html = markdown_lib.markdown(text or "", extensions=["extra", "sane_lists"])
    html = HEADING.sub(lambda match: f"<{match[1]}h{min(max(int(match[2]) + top - 2, top), 6)}>", html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


# What a single line of text must not hold: line breaks (CR, LF, the Unicode line and
# paragraph separators), the other control characters (C0 with NUL and TAB, DEL, C1), and
# the bidirectional overrides and isolates that make a name read in another order than it
# is written. A name with a line break shows as two lines in an email or an export.
NOT_IN_A_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile("[\t\n\v\f\r\x1c-\x1f\x85\u2028\u2029]")


def validate_single_line(value: str) -> None:
    """The validator of every single-line field: refuse, and say why, rather than clean."""
    if value and NOT_IN_A_LINE.search(value):
        raise ValidationError(
            _("Write this on one line, without line breaks or control characters."), code="control_characters"
        )


def as_single_line(value: str) -> str:
    """`value` with its line breaks made spaces and its other control and bidirectional
    control characters removed; for text stored before the rule (data migrations)."""
    return " ".join(NOT_IN_A_LINE.sub("", _LINE_BREAKS.sub(" ", value)).split())


# The same characters as a regular expression both SQLite (Python's re) and PostgreSQL
# read, without NUL, which PostgreSQL text cannot hold anyway.
NOT_IN_A_LINE_SQL = r"[\x01-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"


def single_line_data_migration(app_label: str, fields: dict[str, list[str]]):
    """A RunPython function that rewrites stored values of single-line fields with
    `as_single_line`: `fields` maps a model name to its fields, each with its translation
    columns (`title` covers `title_i18n_fr`). Only rows that hold such a character are
    read and updated; update() leaves updated_at as it was."""
    from django.db.models import Q

    def forwards(apps, schema_editor):
        for model_name, names in fields.items():
            model = apps.get_model(app_label, model_name)
            columns = [
                field.name
                for field in model._meta.concrete_fields
                if any(field.name == name or field.name.startswith(f"{name}_") for name in names)
            ]
            dirty = Q()
            for column in columns:
                dirty |= Q(**{f"{column}__regex": NOT_IN_A_LINE_SQL})
            for row in model.objects.filter(dirty).only("pk", *columns).iterator():
                changes = {
                    column: as_single_line(value)
                    for column in columns
                    if (value := getattr(row, column)) and NOT_IN_A_LINE.search(value)
                }
                if changes:
                    model.objects.filter(pk=row.pk).update(**changes)

    return forwards
