"""`make restore-drill`: prove that a backup restores (devtools/restoredrill/drill.py).

For each kind of storage (folders on this disk, and a bucket on an S3 server: the one in
WIITS_TEST_S3_ENDPOINT, as .ci/run starts it, or a moto_server of the run's own) a child
process with its own database (DATABASE_URL, and the same name + "_s3" for the bucket),
folders or buckets: the demo data and uploads, `backup`, the database dropped and
created and the uploads deleted, `restore`, then the checks. Prints what was checked, the
backup's files and sizes and the times; exits 1 at the first failure.
"""

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

FIGURES_MARK = "restore-drill-figures: "


class Command(BaseCommand):
    help = "Back up a demo portal, wipe it, restore it and check it (folders, and a bucket on an S3 server)."

    def add_arguments(self, parser):
        parser.add_argument("--storage", choices=["disk", "s3", "both"], default="both")
        parser.add_argument("--child", action="store_true", help=False)

    def handle(self, *args, storage="both", child=False, **options):
        if connection.vendor != "postgresql":
            raise CommandError("the drill dumps and restores PostgreSQL: set DATABASE_URL=postgres://...")
        if child:
            return self.child(storage)
        started = time.monotonic()
        kinds = ["disk", "s3"] if storage == "both" else [storage]
        run_dir = Path(tempfile.mkdtemp(prefix="wiits-restore-drill-"))
        moto = None
        results = []
        try:
            for kind in kinds:
                env = self.disk_env(run_dir) if kind == "disk" else None
                if kind == "s3":
                    from devtools.twomachines import machines

                    endpoint, moto = machines.s3_server(run_dir)
                    env = self.s3_env(endpoint, machines)
                self.stdout.write(self.style.MIGRATE_HEADING(f"Restore drill, uploads and backups on {kind}"))
                results.append(self.run_child(kind, env))
        finally:
            if moto:
                moto.stop()
            shutil.rmtree(run_dir, ignore_errors=True)
        self.summary(results, time.monotonic() - started)

    # --- The parent: one child per kind of storage ------------------------------------------

    @staticmethod
    def base_env() -> dict[str, str]:
        keep = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("S3_", "BACKUP_", "AWS_")) and key not in ("MEDIA_ROOT", "PRIVATE_MEDIA_ROOT")
        }
        # Production's settings module (tests.settings puts private files on a folder),
        # DEBUG for the demo loader, tasks in-process.
        keep.pop("REDIS_URL", None)
        return {
            **keep,
            "DJANGO_SETTINGS_MODULE": "wiits.settings",
            "DJANGO_DEBUG": "true",
            "WIITS_DEV_TOOLS": "true",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": os.environ["DATABASE_URL"],
        }

    def disk_env(self, run_dir: Path) -> dict[str, str]:
        return {
            **self.base_env(),
            "MEDIA_ROOT": str(run_dir / "media"),
            "PRIVATE_MEDIA_ROOT": str(run_dir / "private"),
            "BACKUP_DIR": str(run_dir / "backups"),
        }

    def s3_env(self, endpoint: str, machines) -> dict[str, str]:
        token = secrets.token_hex(3)
        uploads, kept = f"drill-uploads-{token}", f"drill-backups-{token}"
        client = machines.s3_client(endpoint)
        machines.bucket_create(client, uploads)
        client.create_bucket(Bucket=kept)
        return {
            **self.base_env(),
            "DATABASE_URL": os.environ["DATABASE_URL"] + "_s3",
            "S3_BUCKET": uploads,
            "S3_ENDPOINT_URL": endpoint,
            "S3_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "restore-drill",
            "AWS_SECRET_ACCESS_KEY": "restore-drill-secret",
            "BACKUP_S3_BUCKET": kept,
        }

    def run_child(self, kind: str, env: dict[str, str]) -> dict:
        process = subprocess.run(  # noqa: S603 (this command, again)
            [sys.executable, str(settings.BASE_DIR / "manage.py"), "restore_drill", "--child", "--storage", kind],
            env=env,
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
        figures = None
        for line in process.stdout.splitlines():
            if line.startswith(FIGURES_MARK):
                figures = json.loads(line[len(FIGURES_MARK) :])
            else:
                self.stdout.write(line)
        if process.returncode or figures is None:
            self.stderr.write(textwrap.indent(process.stderr[-4000:], "    "))
            self.stdout.write(self.style.ERROR(f"  FAIL  the drill on {kind} (exit {process.returncode})"))
            sys.exit(1)
        return figures

    def summary(self, results: list[dict], seconds: float) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING("Figures"))
        for figures in results:
            total = sum(entry["size"] for entry in figures["files"])
            self.stdout.write(
                f"  {figures['storage']}: {figures['tables']} tables, {figures['rows']} rows, "
                f"{figures['uploads']} uploads; backup {total / 1024:.0f} KiB in {figures['backup_seconds']:.1f} s, "
                f"restore in {figures['restore_seconds']:.1f} s"
            )
            for entry in figures["files"]:
                self.stdout.write(f"      {entry['name']:<48} {entry['size']:>10} bytes")
        self.stdout.write(self.style.SUCCESS(f"Restore drill passed in {seconds:.1f} s."))

    # --- The child: the drill itself, in this process's settings ----------------------------

    def child(self, kind: str) -> None:
        from django.test.utils import setup_test_environment

        from devtools.restoredrill import drill

        if (kind == "s3") != bool(settings.S3_BUCKET):
            raise CommandError(f"--storage {kind} but S3_BUCKET is {settings.S3_BUCKET!r}")
        setup_test_environment()  # the test client's host; emails stay in memory
        try:
            figures = drill.run(kind, report=lambda line: self.stdout.write(f"  {line}"))
        except AssertionError as error:
            self.stdout.write(self.style.ERROR(f"  FAIL  {error}"))
            sys.exit(1)
        for line in figures.checks:
            self.stdout.write(self.style.SUCCESS(f"  ok    {line}"))
        self.stdout.write(FIGURES_MARK + figures.as_json())
