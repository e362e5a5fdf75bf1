"""Rendered fragments of the list pages, kept in each process for a minute.

The catalogue's results and filters take most of its rendering time (twenty cards, a
form with 250 countries); the same few pages (the first page, a sector, a popular word)
are asked for again and again. A fragment is kept under the page's path and language,
whether the visitor is signed in, the query string, and the time of the latest change to
the rows it lists (`MAX(updated_at)`, one query on an index, asked at most once a second
per process: FRAGMENTS_VERSION_SECONDS), so that a published, edited or withdrawn
listing shows within a second; a deleted row, or a change written without touching
`updated_at`, shows within the fragments' TIMEOUT (settings.CACHES).
"""

import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db.models import Max, Model
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

_latest: dict[str, tuple[float, str]] = {}


def latest_change(model: type[Model]) -> str:
    """When a row of `model` last changed, as read at most FRAGMENTS_VERSION_SECONDS ago."""
    now = time.monotonic()
    read_at, latest = _latest.get(model._meta.label, (0.0, ""))
    if not latest or now - read_at >= settings.FRAGMENTS_VERSION_SECONDS:
        latest = str(model.objects.aggregate(latest=Max("updated_at"))["latest"])
        _latest[model._meta.label] = (now, latest)
    return latest


def cached_fragment(request, *, namespace: str, version: str, render: Callable[[], str]) -> SafeString:
    signed_in = str(request.user.is_authenticated)
    parts = [request.path, translation.get_language(), signed_in, request.GET.urlencode(), version]
    key = f"{namespace}:{hashlib.sha256(chr(0).join(parts).encode()).hexdigest()}"
    fragments = caches["fragments"]
    html = fragments.get(key)
    if html is None:
        html = render()
        fragments.set(key, html)
    return mark_safe(html)  # noqa: S308 (our own template's output)
