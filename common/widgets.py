"""Form widgets that cost little to render on pages shown again and again.

A select's options are the same on every page: only which one is chosen moves. Django
writes each option through its own template on every render (the 250 countries were a
third of the catalogue's rendering time, make bench); `PrewrittenSelect` writes the
options of each list of choices once per process (the labels are in the reader's
language, so once per language), then marks the chosen one.
"""

from functools import lru_cache

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


class PrewrittenSelect(forms.Select):
    """A single-choice select, with the Bootstrap class of the portal's own select template
    (templates/django/forms/widgets/select.html), rendered in Python."""

    def option_pairs(self) -> tuple[tuple[str, str], ...]:
        """(value, label) of every option, in order."""
        return tuple((str(code), str(label)) for code, label in self.choices)

    def render(self, name, value, attrs=None, renderer=None):
        options = _options(self.option_pairs())
        if isinstance(value, list | tuple):
            value = value[0] if value else None
        if value not in (None, ""):
            chosen = format_html('<option value="{}">', str(value))
            options = mark_safe(options.replace(chosen, chosen[:-1] + " selected>", 1))  # noqa: S308 (escaped above)
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["class"] = " ".join(filter(None, ["form-select", final_attrs.get("class")]))
        return format_html('<select name="{}"{}>\n{}\n</select>', name, flatatt(final_attrs), options)


@lru_cache(maxsize=256)
def _options(choices: tuple[tuple[str, str], ...]) -> SafeString:
    return format_html_join("\n", '<option value="{}">{}</option>', choices)
