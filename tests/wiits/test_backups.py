"""Backups and restore (wiits/backups.py, `manage.py backup` and `restore`): the retention
by dates, the manifest, the restore's refusals and checks, encryption, and what /healthz
and `last_backup_at` say. The drill (`make restore-drill`) proves a whole restore."""

import io
import json
import shutil
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from devtools.restoredrill import drill
from tests.factories import UserFactory
from wiits import backups, tasks


@pytest.fixture
def backup_dir(settings, tmp_path):
    """The backup storage in a folder of this test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "dbbackup": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "backups", "base_url": None},
        },
    }
    backups.forget_last_backup()
    yield tmp_path / "backups"
    backups.forget_last_backup()


def day(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def write_manifest(storage, when: datetime, **extra) -> str:
    identifier = backups.backup_id(when)
    manifest = {"format": 1, "id": identifier, "finished_at": (when + timedelta(seconds=30)).isoformat(), **extra}
    storage.save(identifier + backups.MANIFEST_SUFFIX, ContentFile(json.dumps(manifest).encode()))
    return identifier


# --- Retention ------------------------------------------------------------------------------


def test_retention_keeps_the_last_14_days_and_the_newest_of_each_of_12_months():
    now = day("2026-12-07T03:00:00")
    daily = [day("2026-12-07T02:30:00") - timedelta(days=n) for n in range(0, 400)]
    backups_ = [(backups.backup_id(when), when) for when in daily]
    doomed = set(backups.backups_to_delete(backups_, now=now, keep_daily_days=14, keep_monthly_months=12))
    kept = sorted(when for name, when in backups_ if name not in doomed)
    recent = [when for when in kept if when > now - timedelta(days=14)]
    assert len(recent) == 14
    monthly = [when for when in kept if when <= now - timedelta(days=14)]
    # the last day of each month from January to October 2026 (November's, the 30th, and
    # December's are within the 14 days)
    assert [when.date().isoformat() for when in monthly] == [
        "2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30",
        "2026-07-31", "2026-08-31", "2026-09-30", "2026-10-31",
    ]  # fmt: skip
    assert len(doomed) == 400 - 14 - 10


def test_retention_keeps_several_backups_of_a_day_and_says_which_go_oldest_first():
    now = day("2026-03-10T12:00:00")
    backups_ = [
        ("today-manual", day("2026-03-10T09:00:00")),
        ("today", day("2026-03-10T02:30:00")),
        ("january-early", day("2026-01-01T02:30:00")),
        ("january-late", day("2026-01-31T02:30:00")),
        ("feb-1", day("2026-02-01T02:30:00")),
        ("feb-20", day("2026-02-20T02:30:00")),
        ("a-year-ago", day("2025-03-09T02:30:00")),
        ("13-months-ago", day("2025-02-27T02:30:00")),
    ]
    # 12 months: March 2026 back to April 2025; a year ago (March 2025) is outside
    assert backups.backups_to_delete(backups_, now=now, keep_daily_days=14, keep_monthly_months=12) == [
        "13-months-ago",
        "a-year-ago",
        "january-early",
        "feb-1",
    ]
    # a month's newest in the current month is today's; nothing outside the windows stays
    assert backups.backups_to_delete(backups_, now=now, keep_daily_days=1, keep_monthly_months=1) == [
        "13-months-ago",
        "a-year-ago",
        "january-early",
        "january-late",
        "feb-1",
        "feb-20",
    ]


def test_retention_never_deletes_the_newest_backup_even_when_backups_stopped_long_ago():
    now = day("2028-01-01T00:00:00")
    old = [("old", day("2025-05-05T02:30:00")), ("older", day("2025-05-04T02:30:00"))]
    assert backups.backups_to_delete(old, now=now, keep_daily_days=14, keep_monthly_months=12) == ["older"]
    assert backups.backups_to_delete([], now=now, keep_daily_days=14, keep_monthly_months=12) == []


def test_prune_applies_the_retention_and_removes_unfinished_backups_after_a_day(backup_dir, settings):
    settings.BACKUP_KEEP_DAILY_DAYS, settings.BACKUP_KEEP_MONTHLY_MONTHS = 2, 1
    storage = backups.backup_storage()
    now = day("2026-12-07T03:00:00")
    for days_ago in range(5):
        identifier = write_manifest(storage, now - timedelta(days=days_ago, minutes=30))
        storage.save(f"{identifier}.db.psql.bin", ContentFile(b"dump"))
    unfinished_old = backups.backup_id(now - timedelta(days=3, hours=1))
    unfinished_new = backups.backup_id(now - timedelta(hours=1))
    for identifier in (unfinished_old, unfinished_new):
        storage.save(f"{identifier}.db.psql.bin", ContentFile(b"half"))
    storage.save("notes.txt", ContentFile(b"not a backup"))

    deleted = backups.prune_backups(now=now)

    assert deleted == sorted(
        [backups.backup_id(now - timedelta(days=n, minutes=30)) for n in (2, 3, 4)] + [unfinished_old]
    )
    remaining = backups.stored_backups(storage)
    assert list(remaining) == [
        backups.backup_id(now - timedelta(days=1, minutes=30)),
        unfinished_new,
        backups.backup_id(now - timedelta(minutes=30)),
    ]
    assert storage.exists("notes.txt")


# --- last_backup_at and /healthz ------------------------------------------------------------


def test_last_backup_at_reads_the_newest_manifest_and_caches_it_for_a_minute(backup_dir, monkeypatch):
    assert backups.last_backup_at() is None
    storage = backups.backup_storage()
    write_manifest(storage, day("2026-12-05T02:30:00"))
    assert backups.last_backup_at() is None  # cached
    backups.forget_last_backup()
    assert backups.last_backup_at() == day("2026-12-05T02:30:30")
    write_manifest(storage, day("2026-12-06T02:30:00"))
    # an unfinished newer backup (no manifest) does not count
    storage.save(backups.backup_id(day("2026-12-07T02:30:00")) + ".db.psql.bin", ContentFile(b"half"))
    clock = backups._newest["checked"]
    monkeypatch.setattr(backups.time, "monotonic", lambda: clock + backups.CACHE_SECONDS)
    assert backups.last_backup_at() == day("2026-12-06T02:30:30")


def test_last_backup_at_is_none_when_the_backup_storage_cannot_be_read(backup_dir, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("bucket unreachable")

    monkeypatch.setattr(type(backups.backup_storage()), "listdir", broken)
    assert backups.last_backup_at() is None
    assert backups.backup_health() == {
        "status": "unknown: the backup storage cannot be read",
        "error": "OSError: bucket unreachable",
    }


@pytest.mark.django_db
def test_healthz_tells_staff_when_no_backup_was_ever_made(backup_dir, staff_client, settings):
    settings.REDIS_URL = ""
    data = json.loads(staff_client.get(reverse("healthz")).content)
    assert data["status"] == "ok"
    assert data["checks"]["backup"] == {"status": "no backup was ever made"}
    assert json.loads(Client().get(reverse("healthz")).content) == {"status": "ok"}  # the public: nothing


@pytest.mark.django_db
def test_healthz_gives_the_last_backups_age_and_stays_healthy_when_it_is_overdue(backup_dir, staff_client, settings):
    settings.REDIS_URL = ""
    now = datetime.now(UTC)
    write_manifest(backups.backup_storage(), now - timedelta(hours=3, seconds=30))
    detail = json.loads(staff_client.get(reverse("healthz")).content)["checks"]["backup"]
    assert detail["status"] == "ok"
    assert detail["age_hours"] == 3.0
    assert detail["max_age_hours"] == 26

    write_manifest(backups.backup_storage(), now - timedelta(hours=2, seconds=30))
    backups.forget_last_backup()
    settings.BACKUP_MAX_AGE_HOURS = 1
    response = staff_client.get(reverse("healthz"))
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["status"] == "ok"
    assert data["checks"]["backup"]["status"] == "overdue"
    assert data["checks"]["backup"]["age_hours"] == 2.0


# --- Schedule -------------------------------------------------------------------------------


def test_beat_runs_the_backup_daily_at_backup_at(settings, monkeypatch):
    entry = settings.CELERY_BEAT_SCHEDULE["backup"]
    assert entry["task"] == "wiits.tasks.backup"
    assert entry["schedule"].hour == {2} and entry["schedule"].minute == {30}
    made = []
    monkeypatch.setattr(backups, "create_backup", lambda: made.append(1) or backups.Backup("wiits-x", {}, 0))
    assert tasks.backup.apply().get() == "wiits-x"
    assert made == [1]


# --- Backup and restore on PostgreSQL --------------------------------------------------------


@pytest.fixture
def uploads():
    """A public and a private upload, in the test run's folders."""
    public = storages["default"].save("events/cover.jpg", ContentFile(b"public bytes"))
    private = storages["private"].save("technologies/images/x/photo.jpg", ContentFile(b"private bytes"))
    yield {"default": public, "private": private}
    storages["default"].delete(public)
    storages["private"].delete(private)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_writes_a_manifest_with_files_checksums_and_row_counts(backup_dir, uploads):
    UserFactory.create_batch(3)
    call_command("backup", stdout=(out := io.StringIO()))
    assert "finished" in out.getvalue()
    storage = backups.backup_storage()
    manifest = backups.read_manifest()
    identifier = manifest["id"]
    assert manifest["format"] == 1
    assert manifest["portal"]["version"]
    assert manifest["database"]["connector"] == "dbbackup.db.postgresql.PgDumpBinaryConnector"
    assert manifest["database"]["tables"]["accounts_user"] == 3
    assert manifest["encrypted_to"] == ""
    assert [entry["name"] for entry in manifest["files"]] == [
        f"{identifier}.db.psql.bin",
        f"{identifier}.uploads-default.tar",
        f"{identifier}.uploads-private.tar",
    ]
    for entry in manifest["files"]:
        with storage.open(entry["name"], "rb") as handle:
            assert backups.sha256_of(handle) == (entry["size"], entry["sha256"])
    with storage.open(f"{identifier}.db.psql.bin", "rb") as handle:
        assert handle.read(5) == b"PGDMP"  # pg_dump's custom format
    assert manifest["uploads"]["default"]["files"][uploads["default"]]["size"] == len(b"public bytes")
    assert uploads["private"] in manifest["uploads"]["private"]["files"]
    assert backups.last_backup_at() == datetime.fromisoformat(manifest["finished_at"])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_refuses_a_database_that_is_not_empty_without_force(backup_dir, uploads):
    backups.create_backup()
    with pytest.raises(CommandError, match=r"Nothing was changed\. The database .* is not empty .* --force"):
        call_command("restore")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_with_force_brings_back_the_rows_and_files_of_the_backup(backup_dir, uploads):
    kept = UserFactory(email="kept@example.org")
    backup = backups.create_backup()
    identifier = backup.id
    UserFactory(email="after-the-backup@example.org")
    storages["private"].delete(uploads["private"])
    with storages["default"].open(uploads["default"], "wb") as handle:
        handle.write(b"changed since")
    # what a restore without --force into an empty database would refuse
    files = backup.manifest["uploads"]
    assert backups.storage_conflicts(storages["default"], files["default"]["files"]) == [uploads["default"]]
    assert backups.storage_conflicts(storages["private"], files["private"]["files"]) == []

    call_command("restore", identifier, "--i-know", stdout=io.StringIO())
    assert list(User.objects.values_list("email", flat=True)) == [kept.email]
    with storages["private"].open(uploads["private"], "rb") as handle:
        assert handle.read() == b"private bytes"
    with storages["default"].open(uploads["default"], "rb") as handle:
        assert handle.read() == b"public bytes"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_refuses_a_damaged_backup_before_changing_anything(backup_dir, uploads):
    manifest = backups.create_backup().manifest
    UserFactory(email="after-the-backup@example.org")
    dump = backup_dir / manifest["files"][0]["name"]
    dump.write_bytes(dump.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(CommandError, match=r"does not match the manifest .* damaged"):
        call_command("restore", "--force")
    assert User.objects.filter(email="after-the-backup@example.org").exists()


def test_restore_names_the_backups_there_are_when_asked_for_another(backup_dir):
    with pytest.raises(CommandError, match="No finished backup in"):
        call_command("restore")
    identifier = write_manifest(backups.backup_storage(), day("2026-12-05T02:30:00"))
    with pytest.raises(CommandError, match=f"No finished backup wiits-20200101-000000Z .* there are: {identifier}"):
        call_command("restore", "wiits-20200101-000000Z")


@pytest.fixture
def gpg_home(tmp_path, monkeypatch):
    """A keyring of this test's own with one key (no passphrase) to encrypt to."""
    if not shutil.which("gpg"):
        pytest.skip("needs gpg (apt-get install gnupg; .ci/run installs it)")
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("GNUPGHOME", str(home))
    generate = ["--batch", "--passphrase", "", "--quick-gen-key", "Backups <backups@wiits.example>", "future-default"]
    subprocess.run([shutil.which("gpg"), *generate, "default", "never"], check=True, capture_output=True)  # noqa: S603
    yield "backups@wiits.example"
    subprocess.run(["gpgconf", "--kill", "gpg-agent"], check=False, capture_output=True)  # noqa: S607


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_encrypted_backup_holds_no_readable_data_and_restores(backup_dir, uploads, gpg_home, settings):
    settings.BACKUP_GPG_RECIPIENT = gpg_home
    kept = UserFactory(email="kept@example.org")
    manifest = backups.create_backup().manifest
    assert manifest["encrypted_to"] == gpg_home
    assert all(entry["name"].endswith(".gpg") for entry in manifest["files"])
    for entry in manifest["files"]:
        content = (backup_dir / entry["name"]).read_bytes()
        assert b"PGDMP" not in content and b"private bytes" not in content and b"kept@example.org" not in content
    UserFactory(email="after-the-backup@example.org")
    backups.restore_backup(force=True)
    assert list(User.objects.values_list("email", flat=True)) == [kept.email]


# --- The drill's pieces ---------------------------------------------------------------------


def test_the_drill_wipes_every_upload_through_the_storage_api(uploads):
    storages["private"].save("technologies/brochures/y/a.pdf", ContentFile(b"%PDF"))
    assert drill.wipe_uploads() >= 3
    assert not list(backups.walk(storages["default"])) and not list(backups.walk(storages["private"]))


def test_walk_lists_nested_files_and_a_missing_folder_as_empty(tmp_path):
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=tmp_path / "s")
    assert list(backups.walk(storage)) == []
    for name in ("b.txt", "a/x.txt", "a/b/y.txt"):
        storage.save(name, ContentFile(b"."))
    assert list(backups.walk(storage)) == ["b.txt", "a/x.txt", "a/b/y.txt"]
