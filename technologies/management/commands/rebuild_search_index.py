"""Index every listing and need again, in batches, with a progress bar.

    manage.py rebuild_search_index

Run it after a change to the analysis (common/search.py, technologies/search.py); the
write paths keep the index current otherwise. PostgreSQL only: SQLite has no index.
"""

import time

from django.core.management.base import BaseCommand
from django.db import connection

from technologies import search
from technologies.models import Need, Technology


class Command(BaseCommand):
    help = "Index every technology and need again for search (PostgreSQL), in batches."

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("Search is indexed on PostgreSQL only; nothing to do on this database.")
            return
        for label, queryset, refresh in (
            ("technologies", Technology.objects.all(), search.refresh_technologies),
            ("needs", Need.objects.all(), search.refresh_needs),
        ):
            total = queryset.count()
            started = time.monotonic()
            written = refresh(queryset, progress=lambda done, total=total, label=label: self._bar(label, done, total))
            self.stderr.write("")
            self.stdout.write(f"{label}: {written} indexed in {time.monotonic() - started:.1f} s")

    def _bar(self, label: str, done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        self.stderr.write(f"\r{label:<13} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        self.stderr.flush()
