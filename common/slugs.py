"""Unique addresses (slugs) that hold when two requests create at the same moment."""

from django.db import IntegrityError, transaction

ATTEMPTS = 5


def free_slug(model, base: str) -> str:
    """`base`, or `base-2`, `base-3`…: the first no row of `model` has yet."""
    slug, n = base, 2
    while model._default_manager.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def save_with_unique_slug(instance, base: str):
    """Insert the new `instance` under the first free slug from `base`.

    The check and the insert are two statements: another request may take the same slug
    between them. The unique index decides; the losing insert is rolled back to its
    savepoint and tried again with the next free slug, so neither request fails.
    """
    model = type(instance)
    for _retry in range(ATTEMPTS - 1):
        instance.slug = free_slug(model, base)
        try:
            with transaction.atomic():
                instance.save(force_insert=True)
        except IntegrityError:
            if not model._default_manager.filter(slug=instance.slug).exists():
                raise  # another unique field: not ours to retry
        else:
            return instance
    instance.slug = free_slug(model, base)  # the last try: a loss now is an error
    instance.save(force_insert=True)
    return instance
