"""Files live and die with their rows.

Django deletes a row, never its file: a deleted row, or a FileField given a new file or
cleared, leaves the old file in its storage. Whatever deletes or replaces such rows (the
services, the admin) hands the files it makes obsolete to `delete_files_on_commit`, which
deletes them once the transaction commits: a rollback keeps both the row and its file.

- `delete_files_on_commit(*files)`: files (FieldFiles or `(storage, name)` pairs) to delete
  after commit. A file that a row still names then (an event and its duplicate share a
  cover image) is kept; a missing file is no error; other storage errors are logged, never
  raised after the commit.
- `files_deleted_with(objs)`: the files of `objs` and of every row the cascade deletes with
  them, read before the delete (`with delete_files_with(objs): objs.delete()` does both).
- `delete_replaced_files(*instances)`, `delete_formset_files(formset)`: for blocks that save
  rows (the admin's `save_model` and `save_formset`): files that a saved row named before
  and no longer names, and the files of the rows a formset deletes.

Only the Storage API is used (`delete`, `listdir`, `size`, `get_modified_time`; a local
folder's `location` and `path()`, or a bucket's name and prefix, tell two storages on one
place apart), so files on local disk and on object storage follow the same rules. Known gap: whether another row
still names a file is checked after commit without a lock, so a copy being made at that
very moment (an event duplicated while its cover is replaced) can lose the shared file;
the orphan command cannot bring it back. What slips through (the uploads of a rolled-back
transaction, files older than this module, a deletion the storage refused) is found by
`manage.py clean_orphan_files`. Nothing here knows an app of ours: models and their
FileFields are found through Django's app registry.
"""

import logging
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from django.apps import apps
from django.core.files.storage import FileSystemStorage, Storage
from django.db import models, router, transaction
from django.db.models.deletion import Collector
from django.db.models.fields.files import FieldFile
from django.utils.functional import LazyObject, empty

logger = logging.getLogger(__name__)

StoredFile = tuple[Storage, str]

# Rows per query when a list of keys or names goes into `IN (...)` (SQLite's limit is higher).
BATCH = 500


# --- Storages and the fields that use them -------------------------------------------------


def real_storage(storage: Storage) -> Storage:
    """The storage itself, not the lazy `default_storage` that stands for it."""
    if isinstance(storage, LazyObject):
        if storage._wrapped is empty:
            storage._setup()
        return storage._wrapped
    return storage


def storage_key(storage: Storage) -> tuple:
    """Which place a storage stores in: two storages on one local folder are one place, and
    so are two on one bucket and prefix of object storage (django-storages' S3Storage); any
    other storage is its own place."""
    storage = real_storage(storage)
    if isinstance(storage, FileSystemStorage):
        return ("folder", os.path.realpath(storage.location))
    bucket = getattr(storage, "bucket_name", None)
    if bucket:
        endpoint = getattr(storage, "endpoint_url", None) or ""
        return ("bucket", endpoint, bucket, (getattr(storage, "location", "") or "").strip("/"))
    return ("storage", id(storage))


def file_fields(model: type[models.Model], *, inherited: bool = True) -> list[models.FileField]:
    """The FileFields (ImageFields too) stored in `model`'s rows."""
    fields = model._meta.concrete_fields if inherited else model._meta.local_concrete_fields
    return [field for field in fields if isinstance(field, models.FileField)]


def models_with_files() -> Iterator[tuple[type[models.Model], list[models.FileField]]]:
    """Every installed model that has FileFields, each table once (no proxies, and a child
    of multi-table inheritance without its parent's fields)."""
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        fields = file_fields(model, inherited=False)
        if fields:
            yield model, fields


