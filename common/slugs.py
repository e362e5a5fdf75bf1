"""Readable, unique addresses (slugs), in any script, that hold when two requests create
at the same moment.

A title in Chinese, Russian or Arabic is written in Latin letters for its address
(`readable`): Chinese by its pinyin (pypinyin, which reads the common words whose
characters have several readings as words: 重庆 chong-qing, not zhong-qing), other
scripts by anyascii (Биогазовая установка: biogazovaya-ustanovka; ISC-licensed, where
Unidecode is GPL). Why transliterate rather than take the English translation's title:
an address is made when a listing is created, before any translation exists, and it never
changes once given (links, bookmarks, search engines). Former addresses are kept
(`former` models) and redirect permanently.
"""

import re
import unicodedata
from functools import wraps

from anyascii import anyascii
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponsePermanentRedirect
from django.utils.text import slugify
from pypinyin import Style, lazy_pinyin

ATTEMPTS = 5
MAX_LENGTH = 200
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def readable(title: str, fallback: str) -> str:
    """The address a title would have, in lower-case Latin letters, digits and hyphens
    (before a number makes it unique); `fallback` when the title has no letter or digit."""
    # Letters, digits and separators only: a symbol (an emoji) is not spelled out.
    title = "".join(c if unicodedata.category(c)[0] in "LNPZ" else " " for c in title)
    if _HAN.search(title):
        # Each syllable its own word: pypinyin keeps the text between Han runs as it is.
        title = " ".join(lazy_pinyin(title, style=Style.NORMAL, errors="default"))
    slug = slugify(anyascii(title).replace("_", " "))[:MAX_LENGTH].strip("-")
    return slug or fallback


def free_slug(model, base: str, *, former=None) -> str:
    """`base`, or `base-2`, `base-3`…: the first that no row of `model` has, nor any of
    its `former` addresses (a model with a unique `slug`: a former address keeps
    redirecting to its listing, never to a newer one)."""
    slug, n = base, 2
    while model._default_manager.filter(slug=slug).exists() or (
        former is not None and former._default_manager.filter(slug=slug).exists()
    ):
        slug, n = f"{base}-{n}", n + 1
    return slug


def save_with_unique_slug(instance, base: str, *, former=None):
    """Insert the new `instance` under the first free slug from `base`.

    The check and the insert are two statements: another request may take the same slug
    between them. The unique index decides; the losing insert is rolled back to its
    savepoint and tried again with the next free slug, so neither request fails.
    """
    model = type(instance)
    for _retry in range(ATTEMPTS - 1):
        instance.slug = free_slug(model, base, former=former)
        try:
            with transaction.atomic():
                instance.save(force_insert=True)
        except IntegrityError:
            if not model._default_manager.filter(slug=instance.slug).exists():
                raise  # another unique field: not ours to retry
        else:
            return instance
    instance.slug = free_slug(model, base, former=former)  # the last try: a loss now is an error
    instance.save(force_insert=True)
    return instance


def follows_former_slugs(former, *, to: str):
    """A view of `slug` that, where nothing is found at a former address of a published
    listing (`former`: a FormerSlug model; `to`: its foreign key to the listing), answers
    with a permanent redirect to the same page at the listing's address. Costs nothing
    on the way to a page that exists: the former addresses are read only after a 404."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            try:
                return view(request, slug, *args, **kwargs)
            except Http404:
                current = (
                    former._default_manager.filter(slug=slug, **{f"{to}__status": "published"})
                    .values_list(f"{to}__slug", flat=True)
                    .first()
                )
                if current is None:
                    raise
                path = request.get_full_path().replace(f"/{slug}/", f"/{current}/", 1)
                return HttpResponsePermanentRedirect(path)

        return wrapper

    return decorator
