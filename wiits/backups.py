"""Backups of everything a restore needs, and the restore (README: "Backups and restore").

One backup is a few files side by side in the backup storage (STORAGES["dbbackup"]: a
folder, BACKUP_DIR, or a bucket, BACKUP_S3_BUCKET), all named after the backup's id, the
time it started in UTC:

    wiits-20261207-023000Z.db.psql.bin            pg_dump's custom format (django-dbbackup's connector)
    wiits-20261207-023000Z.uploads-default.tar    every file of the public storage (MEDIA_ROOT or media/)
    wiits-20261207-023000Z.uploads-private.tar    every file of the private storage (listings' files)
    wiits-20261207-023000Z.manifest.json          written last: what the backup holds

The uploads are read through Django's storage API, so a folder and a bucket are backed up
and restored alike. With BACKUP_GPG_RECIPIENT every file but the manifest is encrypted to
that public key with the `gpg` program (`.gpg` added to its name). The manifest lists each
file's size and SHA-256, each upload's SHA-256, and the rows of each table, counted in the
very snapshot pg_dump reads (an exported snapshot), so a restore can prove it got it all.
A backup without its manifest did not finish: it is never restored, and pruned after a day.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import socket
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection, transaction

logger = logging.getLogger(__name__)

BACKUP_STORAGE = "dbbackup"  # the alias django-dbbackup reads too
UPLOAD_STORAGES = ("default", "private")  # public and private uploads (technologies/storage.py)
PREFIX = "wiits-"
ID_FORMAT = "%Y%m%d-%H%M%SZ"
MANIFEST_SUFFIX = ".manifest.json"
NAME_RE = re.compile(r"^(wiits-\d{8}-\d{6}Z)\.(.+)$")
MANIFEST_FORMAT = 1
CHUNK = 1024 * 1024
# A backup whose manifest is missing this long after it started failed: its files go.
UNFINISHED_AFTER = timedelta(days=1)


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why, for an operator."""


class RestoreRefused(BackupError):
    """The restore would overwrite something (`--force` allows it)."""


# --- Names and dates ------------------------------------------------------------------------


def backup_id(when: datetime) -> str:
    return PREFIX + when.astimezone(UTC).strftime(ID_FORMAT)


def backup_time(identifier: str) -> datetime:
    return datetime.strptime(identifier[len(PREFIX) :], ID_FORMAT).replace(tzinfo=UTC)


def split_name(name: str) -> tuple[str, str] | None:
    """("wiits-20261207-023000Z", "manifest.json") for a backup's file, None for anything else."""
    match = NAME_RE.match(name)
    return (match.group(1), match.group(2)) if match else None


# --- Retention ------------------------------------------------------------------------------


def backups_to_delete(
    backups: Iterable[tuple[str, datetime]], *, now: datetime, keep_daily_days: int, keep_monthly_months: int
) -> list[str]:
    """Which of `backups` (name, time) go: every backup of the last `keep_daily_days` days
    stays, and the newest of each of the last `keep_monthly_months` calendar months (UTC;
    the current month counts as one), and always the newest of all; the rest go, oldest
    first."""
    newest_first = sorted(backups, key=lambda backup: backup[1], reverse=True)
    keep = {newest_first[0][0]} if newest_first else set()
    months_seen: set[tuple[int, int]] = set()
    now = now.astimezone(UTC)
    for name, when in newest_first:
        when = when.astimezone(UTC)
        if now - when < timedelta(days=keep_daily_days):
            keep.add(name)
        month = (when.year, when.month)
        months_ago = (now.year * 12 + now.month) - (when.year * 12 + when.month)
        if months_ago < keep_monthly_months and month not in months_seen:
            months_seen.add(month)
            keep.add(name)
    return [name for name, _when in reversed(newest_first) if name not in keep]


# --- The backup storage ---------------------------------------------------------------------


def backup_storage():
    return storages[BACKUP_STORAGE]


def describe_storage(storage) -> str:
    """Where a storage keeps its files, for people: a folder or s3://bucket/prefix."""
    if hasattr(storage, "bucket_name"):
        return f"s3://{storage.bucket_name}/{storage.location}".rstrip("/")
    return str(getattr(storage, "location", storage))