def _batches(values: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def referenced_names(storage: Storage, names: Iterable[str] | None = None, *, using: str | None = None) -> set[str]:
    """The names, among `names` (or all), that a row names in a FileField of `storage`'s place."""
    key = storage_key(storage)
    wanted = None if names is None else sorted(set(names))
    found: set[str] = set()
    for model, fields in models_with_files():
        for field in fields:
            if storage_key(field.storage) != key:
                continue
            rows = model._base_manager.using(using or router.db_for_read(model))
            if wanted is None:
                found.update(
                    rows.exclude(**{f"{field.attname}__isnull": True})
                    .exclude(**{field.attname: ""})
                    .values_list(field.attname, flat=True)
                    .iterator()
                )
            else:
                for batch in _batches(wanted):
                    found.update(rows.filter(**{f"{field.attname}__in": batch}).values_list(field.attname, flat=True))
    return found


# --- Deleting after commit ------------------------------------------------------------------


def _as_stored_file(item: FieldFile | StoredFile) -> StoredFile | None:
    if isinstance(item, FieldFile):
        storage, name = item.storage, item.name
    else:
        storage, name = item
    return (storage, str(name)) if name else None


def delete_files_on_commit(*files: FieldFile | StoredFile, using: str | None = None) -> None:
    """Delete `files` from their storages after the current transaction commits.

    Each is a FieldFile or a `(storage, name)` pair; the storage and name are taken now, so
    the caller may change or delete the row afterwards. Call it inside the transaction that
    deletes or replaces the rows (outside one, Django runs the deletion at once). A
    rollback of that transaction (or of the savepoint it was called in) forgets the files.
    """
    stored = []
    seen = set()
    for item in files:
        stored_file = _as_stored_file(item)
        if stored_file is None:
            continue
        key = (storage_key(stored_file[0]), stored_file[1])
        if key not in seen:
            seen.add(key)
            stored.append(stored_file)
    if stored:
        transaction.on_commit(partial(_delete_now, stored, using), using=using)


def _delete_now(files: list[StoredFile], using: str | None) -> None:
    """After commit: delete each file no row names any more. Never raises."""
    by_place: dict[tuple, list[StoredFile]] = defaultdict(list)
    for storage, name in files:
        by_place[storage_key(storage)].append((storage, name))
    for place in by_place.values():
        try:
            still_named = referenced_names(place[0][0], [name for _storage, name in place], using=using)
        except Exception:
            # Without knowing, keep them: clean_orphan_files will find them later.
            logger.exception("Could not check whether %d file(s) are still referenced; kept them", len(place))
            continue
        for storage, name in place:
            if name in still_named:
                logger.info("Kept %s: a row still names it", name)
                continue
            try:
                storage.delete(name)
            except FileNotFoundError:
                pass  # already gone
            except Exception:
                logger.exception("Could not delete the stored file %s", name)


# --- What a delete or a save makes obsolete ----------------------------------------------


def _model_and_db(objs) -> tuple[type[models.Model] | None, str | None, Any]:
    """(model, database, objs as a queryset or a list) of an instance, a list or a queryset."""
    if isinstance(objs, models.QuerySet):
        return objs.model, objs.db, objs
    if isinstance(objs, models.Model):
        objs = [objs]
    objs = [obj for obj in objs if obj.pk is not None]
    if not objs:
        return None, None, objs
    model = type(objs[0])
    return model, objs[0]._state.db or router.db_for_write(model, instance=objs[0]), objs


def _stored_files_of_rows(model: type[models.Model], rows: models.QuerySet) -> list[StoredFile]:
    fields = file_fields(model, inherited=False)
    if not fields:
        return []
    return [
        (field.storage, name)
        for values in rows.values_list(*[field.attname for field in fields])
        for field, name in zip(fields, values, strict=True)
        if name
    ]


def files_deleted_with(objs) -> list[StoredFile]:
    """The files of `objs` (an instance, a list of them or a queryset) and of every row that
    deleting them deletes by cascade, as their rows say now.

    Call it in the transaction that deletes, before the delete. Raises ProtectedError or
    RestrictedError as the delete would.
    """
    model, using, objs = _model_and_db(objs)
    if model is None:
        return []
    collector = Collector(using=using, origin=objs)
    collector.collect(objs)
    files: list[StoredFile] = []
    for collected_model, instances in collector.data.items():
        if not file_fields(collected_model, inherited=False):
            continue
        keys = [obj.pk for obj in instances]
        for batch in _batches(keys):
            rows = collected_model._base_manager.using(using).filter(pk__in=batch)
            files += _stored_files_of_rows(collected_model, rows)
    for queryset in collector.fast_deletes:
        files += _stored_files_of_rows(queryset.model, queryset)
    return files


@contextmanager
def delete_files_with(objs):
    """`with delete_files_with(objs): objs.delete()`: the files of the deleted rows (the
    cascade's too) are deleted after commit. The block runs in a transaction."""
    model, using, _objs = _model_and_db(objs)
    with transaction.atomic(using=using):
        files = files_deleted_with(objs) if model is not None else []
        yield
        delete_files_on_commit(*files, using=using)


def _stored_names(model: type[models.Model], keys: list, using: str) -> dict[Any, dict[str, str]]:
    """{pk: {attname: stored name}} of the FileFields of these rows, as the database has them."""
    fields = file_fields(model)
    names: dict[Any, dict[str, str]] = {}
    for batch in _batches(keys):
        for row in model._base_manager.using(using).filter(pk__in=batch).values("pk", *[f.attname for f in fields]):
            names[row.pop("pk")] = row
    return names


@contextmanager
def delete_replaced_files(*instances: models.Model):
    """For a block that saves `instances`: a file a saved row named before and no longer
    names (replaced or cleared) is deleted after commit. The block runs in a transaction."""
    saved = [obj for obj in instances if obj.pk is not None and file_fields(type(obj))]
    using = (saved[0]._state.db or router.db_for_write(type(saved[0]))) if saved else None
    with transaction.atomic(using=using):
        by_model: dict[type[models.Model], list] = defaultdict(list)
        for obj in saved:
            by_model[type(obj)].append(obj.pk)
        before = {model: _stored_names(model, keys, using) for model, keys in by_model.items()}
        yield
        replaced = []
        for obj in saved:
            old_names = before[type(obj)].get(obj.pk, {})
            for field in file_fields(type(obj)):
                old = old_names.get(field.attname)
                if old and old != (getattr(obj, field.attname).name or ""):
                    replaced.append((field.storage, old))
        delete_files_on_commit(*replaced, using=using)


@contextmanager
def delete_formset_files(formset):
    """For the block that saves a model formset (an admin inline): the files of the rows it
    deletes, and those its other rows no longer name, are deleted after commit."""
    deleted_forms = list(formset.deleted_forms)
    deleted = [form.instance for form in deleted_forms if form.instance.pk is not None]
    kept = [form.instance for form in formset.initial_forms if form not in deleted_forms]
    with delete_files_with(deleted), delete_replaced_files(*kept):
        yield


class FilesFollowRowsAdmin:
    """A ModelAdmin mixin: the files of the rows the admin deletes (with everything their
    cascade deletes), and those its form or inlines replace, clear or delete, leave the
    storage after the commit. Put it before ModelAdmin in the bases."""

    def save_model(self, request, obj, form, change):
        with delete_replaced_files(obj):
            super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        with delete_formset_files(formset):
            super().save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        with delete_files_with(obj):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with delete_files_with(queryset):
            super().delete_queryset(request, queryset)
