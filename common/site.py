"""The site's one address, SITE_URL: every absolute link the portal writes (emails, the
feed, the sitemap, calendars) is built from it, never from the request's Host header,
which a visitor chooses (issue 19; docs/ARCHITECTURE.md)."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap


def site_url(path: str = "") -> str:
    """The absolute address of `path` (which starts with a slash) on the site."""
    return settings.SITE_URL + path


def on_site(url: str, language: str | None = None) -> str:
    """`url` moved onto SITE_URL, whatever scheme and host it was built with; with
    `language`, the page's address in that language (its prefix), when it has one."""
    from django.urls import translate_url  # needs the URLconf, so not at import time

    if language:  # the URL is resolved in the language it was built in, the active one
        url = translate_url(url, language)
    parts = urlsplit(url)
    return (
        site_url(parts.path or "/")
        + (f"?{parts.query}" if parts.query else "")
        + (f"#{parts.fragment}" if parts.fragment else "")
    )


@dataclass(frozen=True)
class Site:
    """What allauth's templates call `current_site` ("register an account on <domain>")."""

    name: str
    domain: str


def current_site() -> Site:
    # The whole address, scheme included: the HTML part of an email turns the text's
    # addresses into links, and a bare domain would become an http:// one.
    return Site(name="WiiTs", domain=settings.SITE_URL)


def hreflang(code: str) -> str:
    """A Django language code as a BCP 47 tag, for hreflang and inLanguage: zh-hans ->
    zh-Hans (the pages' own alternates write it so: wiits.context_processors.hreflang)."""
    parts = code.split("-")
    return "-".join([parts[0], *(part.title() if len(part) == 4 else part.upper() for part in parts[1:])])


class _InEveryLanguage:
    """A section's items, each once per language, as (item, language) pairs: what
    Django's i18n sitemap pages through, but read a page at a time. Django builds the list
    of every pair on each request (100 000 listings read to serve 5 000 addresses, and
    again to count the index's pages); this counts with one COUNT and reads one page of
    rows with one query."""

    def __init__(self, items, languages: list[str]):
        self.items = items
        self.languages = languages
        self.ordered = getattr(items, "ordered", True)  # the paginator warns about unordered rows

    def count(self) -> int:
        items = self.items
        total = items.count() if hasattr(items, "query") else len(items)
        return total * len(self.languages)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[tuple]:
        per_item = len(self.languages)
        start, stop = index.start or 0, index.stop
        first, last = start // per_item, -(-stop // per_item)  # the items the pairs belong to
        pairs = [(item, language) for item in self.items[first:last] for language in self.languages]
        offset = start - first * per_item
        return pairs[offset : offset + stop - start]


class SiteSitemap(Sitemap):
    """A sitemap section whose addresses are on SITE_URL, not on the host the request
    named, with every item in each of the six languages and, for each address, the
    addresses of the others (hreflang, and x-default: the unprefixed English one).

    `limit` counts addresses, so a page of 5 000 holds 833 and a third items in six
    languages; an item's languages may straddle two pages, which search engines do not
    mind (each address is listed once). Sections return a QuerySet ordered by a unique
    key (a page is read with OFFSET) or a short list."""

    i18n = True
    alternates = True
    # Django's x-default takes the English address and removes the first "/en/" in it,
    # which is a slug's when the language has no prefix (/needs/en/): get_urls adds it.
    x_default = False
    limit = 5000

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    @property
    def paginator(self):
        from django.core.paginator import Paginator

        return Paginator(_InEveryLanguage(self.items(), self._languages()), self.limit)

    def _location(self, item, force_lang_code=None):
        # Each address is asked for seven times (its own <loc> and six alternates of each
        # of its languages' entries); a reverse() costs tens of microseconds, so a page of
        # 5 000 would cost over a second without remembering them.
        obj, language = item
        key = (getattr(obj, "pk", obj), force_lang_code or language)
        locations = self.__dict__.setdefault("_locations", {})
        if key not in locations:
            locations[key] = super()._location(item, force_lang_code)
        return locations[key]

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            defaults = [alt["location"] for alt in url["alternates"] if alt["lang_code"] == settings.LANGUAGE_CODE]
            url["alternates"] = [
                {"location": alt["location"], "lang_code": hreflang(alt["lang_code"])} for alt in url["alternates"]
            ] + [{"location": location, "lang_code": "x-default"} for location in defaults]
        return urls


def sitemap_index(request, sitemaps: dict, section_url_name: str):
    """The sitemap index: one address per page of each section, on SITE_URL (Django's own
    index builds them from the request's host). Every page of every section is listed, so
    a section of 100 000 listings in six languages at 5 000 addresses a page is 120
    addresses, counted with one COUNT per section. No lastmod: it would read every row of
    every section."""
    from django.contrib.sitemaps.views import SitemapIndexItem
    from django.template.response import TemplateResponse
    from django.urls import reverse

    items = []
    for section, sitemap in sitemaps.items():
        sitemap = sitemap() if callable(sitemap) else sitemap
        location = site_url(reverse(section_url_name, kwargs={"section": section}))
        items.append(SitemapIndexItem(location))
        items.extend(SitemapIndexItem(f"{location}?p={page}") for page in range(2, sitemap.paginator.num_pages + 1))
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml")