def stored_backups(storage=None) -> dict[str, dict]:
    """The backups in the backup storage: {id: {"time", "files": [names], "complete"}}."""
    storage = storage or backup_storage()
    try:
        _folders, names = storage.listdir("")
    except FileNotFoundError:  # a folder not made yet: no backup
        return {}
    found: dict[str, dict] = {}
    for name in names:
        parts = split_name(name)
        if not parts:
            continue
        identifier, suffix = parts
        entry = found.setdefault(identifier, {"time": backup_time(identifier), "files": [], "complete": False})
        entry["files"].append(name)
        if suffix == MANIFEST_SUFFIX[1:]:
            entry["complete"] = True
    return dict(sorted(found.items()))


def read_manifest(identifier: str | None = None, storage=None) -> dict:
    """The manifest of backup `identifier`, or of the newest complete backup."""
    storage = storage or backup_storage()
    complete = [name for name, entry in stored_backups(storage).items() if entry["complete"]]
    if identifier is None:
        if not complete:
            raise BackupError(f"No finished backup in {describe_storage(storage)}.")
        identifier = complete[-1]
    elif identifier not in complete:
        raise BackupError(
            f"No finished backup {identifier} in {describe_storage(storage)}"
            + (f"; there are: {', '.join(complete)}." if complete else ".")
        )
    with storage.open(identifier + MANIFEST_SUFFIX, "rb") as handle:
        return json.loads(handle.read())


# --- When the last backup was made (for /healthz and /metrics) ------------------------------

CACHE_SECONDS = 60
_newest: dict = {"checked": None, "at": None, "error": ""}


def _read_newest() -> dict:
    now = time.monotonic()
    if _newest["checked"] is None or now - _newest["checked"] >= CACHE_SECONDS:
        try:
            complete = [name for name, entry in stored_backups().items() if entry["complete"]]
            at = datetime.fromisoformat(read_manifest(complete[-1])["finished_at"]) if complete else None
            _newest.update(at=at, error="")
        except Exception as error:  # an unreachable bucket must not break a health check
            logger.warning("cannot read the backup storage: %s", error)
            _newest.update(at=None, error=f"{type(error).__name__}: {error}")
        _newest["checked"] = now
    return _newest


def forget_last_backup() -> None:
    """Read the backup storage again at the next question (after a backup, in tests)."""
    _newest["checked"] = None


def last_backup_at() -> datetime | None:
    """When the newest successful backup finished (from its manifest); None when there is
    none, or when the backup storage cannot be read (logged). Read at most once a minute per
    process."""
    return _read_newest()["at"]


def backup_health(now: datetime | None = None) -> dict:
    """/healthz's detail for staff and monitoring: the last backup's time and age. An old
    backup is a reason to alert someone, not to take the site out of a load balancer, so it
    never makes /healthz unhealthy."""
    newest = _read_newest()
    if newest["error"]:
        return {"status": "unknown: the backup storage cannot be read", "error": newest["error"]}
    if newest["at"] is None:
        return {"status": "no backup was ever made"}
    age = (now or datetime.now(UTC)) - newest["at"]
    hours = round(age.total_seconds() / 3600, 1)
    overdue = age > timedelta(hours=settings.BACKUP_MAX_AGE_HOURS)
    return {
        "status": "overdue" if overdue else "ok",
        "last": newest["at"].isoformat(timespec="seconds"),
        "age_hours": hours,
        "max_age_hours": settings.BACKUP_MAX_AGE_HOURS,
    }


# --- Files: checksums, walking a storage, encryption -----------------------------------------


def sha256_of(handle) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return size, digest.hexdigest()


def walk(storage, path: str = "") -> Iterator[str]:
    """Every file's name in `storage` (a folder or a bucket's prefix), sorted."""
    try:
        folders, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{path}/{name}" if path else name
    for folder in sorted(folders):
        yield from walk(storage, f"{path}/{folder}" if path else folder)


def gpg(*arguments: str, stdin: bytes | None = None) -> None:
    """Run the gpg program (GNUPGHOME chooses the keyring), raising its own words."""
    gpg_program = shutil.which("gpg")
    if not gpg_program:
        raise BackupError("gpg is not installed: install gnupg, or unset BACKUP_GPG_RECIPIENT")
    result = subprocess.run(  # noqa: S603 (our arguments)
        [gpg_program, "--batch", "--yes", "--no-tty", *arguments], input=stdin, capture_output=True, check=False
    )
    if result.returncode:
        raise BackupError(f"gpg {arguments[0]} failed: {result.stderr.decode(errors='replace').strip()}")


def encrypt(path: Path, recipient: str) -> Path:
    target = path.with_name(path.name + ".gpg")
    gpg("--encrypt", "--trust-model", "always", "--recipient", recipient, "--output", str(target), str(path))
    path.unlink()
    return target


