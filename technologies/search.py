"""What the search index of listings and needs holds, and how it is kept current.

common/search.py analyses the texts; this module says which texts a row has, in which
language and with which weight, and writes them. Every write path calls
`refresh_technologies` or `refresh_needs` for the rows it changed (the services, the
admin, organisation and sector renames through technologies.signals, the generators);
`manage.py rebuild_search_index` rebuilds everything after an analysis change.
"""

from collections.abc import Callable

from django.conf import settings
from django.db import connection

from common import search
from common.search import Text
from common.translated import i18n_field_name

from .models import Need, Technology

BATCH_SIZE = 500

TECHNOLOGY_WEIGHTS = {"title": "A", "summary": "B", "description": "C", "advantages": "C"}
NEED_WEIGHTS = {"title": "A", "problem": "B"}


def _texts(row, weights: dict[str, str]) -> tuple[list[Text], str]:
    """The texts of `row` (originals in `original_language`, each translation in its
    language, names unanalysed) and the folded words typo tolerance compares (titles
    and the second field, in every language)."""
    original = row.original_language
    texts = [Text(getattr(row, field) or "", original, weight) for field, weight in weights.items()]
    texts += [
        Text(row.organisation.name if row.organisation_id else "", None, "D"),
        Text(row.sector.name if row.sector_id else "", "en", "D"),
    ]
    short_fields = list(weights)[:2]
    words = [getattr(row, field) or "" for field in short_fields]
    for language, _name in settings.LANGUAGES:
        for field, weight in weights.items():
            value = getattr(row, i18n_field_name(field, language), "") or ""
            texts.append(Text(value, language, weight))
            if field in short_fields:
                words.append(value)
    return texts, "\n".join(word for word in words if word)


def technology_texts(technology: Technology) -> tuple[list[Text], str]:
    return _texts(technology, TECHNOLOGY_WEIGHTS)


def need_texts(need: Need) -> tuple[list[Text], str]:
    return _texts(need, NEED_WEIGHTS)


def _columns(weights: dict[str, str]) -> list[str]:
    return [
        "original_language",
        *weights,
        *(i18n_field_name(field, language) for field in weights for language, _name in settings.LANGUAGES),
        "organisation__name",
        "sector__name",
    ]


def _refresh(queryset, texts_of: Callable, columns: list[str], progress: Callable[[int], None] | None) -> int:
    if connection.vendor != "postgresql":
        return 0
    model = queryset.model
    # A data migration indexes with the model as it was then: only the columns it had
    # (a text made translatable later has no translation columns yet).
    known = {field.name for field in model._meta.get_fields()}
    columns = [column for column in columns if column.split("__")[0] in known]
    pks = list(queryset.order_by("pk").values_list("pk", flat=True))
    written = 0
    for start in range(0, len(pks), BATCH_SIZE):
        batch = model._base_manager.filter(pk__in=pks[start : start + BATCH_SIZE])
        rows = batch.select_related("organisation", "sector").only(*columns)
        written += search.refresh(model, ((row.pk, *texts_of(row)) for row in rows))
        if progress:
            progress(min(start + BATCH_SIZE, len(pks)))
    return written


def refresh_technologies(queryset, progress: Callable[[int], None] | None = None) -> int:
    """Refresh the search vector and words of the listings in `queryset` (PostgreSQL only)."""
    return _refresh(queryset, technology_texts, _columns(TECHNOLOGY_WEIGHTS), progress)


def refresh_needs(queryset, progress: Callable[[int], None] | None = None) -> int:
    """Refresh the search vector and words of the needs in `queryset` (PostgreSQL only)."""
    return _refresh(queryset, need_texts, _columns(NEED_WEIGHTS), progress)


# --- Names indexed with the rows (weight D) -------------------------------------------


def _remember_name(sender, instance, **kwargs):
    instance._indexed_name = (
        sender.objects.filter(pk=instance.pk).values_list("name", flat=True).first() if instance.pk else None
    )


def _refresh_named(field: str):
    def receiver(sender, instance, created=False, raw=False, **kwargs):
        if raw or created or getattr(instance, "_indexed_name", instance.name) == instance.name:
            return
        refresh_technologies(Technology.objects.filter(**{field: instance}))
        refresh_needs(Need.objects.filter(**{field: instance}))

    return receiver


def connect_receivers() -> None:
    """An organisation or a sector renamed: the listings and needs that carry its name are
    indexed again (technologies.apps)."""
    from django.db.models.signals import post_save, pre_save

    from accounts.models import Organisation
    from common.reference.models import Sector

    for model, field in ((Organisation, "organisation"), (Sector, "sector")):
        pre_save.connect(_remember_name, sender=model, dispatch_uid=f"search-name-{field}")
        post_save.connect(_refresh_named(field), sender=model, dispatch_uid=f"search-refresh-{field}", weak=False)
