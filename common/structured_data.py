"""schema.org descriptions of pages, as JSON-LD: what search engines read of a listing or
an event. Each app builds its dict from its model (technologies.structured_data,
events.structured_data); this module holds what they share: the portal as an
organisation, absolute addresses, and the one safe way to put a dict into a page.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .site import hreflang, site_url

CONTEXT = "https://schema.org"

# Inside <script>, the HTML parser ends the element at the first "</script" whatever the
# JSON says, and "<!--" changes how it reads on: no "<", ">" or "&" may appear as such.
# JSON reads the escapes as the same characters (Django's json_script does the same).
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld(data: dict) -> SafeString:
    """`data` as a <script type="application/ld+json"> element, safe whatever its texts
    hold. A data block is not run, so the Content Security Policy (no inline scripts)
    does not apply to it."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_SCRIPT_ESCAPES)),  # noqa: S308 (escaped above for a script element)
    )


def absolute(url: str) -> str:
    """`url` (a path of this site, or already absolute, as a file on a CDN) made absolute
    on SITE_URL."""
    return site_url(url) if url.startswith("/") and not url.startswith("//") else url


def language_tag(code: str) -> str:
    """A Django language code as schema.org's inLanguage wants it (BCP 47)."""
    return hreflang(code)


def portal_organisation() -> dict:
    """WiiTs and the office that runs it, as an Organization: the organiser of its events.
    Proper names, not translated."""
    return {
        "@type": "Organization",
        "name": "UNIDO ITPO Shanghai / WiiTs",
        "alternateName": "World Industrial Innovative Technology Cooperations",
        "url": site_url(reverse("home")),
    }