def decrypt(path: Path) -> Path:
    target = path.with_name(path.name.removesuffix(".gpg"))
    passphrase = settings.BACKUP_GPG_PASSPHRASE
    if passphrase:
        gpg(
            "--pinentry-mode", "loopback", "--passphrase-fd", "0", "--output", str(target), "--decrypt", str(path),
            stdin=passphrase.encode(),
        )  # fmt: skip
    else:
        gpg("--output", str(target), "--decrypt", str(path))
    return target


# --- The database ---------------------------------------------------------------------------


def database_connector():
    from dbbackup.db.base import get_connector

    return get_connector("default")


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (introspected)
            counts[table] = cursor.fetchone()[0]
    return counts


def dump_database(target: Path) -> tuple[dict[str, int], str]:
    """Dump the database into `target` and count each table's rows in the same snapshot.
    Returns (row counts, the connector's dotted path)."""
    connector = database_connector()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            # pg_dump reads what this transaction sees, whatever commits meanwhile.
            connector.dump_suffix = f"--snapshot={snapshot}"
        counts = row_counts()
        dump = connector.create_dump()
    with target.open("wb") as handle:
        dump.seek(0)
        shutil.copyfileobj(dump, handle, CHUNK)
    dump.close()
    return counts, f"{type(connector).__module__}.{type(connector).__name__}"


def database_tables() -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def restore_database(dump: Path, connector_path: str) -> None:
    from dbbackup.db.base import get_connector

    connection.close()  # pg_restore must not wait for a lock this process holds
    connector = get_connector("default", connector_path=connector_path)
    with dump.open("rb") as handle:
        connector.restore_dump(handle)
    connection.close()
    ContentType.objects.clear_cache()


# --- Uploads --------------------------------------------------------------------------------


def archive_storage(storage, target: Path) -> dict[str, dict]:
    """Every file of `storage` into the tar `target`; returns {name: {size, sha256}}."""
    files = {}
    with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as archive:
        for name in walk(storage):
            with tempfile.TemporaryFile() as copy:
                digest, size = hashlib.sha256(), 0
                with storage.open(name, "rb") as source:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        copy.write(chunk)
                copy.seek(0)
                info = tarfile.TarInfo(name)
                info.size = size
                info.mtime = int(time.time())
                info.mode = 0o644
                archive.addfile(info, copy)
            files[name] = {"size": size, "sha256": digest.hexdigest()}
    return files


def storage_conflicts(storage, files: dict[str, dict]) -> list[str]:
    """The names of `files` that `storage` holds with other content."""
    present = set(walk(storage))
    conflicts = []
    for name, expected in files.items():
        if name in present:
            with storage.open(name, "rb") as handle:
                if sha256_of(handle)[1] != expected["sha256"]:
                    conflicts.append(name)
    return conflicts


def restore_storage(storage, archive_path: Path, files: dict[str, dict]) -> tuple[int, int]:
    """Put every file of the tar back under its name, checking it against the manifest;
    files already there with the same content are left alone, others replaced. Returns
    (written, already there)."""
    present = set(walk(storage))
    written = kept = 0
    with tarfile.open(archive_path, "r") as archive:
        for member in archive:
            if not member.isfile():
                continue
            expected = files.get(member.name)
            if expected is None:
                raise BackupError(f"{archive_path.name} holds {member.name}, which its manifest does not list")
            with tempfile.TemporaryFile() as copy:
                shutil.copyfileobj(archive.extractfile(member), copy, CHUNK)
                copy.seek(0)
                size, digest = sha256_of(copy)
                if (size, digest) != (expected["size"], expected["sha256"]):
                    raise BackupError(f"{member.name} in {archive_path.name} does not match its checksum")
                if member.name in present:
                    with storage.open(member.name, "rb") as handle:
                        if sha256_of(handle)[1] == digest:
                            kept += 1
                            continue
                    storage.delete(member.name)
                copy.seek(0)
                saved = storage.save(member.name, File(copy, name=member.name))
            if saved != member.name:
                raise BackupError(f"{member.name} was stored as {saved}")
            written += 1
    if written + kept != len(files):
        raise BackupError(f"{archive_path.name} holds {written + kept} files, its manifest lists {len(files)}")
    return written, kept


# --- The backup -----------------------------------------------------------------------------


@dataclass
class Backup:
    id: str
    manifest: dict
    seconds: float
    deleted: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(entry["size"] for entry in self.manifest["files"])


