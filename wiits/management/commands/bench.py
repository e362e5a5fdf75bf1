"""The benchmark: catalogue and search on PostgreSQL with many listings, as ratios to a
trivial view measured in the same run on the same server.

It fills the database up to --listings published technologies (generate_technologies),
starts gunicorn on 127.0.0.1, sends --requests requests per page from --clients
concurrent clients, and prints the median and 95th percentile latency of each page and
its ratio to the trivial view (/healthz without a broker: two tiny queries). Only
127.0.0.1 is ever contacted.
"""

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from technologies.models import Technology

PAGES = [
    ("trivial view (/healthz)", "/healthz"),
    ("catalogue, first page", "/technologies/"),
    ("catalogue, page 200", "/technologies/?page=200"),
    ("catalogue, sector + TRL + country", "/technologies/?sector=renewable-energy&trl_min=6&country=KE"),
    ("catalogue, NAG only, sorted by TRL", "/technologies/?nag=on&sort=trl"),
    ("search, one word", "/technologies/?q=solar"),
    ("search, two words + filter", "/technologies/?q=solar+dryer&sector=agro-food-processing"),
    ("search, misspelled", "/technologies/?q=desalinaton"),
    ("a technology", None),  # filled in with a real slug
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (http://127.0.0.1 only)
        response.read()
        if response.status != 200:
            raise CommandError(f"{url} answered {response.status}")
    return time.perf_counter() - started


class Command(BaseCommand):
    help = "Benchmark the catalogue and search on PostgreSQL (ratios to a trivial view)."

    def add_arguments(self, parser):
        parser.add_argument("--listings", type=int, default=100_000)
        parser.add_argument("--requests", type=int, default=60)
        parser.add_argument("--clients", type=int, default=4)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")
        missing = options["listings"] - Technology.objects.published().count()
        if missing > 0:
            self.stdout.write(f"Generating {missing} listings...")
            call_command("generate_technologies", count=missing, seed=int(time.time()) % 100_000, stdout=self.stdout)
        # Fresh bulk inserts have no statistics or visibility map yet; autovacuum would
        # provide both on a live database, so give them before measuring.
        with connection.cursor() as cursor:
            for table in ["technologies_technology", "technologies_technology_sdgs",
                          "technologies_technology_cooperation", "technologies_technologyimage"]:  # fmt: skip
                cursor.execute(f"VACUUM ANALYZE {table}")
        connection.close()
        technology = Technology.objects.published().order_by("pk").first()
        pages = [(name, path or technology.get_absolute_url()) for name, path in PAGES]

        port = _free_port()
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "tests.settings")}
        env.pop("REDIS_URL", None)  # the trivial view must not wait on a broker
        server = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
            [sys.executable, "-m", "gunicorn", "wiits.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(options["workers"]), "--log-level", "warning"],
            cwd=Path(settings.BASE_DIR), env=env,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    _get(base + "/healthz")
                    break
                except OSError:
                    time.sleep(0.2)
            results = []
            for name, path in pages:
                for _ in range(5):  # warm up caches and connections
                    _get(base + path)
                with ThreadPoolExecutor(options["clients"]) as pool:
                    timings = sorted(pool.map(lambda _n, p=path: _get(base + p), range(options["requests"])))
                results.append((name, statistics.median(timings), timings[int(len(timings) * 0.95) - 1]))
        finally:
            server.terminate()
            server.wait(timeout=30)

        baseline = results[0][1]
        listings = Technology.objects.published().count()
        self.stdout.write(
            f"\n{listings} published listings; {options['requests']} requests per page from "
            f"{options['clients']} clients; gunicorn with {options['workers']} workers on 127.0.0.1\n"
        )
        self.stdout.write(f"{'page':<38} {'median ms':>10} {'p95 ms':>8} {'x trivial':>10}")
        for name, median, p95 in results:
            self.stdout.write(f"{name:<38} {median * 1000:>10.1f} {p95 * 1000:>8.1f} {median / baseline:>10.1f}")
