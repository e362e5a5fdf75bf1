"""The embeddable lists for partner websites (UNIDO ITPO offices, partner universities):
the newest technologies and the events, each a page of its own for a partner's frame (no
site header, no JavaScript, one small stylesheet), in the language of its address; and
/embed/, where staff or a partner chooses a list and copies its frame's code.

Only the site itself and the partner sites staff registered (EmbedOrigin, active) may
frame the lists: their Content Security Policy names them in frame-ancestors, read on
each request, where every other page of the portal says 'none'.
"""

import re
from functools import wraps

from csp.constants import SELF
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET
from django_countries import countries

from accounts.models import Organisation
from common.middleware import language_from_address_only
from common.site import site_url
from common.translated import i18n_columns
from events.forms import EventFilterForm
from events.models import EventKind
from events.selectors import events_for_list
from technologies.filters import CatalogueFilter
from technologies.models import Technology

from .embed_forms import FRAME_HEIGHT, EmbedForm, embed_limit
from .models import EmbedOrigin

# A partner's browser may keep a list this long (seconds): the lists change a few times a day.
EMBED_MAX_AGE = 300
# An origin as the admin saves it (EmbedOrigin.clean): a scheme, a host, perhaps a port. A row
# written around the admin that says anything else is left out of the header, which it
# could otherwise extend with a directive of its own ("; script-src *").
ORIGIN = re.compile(r"https?://[a-z0-9.-]+(:[0-9]{1,5})?")
# A filter's value longer than this, or with a NUL (which PostgreSQL refuses), names nothing.
LONGEST_VALUE = 200
# The catalogue's filters an embed of technologies takes, by the catalogue's names (so its
# "See all" link is the catalogue's address with the same query).
TECHNOLOGY_FILTERS = ("sector", "sdg", "country")


def frame_ancestors() -> list[str]:
    """'self' (the preview of /embed/) and the active partner sites: one query."""
    origins = EmbedOrigin.objects.filter(is_active=True).order_by().values_list("origin", flat=True)
    allowed = {origin.strip().rstrip("/").lower() for origin in origins}
    return [SELF, *sorted(origin for origin in allowed if ORIGIN.fullmatch(origin))]


def frameable(view):
    """The view's pages may be framed by the site and the active partner sites only.

    django-csp 4 reads a response's `_csp_replace` (what its `csp_replace` decorator sets,
    there with fixed values); here the origins are read per request. X-Frame-Options has no
    list of origins: the page goes without it (browsers that know frame-ancestors obey that).
    """

    @wraps(view)
    def framed(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response._csp_replace = {"frame-ancestors": frame_ancestors()}
        return response

    # The frame's address names its language, which the partner chose: not the visitor's
    # remembered language (a cookie some browsers send into third-party frames).
    return language_from_address_only(xframe_options_exempt(framed))


def _names_something(value: str) -> bool:
    return len(value) <= LONGEST_VALUE and "\x00" not in value


def _given(request, names) -> dict[str, str]:
    """The filters of the query string among `names`, with a value."""
    given = {name: request.GET.get(name, "").strip() for name in names}
    return {name: value for name, value in given.items() if value}


def _organisation(value: str) -> tuple[bool, Organisation | None]:
    """(understood, the organisation) of `?organisation=`: its number or its name (names
    are unique whatever their case); one query when given."""
    value = value.strip()
    if not value:
        return True, None
    if not _names_something(value):
        return False, None
    if value.isascii() and value.isdigit():
        found = Organisation.objects.filter(pk=int(value)).first() if len(value) <= 18 else None
    else:
        found = Organisation.objects.filter(name__iexact=value).first()
    return found is not None, found


def _with_link(rows: list) -> list:
    """Each row with `link`: its page's absolute address, in the list's language."""
    for row in rows:
        row.link = site_url(row.get_absolute_url())
    return rows


@require_GET
@cache_control(public=True, max_age=EMBED_MAX_AGE)
@frameable
def technologies(request):
    """The newest published technologies, filtered as the catalogue filters them (sector,
    SDG, country) and by organisation. A filter naming nothing the portal knows lists
    nothing, and says so: a partner's list of one sector must not become a list of all."""
    limit = embed_limit(request.GET.get("limit"))
    given = _given(request, TECHNOLOGY_FILTERS)
    data = QueryDict(mutable=True)
    data.update(given)
    # The catalogue's cards without their images: the embed shows none (a slow connection).
    cards = Technology.objects.published().for_cards().prefetch_related(None).prefetch_related("sdgs")
    filterset = CatalogueFilter(data, queryset=cards)
    understood, organisation = _organisation(request.GET.get("organisation", ""))
    understood = understood and all(_names_something(value) for value in given.values()) and filterset.is_valid()
    items = []
    chosen = {}
    if understood:
        rows = filterset.qs
        if organisation is not None:
            rows = rows.filter(organisation=organisation)
        items = _with_link(list(rows[:limit]))
        chosen = filterset.form.cleaned_data
    see_all = site_url(reverse("technologies:catalogue"))
    if understood and given:
        see_all += f"?{urlencode(given)}"
    filters = [str(chosen[name]) for name in ("sector", "sdg") if chosen.get(name)]
    if chosen.get("country"):
        filters.append(countries.name(chosen["country"]))
    context = {
        "items": items,
        "understood": understood,
        "filters": filters,
        "organisation": organisation,
        "see_all": see_all,
        "filtered": bool(given or organisation),
    }
    return render(request, "opendata/embed_technologies.html", context)


# An event's long texts, which a list does not show.
EVENT_LONG_TEXTS = ["description", "description_i18n", *i18n_columns("description")[1:]]


@require_GET
@cache_control(public=True, max_age=EMBED_MAX_AGE)
@frameable
def events(request):
    """The public events list's events (upcoming, or `past=1`), of one `kind` if given."""
    limit = embed_limit(request.GET.get("limit"))
    past = request.GET.get("past", "").strip().lower() in ("1", "true", "yes", "on")
    given = _given(request, ("kind",))
    form = EventFilterForm(given)
    understood = all(_names_something(value) for value in given.values()) and form.is_valid()
    items = []
    if understood:
        rows = form.apply(events_for_list(past=past)).defer(*EVENT_LONG_TEXTS)
        items = _with_link(list(rows[:limit]))
    see_all = site_url(reverse("events:past" if past else "events:upcoming"))
    if understood and given:
        see_all += f"?{urlencode(given)}"
    kind = form.cleaned_data.get("kind") if understood else ""
    context = {
        "items": items,
        "understood": understood,
        "past": past,
        "kind": EventKind(kind).label if kind else "",
        "see_all": see_all,
    }
    return render(request, "opendata/embed_events.html", context)


@require_GET
def builder(request):
    """The page where staff or a partner chooses a list and copies its frame's code; the
    preview is the embed itself, framed by this page (same origin)."""
    form = EmbedForm(request.GET or EmbedForm.defaults())
    context = {"form": form, "frame_height": FRAME_HEIGHT}
    if form.is_valid():
        context.update(preview=form.embed_path(), frame_title=form.frame_title(), snippet=form.snippet())
    return render(request, "opendata/embed_builder.html", context)