def portal_release() -> dict[str, str]:
    try:
        version = metadata.version("wiits")
    except metadata.PackageNotFoundError:
        version = ""
    commit = os.environ.get("WIITS_COMMIT", "")
    if not commit and (settings.BASE_DIR / ".git").exists() and shutil.which("git"):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            commit = subprocess.run(  # noqa: S603
                [shutil.which("git"), "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],
                capture_output=True,
                text=True,
                timeout=5,
                check=True,
            ).stdout.strip()
    return {"version": version, "commit": commit}


def _store(storage, path: Path, name: str) -> dict:
    with path.open("rb") as handle:
        size, digest = sha256_of(handle)
        handle.seek(0)
        saved = storage.save(name, File(handle, name=name))
    if saved != name:
        raise BackupError(f"the backup storage stored {name} as {saved}: is another backup running?")
    return {"name": name, "size": size, "sha256": digest}


def create_backup(*, encrypt_to: str | None = None, prune: bool = True, now: Callable = lambda: datetime.now(UTC)):
    """Back up the database and every upload storage into the backup storage, write the
    manifest, then (when `prune`) apply the retention. `encrypt_to`: a GPG recipient
    (default BACKUP_GPG_RECIPIENT; "" for none)."""
    recipient = settings.BACKUP_GPG_RECIPIENT if encrypt_to is None else encrypt_to
    started = now()
    clock = time.monotonic()
    identifier = backup_id(started)
    storage = backup_storage()
    files: list[dict] = []
    uploads: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="wiits-backup-") as work:
        work = Path(work)
        counts, connector_path = dump_database(work / "db.psql.bin")
        local = [("database", "", work / "db.psql.bin", "db.psql.bin")]
        for alias in UPLOAD_STORAGES:
            upload_storage = storages[alias]
            path = work / f"uploads-{alias}.tar"
            uploads[alias] = {
                "where": describe_storage(upload_storage),
                "files": archive_storage(upload_storage, path),
            }
            local.append(("uploads", alias, path, path.name))
        for kind, alias, path, suffix in local:
            if recipient:
                path, suffix = encrypt(path, recipient), suffix + ".gpg"
            entry = _store(storage, path, f"{identifier}.{suffix}")
            files.append({**entry, "kind": kind, **({"storage": alias} if alias else {})})
    finished = now()
    manifest = {
        "format": MANIFEST_FORMAT,
        "id": identifier,
        "started_at": started.isoformat(),
        "finished_at": finished.isoformat(),
        "seconds": round(time.monotonic() - clock, 3),
        "portal": portal_release(),
        "host": socket.gethostname(),
        "encrypted_to": recipient or "",
        "database": {
            "vendor": connection.vendor,
            "name": str(connection.settings_dict["NAME"]),
            "connector": connector_path,
            "tables": counts,
        },
        "files": files,
        "uploads": uploads,
    }
    saved = storage.save(identifier + MANIFEST_SUFFIX, ContentFile(json.dumps(manifest, indent=1).encode()))
    if saved != identifier + MANIFEST_SUFFIX:
        raise BackupError(f"the manifest was stored as {saved}")
    forget_last_backup()
    backup = Backup(id=identifier, manifest=manifest, seconds=manifest["seconds"])
    if prune:
        try:
            backup.deleted = prune_backups(now=finished)
        except Exception:  # the backup is made; keys that may not delete leave pruning to the bucket
            logger.exception("backup %s made, but pruning old backups failed", identifier)
    logger.info("backup %s: %d files, %d bytes, %.1f s", identifier, len(files), backup.size, backup.seconds)
    return backup


def prune_backups(*, now: datetime, storage=None) -> list[str]:
    """Apply the retention (BACKUP_KEEP_DAILY_DAYS, BACKUP_KEEP_MONTHLY_MONTHS) and remove
    unfinished backups older than a day; returns the ids removed."""
    storage = storage or backup_storage()
    found = stored_backups(storage)
    complete = [(name, entry["time"]) for name, entry in found.items() if entry["complete"]]
    doomed = backups_to_delete(
        complete,
        now=now,
        keep_daily_days=settings.BACKUP_KEEP_DAILY_DAYS,
        keep_monthly_months=settings.BACKUP_KEEP_MONTHLY_MONTHS,
    )
    doomed += [
        name for name, entry in found.items() if not entry["complete"] and now - entry["time"] > UNFINISHED_AFTER
    ]
    for name in doomed:
        # The manifest first: a half-deleted backup is an unfinished one, never restored.
        for file in sorted(found[name]["files"], key=lambda file: not file.endswith(MANIFEST_SUFFIX)):
            storage.delete(file)
    if doomed:
        forget_last_backup()
    return sorted(doomed)


