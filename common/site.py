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


class SiteSitemap(Sitemap):
    """A sitemap whose addresses are on SITE_URL, not on the host the request named."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


def sitemap_index(request, sitemaps: dict, section_url_name: str):
    """The sitemap index: one address per page of each section, on SITE_URL (Django's own
    index builds them from the request's host). Every page of every section is listed, so
    a section of 100 000 listings at 5 000 a page is 20 addresses. No lastmod: it would
    read every row of every section."""
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
