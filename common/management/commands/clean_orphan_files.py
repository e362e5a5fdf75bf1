"""`manage.py clean_orphan_files`: the stored files that no row names.

Deletions and replacements remove their files after commit (common/files.py); what slips
through is found here: the uploads of a transaction that rolled back, files left before
files followed their rows, a deletion whose storage failed. Every installed model's
FileFields are read (no app of ours is imported), grouped by the storage they use, and each
of those storages is listed through the Storage API, so local folders and object storage
are treated alike. A dry run by default; `--delete` removes. Files younger than
`--min-age` minutes are left alone: their row may not be committed yet.

Each storage must own its folder (or bucket prefix). Local storages whose folders coincide
or nest (PRIVATE_MEDIA_ROOT inside MEDIA_ROOT) are recognised, and so are object storages on
one bucket and prefix; nested prefixes are not, and a storage would take the files of the
one inside it for orphans (the portal's own prefixes, media/ and private/, are side by
side): look at the dry run first.
"""

import os
import posixpath
from datetime import timedelta

from django.conf import STATICFILES_STORAGE_ALIAS, settings
from django.core.files.storage import Storage, storages
from django.core.management.base import BaseCommand
from django.utils import timezone

from common.files import models_with_files, real_storage, referenced_names, storage_key


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    value = size / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


class Command(BaseCommand):
    help = (
        "List the stored files that no row names (uploads of rolled-back transactions, files of rows "
        "deleted before files followed their rows), in every storage a FileField uses, with their total "
        "size. A dry run unless --delete."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Remove the orphan files (default: only list).")
        parser.add_argument(
            "--min-age",
            type=int,
            default=60,
            metavar="MINUTES",
            help="Leave files younger than this, whose row may not be committed yet (default: 60).",
        )

    def handle(self, *args, delete: bool = False, min_age: int = 60, **options):
        min_age = max(min_age, 0)
        places = self.places()
        folders = {key[1] for key in places if key[0] == "folder"}
        cutoff = timezone.now() - timedelta(minutes=min_age)
        total_count = total_size = young = failed = 0
        for key, storage in places.items():
            label = self.label(key, storage)
            # A storage whose folder holds another's (private files inside MEDIA_ROOT) must
            # not see the other's files as its own orphans.
            skip = folders - {key[1]} if key[0] == "folder" else set()
            named = referenced_names(storage)
            try:
                found = list(self.walk(storage, skip))
            except NotImplementedError:
                self.stderr.write(f"[{label}] cannot be listed (listdir not implemented): skipped")
                continue
            orphans = [name for name in found if name not in named]
            self.stdout.write(f"[{label}] {len(found)} file(s), {len(found) - len(orphans)} named by rows")
            for name in orphans:
                if min_age and not self.old_enough(storage, name, cutoff):
                    young += 1
                    continue
                size = self.size(storage, name)
                if delete:
                    try:
                        storage.delete(name)
                    except FileNotFoundError:
                        pass
                    except Exception as error:  # report it and go on with the others
                        failed += 1
                        self.stderr.write(f"  could not remove {name}: {error}")
                        continue
                    self.stdout.write(f"  removed {name} ({human_size(size)})")
                else:
                    self.stdout.write(f"  would remove {name} ({human_size(size)})")
                total_count += 1
                total_size += size
        summary = f"{total_count} orphan file(s), {human_size(total_size)} ({total_size:,} bytes)"
        if young:
            summary += f"; {young} younger than {min_age} minute(s) left alone"
        if failed:
            summary += f"; {failed} could not be removed"
        if delete:
            self.stdout.write(f"Removed {summary}.")
        else:
            self.stdout.write(f"Dry run: {summary}. Nothing was removed; run with --delete to remove them.")

    @staticmethod
    def places() -> dict[tuple, Storage]:
        """One storage per place that some FileField stores in."""
        places: dict[tuple, Storage] = {}
        for _model, fields in models_with_files():
            for field in fields:
                places.setdefault(storage_key(field.storage), real_storage(field.storage))
        return places

    @staticmethod
    def label(key: tuple, storage: Storage) -> str:
        """The storage's alias in STORAGES when it has one, else its folder, bucket and prefix, or class."""
        for alias in settings.STORAGES:
            if alias != STATICFILES_STORAGE_ALIAS and storage_key(storages[alias]) == key:
                return alias
        if key[0] == "bucket":
            return f"{key[2]}/{key[3]}" if key[3] else key[2]
        return key[1] if key[0] == "folder" else type(storage).__name__

    @staticmethod
    def walk(storage: Storage, skip_folders: set[str], directory: str = ""):
        try:
            directories, files = storage.listdir(directory)
        except FileNotFoundError:  # a folder that was never created holds nothing
            return
        for name in sorted(files):
            yield posixpath.join(directory, name) if directory else name
        for name in sorted(directories):
            path = posixpath.join(directory, name) if directory else name
            if skip_folders and os.path.realpath(storage.path(path)) in skip_folders:
                continue  # (only local folders are ever skipped, and they have a path)
            yield from Command.walk(storage, skip_folders, path)

    @staticmethod
    def old_enough(storage: Storage, name: str, cutoff) -> bool:
        try:
            modified = storage.get_modified_time(name)
        except (NotImplementedError, OSError):
            return False  # age unknown: leave it
        if timezone.is_naive(modified):
            modified = timezone.make_aware(modified)
        return modified <= cutoff

    @staticmethod
    def size(storage: Storage, name: str) -> int:
        try:
            return storage.size(name)
        except (NotImplementedError, OSError):
            return 0
