from functools import lru_cache

from django.conf import settings
from django.urls import translate_url
from django.utils.encoding import escape_uri_path, iri_to_uri
from django.utils.translation import get_language_info

from accounts.permissions import can_use_admin


def site(request):
    """The language bar in the UN's fixed order, limited to the languages we offer."""
    offered = dict(settings.LANGUAGES)
    languages = [
        {"code": code, "name": offered[code], "name_local": get_language_info(code)["name_local"]}
        for code in settings.UN_LANGUAGE_ORDER
        if code in offered
    ]
    user = getattr(request, "user", None)
    return {
        "ui_languages": languages,
        "language_alternates": _alternates(request, languages),
        "site_url": settings.SITE_URL,
        "can_use_admin": user is not None and can_use_admin(user),
    }


def hreflang(code: str) -> str:
    """A Django language code as a BCP 47 tag for hreflang: zh-hans -> zh-Hans."""
    parts = code.split("-")
    return "-".join([parts[0], *(part.title() if len(part) == 4 else part.upper() for part in parts[1:])])


def _alternates(request, languages) -> list[dict]:
    """This page in each language (hreflang links), for GET pages that exist in all six."""
    if request.method != "GET" or getattr(request, "resolver_match", None) is None:
        return []
    codes = tuple(language["code"] for language in languages)
    alternates = _alternates_of(
        escape_uri_path(request.path), codes, settings.SITE_URL.rstrip("/"), settings.ROOT_URLCONF
    )
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return alternates
    # The same query in every language: translate_url keeps it, and so does this, for
    # the paths of one process's lifetime only (not every search's query string).
    query = "?" + iri_to_uri(query)
    return [{**alternate, "href": alternate["href"] + query} for alternate in alternates]


@lru_cache(maxsize=4096)
def _alternates_of(path: str, codes: tuple[str, ...], base: str, urlconf: str) -> list[dict]:
    """Kept per process: each costs six resolves and reverses, on every page (make bench).
    `base` and `urlconf` are part of the key only: a test may change either."""
    alternates = [{"hreflang": hreflang(code), "href": base + translate_url(path, code)} for code in codes]
    # Pages outside the language prefixes (the admin) have one version only.
    return alternates if len({alternate["href"] for alternate in alternates}) > 1 else []
