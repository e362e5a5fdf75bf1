"""The steps of `make restore-drill` (devtools/management/commands/restore_drill.py): a
portal with the demo data and uploads is backed up, wiped (database dropped and created,
every upload deleted) and restored from the backup, then checked: each table's rows and
each upload's SHA-256 as the manifest says, a published listing's image served to a
visitor with the same bytes, a draft's image refused (404).

Runs in a process whose settings name the drill's own database and storages (the command
starts one per storage kind: folders, or a bucket).
"""

import io
import json
import time
import urllib.request
from dataclasses import dataclass, field

import psycopg2
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connection
from django.test import Client
from PIL import Image

from wiits import backups


@dataclass
class Figures:
    storage: str
    backup_id: str = ""
    files: list[dict] = field(default_factory=list)
    uploads: int = 0
    rows: int = 0
    tables: int = 0
    setup_seconds: float = 0.0
    backup_seconds: float = 0.0
    restore_seconds: float = 0.0
    checks: list[str] = field(default_factory=list)

    def as_json(self) -> str:
        return json.dumps(self.__dict__)


def recreate_database() -> str:
    """Drop the database of DATABASE_URL (whoever is connected) and create it empty."""
    settings = connection.settings_dict
    name = settings["NAME"]
    connection.close()
    maintenance = psycopg2.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        dbname="postgres",
    )
    try:
        maintenance.autocommit = True
        with maintenance.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        maintenance.close()
    return name


def wipe_uploads() -> int:
    """Delete every file of the upload storages (folders or the bucket); returns how many."""
    deleted = 0
    for alias in backups.UPLOAD_STORAGES:
        storage = storages[alias]
        for name in list(backups.walk(storage)):
            storage.delete(name)
            deleted += 1
        assert not list(backups.walk(storage)), f"{alias} still holds files after the wipe"
    return deleted


def jpeg(colour: tuple[int, int, int], size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def load_portal() -> dict:
    """Migrate, load the demo, and upload an image to a published listing, to a draft and
    an event's cover (the public storage). Returns the objects the checks ask for."""
    from events.models import Event
    from technologies.models import Technology, TechnologyImage, TechnologyStatus

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    published = Technology.objects.filter(status=TechnologyStatus.PUBLISHED).order_by("pk").first()
    draft = Technology.objects.filter(status=TechnologyStatus.DRAFT).order_by("pk").first()
    assert published and draft, "the demo has no published listing or no draft"
    images = {}
    for technology, colour in ((published, (30, 140, 90)), (draft, (200, 60, 40))):
        content = jpeg(colour)
        image = TechnologyImage.objects.create(
            technology=technology, image=ContentFile(content, name="drill.jpg"), alt_text="restore drill", order=99
        )
        images[technology.status] = (image, content)
    event = Event.objects.order_by("pk").first()
    event.cover_image.save("drill-cover.jpg", ContentFile(jpeg((20, 60, 160))), save=True)
    return {
        "published": images[TechnologyStatus.PUBLISHED],
        "draft": images[TechnologyStatus.DRAFT],
        "event": event,
    }


def served_bytes(response) -> bytes:
    """The body of an image answer: streamed from the disk, or behind the bucket's signed link."""
    if response.status_code == 302:
        with urllib.request.urlopen(response["Location"], timeout=20) as answer:  # noqa: S310 (the bucket's link)
            return answer.read()
    return b"".join(response.streaming_content) if response.streaming else response.content


def check_restored(manifest: dict, portal: dict) -> list[str]:
    """What the restored portal must show; raises AssertionError at the first difference."""
    said = []
    counts = backups.row_counts()
    expected = manifest["database"]["tables"]
    differ = {table: (rows, counts.get(table)) for table, rows in expected.items() if counts.get(table) != rows}
    assert not differ, f"row counts differ (manifest, restored): {differ}"
    said.append(f"row counts of {len(expected)} tables ({sum(expected.values())} rows) equal the manifest's")
    checked = 0
    for alias, content in manifest["uploads"].items():
        storage = storages[alias]
        present = set(backups.walk(storage))
        missing = set(content["files"]) - present
        assert not missing, f"{alias}: missing after the restore: {sorted(missing)[:5]}"
        for name, entry in content["files"].items():
            with storage.open(name, "rb") as handle:
                size, digest = backups.sha256_of(handle)
            assert (size, digest) == (entry["size"], entry["sha256"]), f"{alias}/{name} differs from the manifest"
            checked += 1
    said.append(f"SHA-256 of all {checked} uploads equal the manifest's")

    image, content = portal["published"]
    visitor = Client()
    response = visitor.get(image.get_absolute_url())
    assert response.status_code in (200, 302), f"the published image answered {response.status_code}"
    body = served_bytes(response)
    assert body == content, "the published listing's image is not the uploaded bytes"
    page = visitor.get(image.technology.get_absolute_url())
    assert page.status_code == 200, f"the published listing's page answered {page.status_code}"
    said.append(
        f"a visitor gets the published listing's page (200) and its image "
        f"({response.status_code}{', then the signed link' if response.status_code == 302 else ''}: "
        f"{len(body)} bytes, equal)"
    )
    draft_image, _content = portal["draft"]
    refused = visitor.get(draft_image.get_absolute_url())
    assert refused.status_code == 404, f"a draft's image answered {refused.status_code} to a visitor"
    said.append("a visitor asking for a draft's image gets 404")
    event = type(portal["event"]).objects.get(pk=portal["event"].pk)
    assert event.cover_image and event.cover_image.storage.exists(event.cover_image.name), "the event cover is gone"
    said.append(f"the event's cover {event.cover_image.name} is back in the public storage")
    return said


def run(storage_kind: str, report) -> Figures:
    figures = Figures(storage=storage_kind)
    started = time.monotonic()
    database = recreate_database()
    report(f"database {database} created; uploads in {', '.join(where() for where in _wheres())}")
    wipe_uploads()
    portal = load_portal()
    figures.setup_seconds = round(time.monotonic() - started, 1)
    report(f"demo data and uploads loaded in {figures.setup_seconds} s")

    backup = backups.create_backup(encrypt_to="", prune=False)
    figures.backup_id = backup.id
    figures.backup_seconds = backup.seconds
    figures.files = [{"name": entry["name"], "size": entry["size"]} for entry in backup.manifest["files"]]
    figures.uploads = sum(len(content["files"]) for content in backup.manifest["uploads"].values())
    figures.tables = len(backup.manifest["database"]["tables"])
    figures.rows = sum(backup.manifest["database"]["tables"].values())
    report(f"backed up as {backup.id} into {backups.describe_storage(backups.backup_storage())}")

    recreate_database()
    wiped = wipe_uploads()
    report(f"wiped: database {database} dropped and created empty, {wiped} uploads deleted")

    restored = backups.restore_backup(backup.id, report=lambda line: report(f"  {line}"))
    figures.restore_seconds = restored.seconds
    figures.checks = check_restored(backup.manifest, portal)
    return figures


def _wheres():
    return [
        lambda alias=alias: f"{alias}: {backups.describe_storage(storages[alias])}"
        for alias in backups.UPLOAD_STORAGES
    ]
