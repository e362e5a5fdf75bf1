from functools import lru_cache

from django import template
from django.forms.utils import flatatt
from django.utils import translation
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from common.search import highlight_spans
from common.text import render_markdown
from common.translated import Translated
from common.translated import translated as translate_field

register = template.Library()


@register.filter
def markdown(text: str, top: int = 3) -> str:
    """Render member-written Markdown; nh3 has sanitised it (see common/text.py). Its
    headings start at h3, or at `top` ({{ text|markdown:2 }} right under the page's h1)."""
    return mark_safe(render_markdown(text, top=int(top)))  # noqa: S308 (sanitised by nh3 with an allowlist)


@register.filter
def sdg_badges(sdgs) -> str:
    """The list of a listing's Sustainable Development Goals as badges, each written once
    per language and goal (a card shows them on every list page: make bench found twenty
    cards' badges, each through its own template and translations, 10 % of the catalogue's
    rendering). `sdgs`: the goals, e.g. the prefetched `technology.sdgs.all`."""
    goals = tuple((sdg.number, sdg.name) for sdg in sdgs)
    return _sdg_badges(goals, translation.get_language()) if goals else ""


@lru_cache(maxsize=4096)
def _sdg_badges(goals: tuple[tuple[int, str], ...], language: str) -> SafeString:
    with translation.override(language):
        label = gettext("Sustainable Development Goals")
        badges = format_html_join(
            "",
            '<li class="sdg-badge sdg-{}" title="{}">{}</li>',
            (
                (
                    number,
                    gettext("SDG %(number)s: %(name)s") % {"number": number, "name": gettext(name)},
                    gettext("SDG %(number)s") % {"number": number},
                )
                for number, name in goals
            ),
        )
    return format_html(
        '<ul class="sdg-badges list-unstyled d-flex flex-wrap gap-1 mb-0" aria-label="{}">{}</ul>', label, badges
    )


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed (None removes one).

    Keeps the filters of a search in pagination and sort links, so a search can be shared.
    """
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def translated(obj, field: str) -> Translated:
    """`field` of `obj` in the visitor's language when translated, else the original;
    `.language` says which, for the `lang` attribute."""
    return translate_field(obj, field)


@register.simple_tag
def text_of(obj, field: str, reading=None) -> Translated:
    """`field` of `obj` by the fallback chain, or its original when the page shows the
    originals (`reading`: common.translated.Reading): for texts beside the page's own,
    such as an event's agenda items and speakers."""
    return translate_field(obj, field, original=bool(reading and reading.showing_original))


@register.filter
def actor(step, owner_id) -> str:
    """Who acted in a history step (a Transition): "owner", "adviser", "staff" or "member"."""
    return step.actor(owner_id)


@register.simple_tag
def select_options(optgroups):
    """The options of a select, in Python: Django's option template, included once per
    option, made the 250-country lists a third of the catalogue's rendering time."""
    parts = []
    for group_name, group_choices, _index in optgroups:
        if group_name:
            parts.append(format_html('<optgroup label="{}">', group_name))
        parts.extend(
            format_html(
                '<option value="{}"{}>{}</option>', str(option["value"]), flatatt(option["attrs"]), option["label"]
            )
            for option in group_choices
        )
        if group_name:
            parts.append("</optgroup>")
    return mark_safe("\n".join(parts))  # noqa: S308 (every part built with format_html)


@register.filter
def highlight(text, query: str = "") -> str:
    """`text`, escaped, with the words of the search `query` marked (<mark>): granjas for
    granja, биогазовый for биогаз, 干燥 inside 隧道式干燥机 (common.search.highlight_spans)."""
    text = str(text or "")
    if not (query or "").strip():
        return conditional_escape(text)
    return mark_safe(  # noqa: S308 - every piece is escaped
        "".join(
            format_html("<mark>{}</mark>", piece) if is_match else conditional_escape(piece)
            for piece, is_match in highlight_spans(text, query)
        )
    )