# --- The restore ----------------------------------------------------------------------------


@dataclass
class Restore:
    id: str
    manifest: dict
    seconds: float
    written: dict[str, int]
    kept: dict[str, int]


def _fetch(storage, entry: dict, work: Path) -> Path:
    """Download one backup file and check it against the manifest."""
    target = work / entry["name"]
    if not storage.exists(entry["name"]):
        raise BackupError(f"{entry['name']} is missing from {describe_storage(storage)}")
    digest, size = hashlib.sha256(), 0
    with storage.open(entry["name"], "rb") as source, target.open("wb") as copy:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            copy.write(chunk)
    if (size, digest.hexdigest()) != (entry["size"], entry["sha256"]):
        raise BackupError(
            f"{entry['name']} does not match the manifest (size {size}, expected {entry['size']}; "
            "SHA-256 differs): the backup is damaged"
        )
    return decrypt(target) if target.name.endswith(".gpg") else target


def restore_backup(identifier: str | None = None, *, force: bool = False, report: Callable = lambda line: None):
    """Restore the database and the upload storages from backup `identifier` (default the
    newest finished one). Refuses, before changing anything, a database that has tables or
    a storage holding other content under a backup's file name, unless `force`. Every
    file is checked against the manifest first; the row counts after."""
    clock = time.monotonic()
    storage = backup_storage()
    manifest = read_manifest(identifier, storage)
    identifier = manifest["id"]
    if manifest.get("format") != MANIFEST_FORMAT:
        raise BackupError(f"{identifier}: manifest format {manifest.get('format')} is not one this release reads")
    if manifest["database"]["vendor"] != connection.vendor:
        raise BackupError(
            f"{identifier} is a {manifest['database']['vendor']} backup; this database is {connection.vendor}"
        )
    missing_aliases = set(manifest["uploads"]) - set(settings.STORAGES)
    if missing_aliases:
        raise BackupError(f"no storage {', '.join(sorted(missing_aliases))} in STORAGES to restore into")
    database = connection.settings_dict["NAME"]
    tables = database_tables()
    if tables and not force:
        raise RestoreRefused(
            f"The database {database} is not empty ({len(tables)} tables). Restore into a new, empty "
            "database, or add --force to replace its content with the backup's."
        )
    conflicts = {
        alias: storage_conflicts(storages[alias], content["files"]) for alias, content in manifest["uploads"].items()
    }
    if any(conflicts.values()) and not force:
        lines = [
            f"{alias} ({describe_storage(storages[alias])}): {len(names)} files, e.g. {names[0]}"
            for alias, names in conflicts.items()
            if names
        ]
        raise RestoreRefused(
            "The storages hold other files under the backup's names: "
            + "; ".join(lines)
            + ". Add --force to replace them."
        )
    written: dict[str, int] = {}
    kept: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="wiits-restore-") as work:
        work = Path(work)
        local = {}
        for entry in manifest["files"]:
            local[entry["name"]] = _fetch(storage, entry, work)
            report(f"checked {entry['name']} ({entry['size']} bytes, SHA-256 as in the manifest)")
        for entry in manifest["files"]:
            if entry["kind"] == "database":
                restore_database(local[entry["name"]], manifest["database"]["connector"])
                report(f"restored the database {database} ({len(manifest['database']['tables'])} tables)")
        for entry in manifest["files"]:
            if entry["kind"] == "uploads":
                alias = entry["storage"]
                written[alias], kept[alias] = restore_storage(
                    storages[alias], local[entry["name"]], manifest["uploads"][alias]["files"]
                )
                report(
                    f"restored {alias} uploads into {describe_storage(storages[alias])}: "
                    f"{written[alias]} written, {kept[alias]} already there"
                )
    counts = row_counts()
    differ = {
        table: (expected, counts.get(table))
        for table, expected in manifest["database"]["tables"].items()
        if counts.get(table) != expected
    }
    if differ:
        raise BackupError(f"row counts differ from the manifest after the restore: {differ}")
    report(f"row counts of {len(counts)} tables match the manifest")
    return Restore(
        id=identifier, manifest=manifest, seconds=round(time.monotonic() - clock, 3), written=written, kept=kept
    )
