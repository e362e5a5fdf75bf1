"""The benchmark: the portal under gunicorn with production settings, loaded over
127.0.0.1 by real load tools, on PostgreSQL with 100 000 listings.

    make bench        # DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/wiits_bench

1. Fills the database up to --listings published technologies, --members members (of
   whom --advisers advisers) and --events events with registrations, then VACUUM ANALYZE.
2. Collects the static files and starts gunicorn (--workers sync workers) with
   DJANGO_DEBUG=false, WhiteNoise, a fresh secret key and the settings of
   `devtools.bench.settings` (the portal's, plus a trivial view, an unindexed contains-scan
   catalogue and a header with each request's SQL query count). Requests carry
   `X-Forwarded-Proto: https`, as behind the TLS proxy of a deployment. Tasks go to a
   Redis database of their own (REDIS_URL, db 15 by default), purged at the end; no
   worker runs, so no email is sent.
3. Per endpoint: the SQL queries of one request (from the header); throughput at
   saturation with wrk (--connections connections, --saturation seconds); latency at a
   fixed moderate rate with locust (--rate requests per second, --steady seconds). New
   searches are measured in English, Chinese, Arabic and Russian (LANGUAGE_SEARCHES).
4. In-process, once the server has stopped: the size of the search index per listing and
   the time of a save's search-vector refresh (--saves listings; devtools/bench/search_index.py).
5. Writes --output (docs/BENCHMARKS.md) with the figures, the ratios and whether each
   target is met, the search index, the machine and the settings; with --compare, a
   before/after table against an earlier run's JSON. The raw figures go to
   var/bench/<time>.json.

Only 127.0.0.1 is ever contacted.
"""

import csv
import importlib.metadata
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, quote_plus

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import User
from advisors.models import Adviser
from devtools.bench.search_index import save_cost, search_index_size
from devtools.management.commands.generate_technologies import LOADTEST_EMAIL
from events.models import Event, Registration
from technologies.models import Technology

BENCH_DIR = Path(__file__).resolve().parents[2] / "bench"
TABLES_TO_ANALYZE = [
    "technologies_technology",
    "technologies_technology_sdgs",
    "technologies_technology_cooperation",
    "technologies_technologyimage",
    "accounts_user",
    "accounts_user_sectors",
    "advisors_adviser",
    "events_event",
    "events_registration",
]
COMMON_WORD = "water"  # matches 27% of the generated listings (texts, or the sector "Water and wastewater")
RARE_WORD = "aerogel"  # 0.9% of them
# A new search in each of four languages: a common word, inflected as the texts inflect it
# (English: technicians; Arabic: المياه beside للمياه and مياه; Russian: воды, a genitive)
# or, in Chinese, written inside longer words (干燥 in 太阳能干燥机 and 干燥气候). Each is
# in 29-37% of the listings with a text in that language (devtools/bench/texts).
LANGUAGE_SEARCHES = [  # (endpoint key, language, word)
    ("search-en", "English", "technicians"),
    ("search-zh", "Chinese", "干燥"),
    ("search-ar", "Arabic", "المياه"),
    ("search-ru", "Russian", "воды"),
]
UNCACHED_LINES = 20_000
WRK = shutil.which("wrk") or "/usr/bin/wrk"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _percent(value: float) -> str:
    return f"{value:.0%}"


class Command(BaseCommand):
    help = "Benchmark the portal under gunicorn with production settings (PostgreSQL, wrk and locust)."

    def add_arguments(self, parser):
        parser.add_argument("--listings", type=int, default=100_000)
        parser.add_argument("--members", type=int, default=20_000)
        parser.add_argument("--advisers", type=int, default=1_000)
        parser.add_argument("--events", type=int, default=2_000)
        parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
        parser.add_argument("--connections", type=int, default=16, help="wrk connections at saturation")
        parser.add_argument("--saturation", type=int, default=10, help="seconds of saturation per endpoint")
        parser.add_argument("--rate", type=float, default=10.0, help="requests per second for the latency run")
        parser.add_argument("--steady", type=int, default=30, help="seconds of the fixed-rate run per endpoint")
        parser.add_argument("--users", type=int, default=4, help="locust users sharing the fixed rate")
        parser.add_argument("--saves", type=int, default=200, help="listings whose search vector a save refreshes")
        parser.add_argument("--only", default="", help="comma-separated endpoint keys (default: all)")
        parser.add_argument("--output", default="docs/BENCHMARKS.md")
        parser.add_argument("--compare", default="", help="an earlier run's JSON, for a before/after table")
        parser.add_argument("--label", default="", help="what this run measures, e.g. 'before the indexes'")
        parser.add_argument(
            "--report-from", default="", help="write --output from an earlier run's JSON; measure nothing"
        )
        parser.add_argument(
            "--growth-from", default="", help="a run's JSON on fewer listings (10 000), for the growth table"
        )
        parser.add_argument("--raw", default="", help="where to write the run's JSON (default var/bench/<time>.json)")

    def handle(self, *args, **options):
        if options["report_from"]:
            self._write_report(json.loads(Path(options["report_from"]).read_text()), options)
            return
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")
        for tool in ("wrk", "locust"):
            if not shutil.which(tool) and not (Path(sys.executable).parent / tool).exists():
                raise CommandError(f"{tool} is missing: `make bench` installs it (apt-get install wrk; pip locust).")
        self.options = options
        self._seed()
        secret_key = secrets.token_urlsafe(50)
        endpoints = self._endpoints(secret_key)
        if options["only"]:
            keys = set(options["only"].split(","))
            endpoints = [endpoint for endpoint in endpoints if endpoint["key"] in keys]
        connection.close()

        work = Path(tempfile.mkdtemp(prefix="wiits-bench-"))
        port = _free_port()
        origin = f"https://127.0.0.1:{port}"
        env = self._server_env(secret_key, work, port)
        self.stdout.write("Collecting static files...")
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
        )
        endpoints = [self._static_endpoint(work / "static") if e["key"] == "static" else e for e in endpoints]
        server = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
            [sys.executable, "-m", "gunicorn", "wiits.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(options["workers"]), "--log-level", "warning", "--backlog", "2048"],
            cwd=settings.BASE_DIR, env=env,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        results = []
        try:
            self._wait_for(base, origin)
            for endpoint in endpoints:
                self.stdout.write(f"  {endpoint['name']}...")
                results.append(self._measure(endpoint, base, origin, work))
                self.stdout.write(
                    f"    {results[-1]['rps']:.1f} req/s, p50 {results[-1]['p50']:.1f} ms, "
                    f"p95 {results[-1]['p95']:.1f} ms, p99 {results[-1]['p99']:.1f} ms, "
                    f"{results[-1]['errors']} errors, {results[-1]['queries']} queries"
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
            self._purge_tasks(env)
            shutil.rmtree(work, ignore_errors=True)

        # With the server stopped, so that nothing else runs: first the size, then the
        # saves (which leave the refreshed rows' old versions to the next VACUUM).
        self.stdout.write("  search index and the cost of a save...")
        search_index = {**search_index_size(), "saves": save_cost(options["saves"])}
        run = {
            "at": timezone.now().isoformat(timespec="seconds"),
            "label": options["label"],
            "commit": self._git("rev-parse", "--short", "HEAD"),
            "machine": self._machine(),
            "settings": self._settings_summary(options),
            "rate": options["rate"],
            "data": self._data_counts(),
            "languages": self._languages(),
            "search_index": search_index,
            "results": results,
        }
        raw = Path(settings.BASE_DIR) / (
            options["raw"] or Path("var") / "bench" / f"{datetime.now():%Y%m%d-%H%M%S}.json"
        )
        raw.parent.mkdir(parents=True, exist_ok=True)
        raw.write_text(json.dumps(run, indent=2))
        self._write_report(run, options)
        self.stdout.write(self.style.SUCCESS(f"Figures in {raw}."))

    def _write_report(self, run: dict, options: dict):
        before = json.loads(Path(options["compare"]).read_text()) if options["compare"] else None
        smaller = json.loads(Path(options["growth_from"]).read_text()) if options.get("growth_from") else None
        output = Path(settings.BASE_DIR) / options["output"]
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(render_report(run, before, smaller))
        self.stdout.write(self.style.SUCCESS(f"Report in {output}."))

    # --- Data -------------------------------------------------------------------------------

    def _seed(self):
        options = self.options
        seed = int(time.time()) % 100_000
        missing = options["listings"] - Technology.objects.published().count()
        if missing > 0:
            self.stdout.write(f"Generating {missing} listings...")
            call_command("generate_technologies", count=missing, seed=seed, stdout=self.stdout)
        members = User.objects.filter(email__endswith="@bench.wiits.example").count()
        if members < options["members"]:
            self.stdout.write("Generating members, advisers and events...")
            call_command(
                "generate_community",
                members=options["members"] - members,
                advisers=max(0, options["advisers"] - Adviser.objects.count()),
                events=max(0, options["events"] - Event.objects.count()),
                seed=seed,
                stdout=self.stdout,
            )
        # Fresh bulk inserts have no statistics or visibility map yet; autovacuum would
        # provide both on a live database, so give them before measuring.
        with connection.cursor() as cursor:
            for table in TABLES_TO_ANALYZE:
                cursor.execute(f"VACUUM ANALYZE {table}")

    def _endpoints(self, secret_key: str) -> list[dict]:
        """What to request, as lines of (method, path, cookie, body)."""
        technology = Technology.objects.published().order_by("-published_at").first()
        now = timezone.now()
        upcoming = list(
            Event.objects.published().filter(starts_at__gt=now, registration_mode="open", capacity__isnull=True)
        )
        event = max(upcoming, key=lambda e: e.registrations.count()) if upcoming else None
        if technology is None or event is None:
            raise CommandError("No published listing or upcoming open event to measure.")
        owner = User.objects.get(email=LOADTEST_EMAIL)
        owned = Technology.objects.filter(owner=owner).count()
        csrf = secrets.token_hex(16)  # an unmasked CSRF secret: 32 characters
        last_page = max(1, -(-Technology.objects.published().count() // 20))
        with override_settings(SECRET_KEY=secret_key):
            dashboard_cookie = f"sessionid={self._session(owner)}"
            registration_lines = self._registration_lines(upcoming, csrf)

        def get(path, cookie=""):
            return [("GET", path, cookie, "")]

        def uncached(path):
            """A different query string each time (an extra parameter the page ignores),
            so that no response comes from the fragment cache: what a new search costs."""
            joiner = "&" if "?" in path else "?"
            return [("GET", f"{path}{joiner}bench={n}", "", "") for n in range(UNCACHED_LINES)]

        def endpoint(key, name, lines):
            return {"key": key, "name": name, "lines": lines}

        catalogue, filtered = "/technologies/", "/technologies/?sector=renewable-energy&trl_min=6&country=KE"
        return [
            endpoint("trivial", "trivial view, full middleware", get("/bench/trivial")),
            endpoint("static", "static file (WhiteNoise)", []),  # filled in after collectstatic
            endpoint("catalogue", "catalogue, first page", get(catalogue)),
            endpoint("filtered", "catalogue, sector + TRL + country", get(filtered)),
            endpoint("catalogue-uncached", "catalogue, first page, uncached", uncached(catalogue)),
            endpoint("deep-uncached", f"catalogue, page {last_page}, uncached",
                     uncached(f"{catalogue}?page={last_page}")),
            endpoint("search-common", f"search, common word ({COMMON_WORD}), uncached",
                     uncached(f"{catalogue}?q={COMMON_WORD}")),
            endpoint("search-rare", f"search, rare word ({RARE_WORD}), uncached",
                     uncached(f"{catalogue}?q={RARE_WORD}")),
            *(endpoint(key, f"search, {language} ({word}), uncached", uncached(f"{catalogue}?q={quote_plus(word)}"))
              for key, language, word in LANGUAGE_SEARCHES),
            endpoint("contains-common", f"contains-scan, common word ({COMMON_WORD})",
                     uncached(f"/bench/contains/?q={COMMON_WORD}")),
            endpoint("contains-rare", f"contains-scan, rare word ({RARE_WORD})",
                     uncached(f"/bench/contains/?q={RARE_WORD}")),
            endpoint("technology", "a technology", get(technology.get_absolute_url())),
            endpoint("event", "an event", get(event.get_absolute_url())),
            endpoint("dashboard", f"dashboard, signed in (owner of {owned:,} listings)",
                     get("/dashboard/", dashboard_cookie)),
            endpoint("register", "event registration (POST, each a new one)", registration_lines),
        ]  # fmt: skip

    def _session(self, user: User) -> str:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return session.session_key

    def _registration_lines(self, events: list[Event], csrf: str, count: int = 6000) -> list[tuple]:
        """`count` registrations that do not exist yet: members in turn, each with a session."""
        members = list(
            User.objects.filter(email__endswith="@bench.wiits.example", is_active=True).order_by("pk")[:1500]
        )
        taken = set(Registration.objects.filter(user__in=members, event__in=events).values_list("user_id", "event_id"))
        sessions = {}
        lines = []
        for n in range(len(members) * len(events)):
            member, event = members[n % len(members)], events[(n // len(members) + n) % len(events)]
            if (member.pk, event.pk) in taken:
                continue
            taken.add((member.pk, event.pk))
            if member.pk not in sessions:
                sessions[member.pk] = self._session(member)
            cookie = f"sessionid={sessions[member.pk]}; csrftoken={csrf}"
            lines.append(("POST", f"{event.get_absolute_url()}register/", cookie, f"csrfmiddlewaretoken={csrf}"))
            if len(lines) == count:
                break
        return lines

    def _static_endpoint(self, static_root: Path) -> dict:
        manifest = json.loads((static_root / "staticfiles.json").read_text())
        path = "/static/" + quote(manifest["paths"]["css/site.css"])
        return {"key": "static", "name": "static file (site.css, WhiteNoise)", "lines": [("GET", path, "", "")]}

    # --- Server -----------------------------------------------------------------------------

    def _server_env(self, secret_key: str, work: Path, port: int) -> dict:
        redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "devtools.bench.settings",
            "DJANGO_DEBUG": "false",
            "WIITS_DEV_TOOLS": "false",  # as in production (the bench settings add only its URLs)
            "DJANGO_SECRET_KEY": secret_key,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": os.environ["DATABASE_URL"],
            "REDIS_URL": redis_url,
            "STATIC_ROOT": str(work / "static"),
            "MEDIA_ROOT": str(work / "media"),
            "SITE_URL": f"https://127.0.0.1:{port}",  # its port is the one a Host header may name
            "EMAIL_URL": "smtp://127.0.0.1:9",  # never used: no worker runs
        }
        return env

    def _wait_for(self, base: str, origin: str):
        for _ in range(150):
            try:
                self._one_request(base, ("GET", "/bench/trivial", "", ""), origin)
                return
            except OSError:
                time.sleep(0.2)
        raise CommandError(f"gunicorn did not answer at {base}")

    def _purge_tasks(self, env: dict):
        subprocess.run(
            [sys.executable, "-m", "celery", "-A", "wiits", "purge", "-f"],
            cwd=settings.BASE_DIR, env=env, capture_output=True, check=False,
        )  # fmt: skip

    # --- Measuring --------------------------------------------------------------------------

    def _measure(self, endpoint: dict, base: str, origin: str, work: Path) -> dict:
        options = self.options
        lines = endpoint["lines"]
        # The saturation run and the steady run each take their own share of the lines,
        # so that no registration is sent twice.
        saturation_file, steady_file = work / f"{endpoint['key']}-wrk.tsv", work / f"{endpoint['key']}-steady.tsv"
        half = max(1, len(lines) // 2)
        saturation_file.write_text("".join("\t".join(line) + "\n" for line in lines[:half]))
        steady_file.write_text("".join("\t".join(line) + "\n" for line in (lines[half:] or lines)))

        threads = 2
        wrk = subprocess.run(  # noqa: S603 (wrk from Debian, against 127.0.0.1)
            [WRK, "-t", str(threads), "-c", str(options["connections"]), "-d", f"{options['saturation']}s",
             "--timeout", "10s", "-s", str(BENCH_DIR / "wrk.lua"), base, "--", str(saturation_file), str(threads),
             origin],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        saturation = json.loads(wrk.stdout.strip().splitlines()[-1])
        # Counted once every worker is warm (connected to the database, templates loaded):
        # a worker's first request also counts the queries that open its connection.
        queries, status = self._one_request(base, lines[-1], origin)
        users = options["users"]
        locust_bin = shutil.which("locust") or str(Path(sys.executable).parent / "locust")
        prefix = work / endpoint["key"]
        subprocess.run(  # noqa: S603 (locust from PyPI, against 127.0.0.1)
            [locust_bin, "-f", str(BENCH_DIR / "locustfile.py"), "--headless", "--only-summary", "-u", str(users),
             "-r", str(users), "-t", f"{options['steady']}s", "--host", base, "--csv", str(prefix),
             "--loglevel", "WARNING", "--stop-timeout", "10"],
            env={**os.environ, "BENCH_REQUESTS": str(steady_file), "BENCH_RATE": str(options["rate"]),
                 "BENCH_USERS": str(users), "BENCH_ORIGIN": origin},
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
            row = next(r for r in csv.DictReader(stats) if r["Name"] == "Aggregated")
        saturation_errors = sum(saturation[k] for k in ("non_2xx_3xx", "connect", "read", "write", "timeout"))
        return {
            "key": endpoint["key"],
            "name": endpoint["name"],
            "path": lines[0][1],
            "status": status,
            "queries": queries,
            "rps": saturation["requests"] / saturation["seconds"],
            "saturation_requests": saturation["requests"],
            "saturation_errors": saturation_errors,
            "saturation_p50": saturation["p50_ms"],
            "steady_requests": int(row["Request Count"]),
            "steady_rps": float(row["Requests/s"]),
            "steady_errors": int(row["Failure Count"]),
            "p50": float(row["50%"]),
            "p95": float(row["95%"]),
            "p99": float(row["99%"]),
            "errors": saturation_errors + int(row["Failure Count"]),
        }

    def _one_request(self, base: str, line: tuple, origin: str) -> tuple[int, int]:
        """The SQL query count of one request (the server's header) and its status."""
        method, path, cookie, body = line
        request = urllib.request.Request(  # noqa: S310 (http://127.0.0.1 only)
            base + path, method=method, data=body.encode() if method == "POST" else None
        )
        request.add_header("X-Forwarded-Proto", "https")
        if cookie:
            request.add_header("Cookie", cookie)
        if method == "POST":
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
            request.add_header("Origin", origin)

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=60) as response:
                response.read()
                return int(response.headers["X-Bench-Queries"]), response.status
        except urllib.error.HTTPError as error:
            if error.code >= 400:
                raise CommandError(f"{method} {path} answered {error.code}") from error
            return int(error.headers["X-Bench-Queries"]), error.code

    # --- Describing the run -----------------------------------------------------------------

    def _git(self, *args) -> str:
        git = shutil.which("git") or "/usr/bin/git"
        result = subprocess.run([git, *args], cwd=settings.BASE_DIR, capture_output=True, text=True, check=False)  # noqa: S603
        return result.stdout.strip()

    def _machine(self) -> dict:
        cpu = ""
        cpuinfo = Path("/proc/cpuinfo")
        if cpuinfo.exists():
            match = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
            cpu = match.group(1).strip() if match else ""
        memory = ""
        meminfo = Path("/proc/meminfo")
        if meminfo.exists():
            match = re.search(r"MemTotal:\s*(\d+) kB", meminfo.read_text())
            memory = f"{int(match.group(1)) / 1024 / 1024:.0f} GiB" if match else ""
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            postgres = cursor.fetchone()[0]
        wrk_version = subprocess.run([WRK, "--version"], capture_output=True, text=True, check=False)  # noqa: S603
        import django

        return {
            "cpu": cpu,
            "cores": os.cpu_count(),
            "memory": memory,
            "os": platform.platform(),
            "python": platform.python_version(),
            "django": django.get_version(),
            "postgresql": postgres,
            "wrk": (wrk_version.stdout or wrk_version.stderr).split("\n")[0].strip(),
            "locust": importlib.metadata.version("locust"),  # importing it would monkey-patch
        }

    def _settings_summary(self, options) -> dict:
        return {
            "server": f"gunicorn, {options['workers']} sync workers, 127.0.0.1",
            "django": "DJANGO_DEBUG=false, WhiteNoise (compressed manifest), database sessions, "
            "X-Forwarded-Proto: https as behind a TLS proxy",
            "saturation": f"wrk, 2 threads, {options['connections']} connections, {options['saturation']} s",
            "steady": f"locust, {options['users']} users, {options['rate']:g} requests/s in all, "
            f"{options['steady']} s",
        }

    def _languages(self) -> dict:
        """How many listings are written in each language, and how many carry translations."""
        from django.db.models import Count, Q

        from common.translated import i18n_field_name

        published = Technology.objects.published()
        written = dict(
            published.values_list("original_language").annotate(n=Count("pk")).order_by("-n", "original_language")
        )
        translated = Q()
        for code, _name in settings.LANGUAGES:
            translated |= Q(**{f"{i18n_field_name('title', code)}__gt": ""})
        return {"written in": written, "with translations": published.filter(translated).count()}

    def _data_counts(self) -> dict:
        return {
            "published technologies": Technology.objects.published().count(),
            "members": User.objects.count(),
            "advisers": Adviser.objects.count(),
            "events": Event.objects.count(),
            "registrations": Registration.objects.count(),
        }


def render_report(run: dict, before: dict | None, smaller: dict | None = None) -> str:
    """docs/BENCHMARKS.md from one run (and an earlier one to compare with)."""
    machine, conf = run["machine"], run["settings"]
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (devtools/management/commands/bench.py); every figure below was "
        "measured in one run, on the machine named here. Re-run it to refresh this page.",
        "",
        f"Run of {run['at']} on commit `{run['commit']}`" + (f" ({run['label']})" if run["label"] else "") + ".",
        "",
        "## Machine and settings",
        "",
        f"- Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory']}; {machine['os']}",
        f"- Python {machine['python']}, Django {machine['django']}, PostgreSQL {machine['postgresql']} "
        "(Debian's defaults: shared_buffers 128 MB), on the same machine",
        f"- Server: {conf['server']}; {conf['django']}",
        f"- Throughput at saturation: {conf['saturation']} ({machine['wrk']})",
        f"- Latency at a fixed moderate rate: {conf['steady']} (locust {machine['locust']})",
        "- The load tools run on the same 2 cores as the server, so they take a share of them.",
        "- Data: " + ", ".join(f"{count:,} {name}" for name, count in run["data"].items()),
        *_languages_line(run.get("languages")),
        "",
        "## Per endpoint",
        "",
        "| endpoint | req/s at saturation | p50 ms | p95 ms | p99 ms | errors | SQL queries |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for result in run["results"]:
        lines.append(
            f"| {result['name']} | {result['rps']:.1f} | {result['p50']:.0f} | {result['p95']:.0f} "
            f"| {result['p99']:.0f} | {result['errors']} | {result['queries']} |"
        )
    lines += [
        "",
        "Latency percentiles are locust's (rounded to two significant figures above 100 ms), measured "
        "by a Python client on the same two cores: the trivial view's p50 shows what the client and the "
        "loopback add. Where an endpoint saturates below the fixed rate, the latency run queues too and "
        "its percentiles are those of an overloaded server. Errors count both runs: HTTP statuses of 400 "
        "and above, time-outs and connection errors. A registration answers with a redirect (302) to the "
        "event. SQL queries are counted by the server (a header added by `devtools.bench.middleware`) on a "
        'warm worker. "Uncached" rows add a parameter the page ignores to every request, so that no '
        "response comes from the fragment cache (common/fragments.py): what a new search costs; the other "
        "catalogue rows repeat one URL, as popular pages are repeated.",
        "",
        "## Ratios (same run)",
        "",
        "| ratio | value | target | met? |",
        "|---|---:|---|---|",
    ]
    ratios = ratio_rows(run)
    lines += [f"| {label} | {value} | {target} | {verdict} |" for label, value, target, verdict in ratios]
    note = (
        "A target is met or missed by the unrounded figures (a value is shown with one more decimal where "
        "rounding would hide a miss)."
    )
    if any(label == SEARCH_RATIO for label, *_rest in ratios):
        *first, last = [language for _key, language, _word in LANGUAGE_SEARCHES]
        note += f' The row "{SEARCH_RATIO}" takes the slowest of the searches in {", ".join(first)} and {last}.'
    lines += ["", note]
    lines += _search_index_lines(run.get("search_index"))
    if before:
        before_by_key = {result["key"]: result for result in before["results"]}
        lines += [
            "",
            "## Before and after",
            "",
            f"Before: run of {before['at']} on commit `{before['commit']}`"
            + (f" ({before['label']})" if before.get("label") else "")
            + ", same machine and settings.",
            "",
            "| endpoint | req/s before | req/s after | p95 ms before | p95 ms after | queries before "
            "| queries after |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for result in run["results"]:
            old = before_by_key.get(result["key"])
            if old:
                lines.append(
                    f"| {result['name']} | {old['rps']:.1f} | {result['rps']:.1f} | {old['p95']:.0f} "
                    f"| {result['p95']:.0f} | {old['queries']} | {result['queries']} |"
                )
    lines += growth_lines(run, smaller)
    lines += ["", (BENCH_DIR / "findings.md").read_text().strip()]
    return "\n".join(lines) + "\n"


# Pages that list or show one thing: their time may grow by this much from 10 000 listings
# to 100 000 (issue 15). Searches and the owner-of-everything dashboard are reported too.
GROWTH_LIMIT = 1.3
GROWTH_KEYS = ("catalogue", "filtered", "catalogue-uncached", "deep-uncached", "technology", "event", "register")


def growth_lines(run: dict, smaller: dict | None) -> list[str]:
    """Per endpoint, the time of a request with this run's listings over its time with
    `smaller`'s: the inverse ratio of the throughputs at saturation, and of the p50s at the
    fixed rate."""
    if not smaller:
        return []
    small_by_key = {result["key"]: result for result in smaller["results"]}
    big, small = run["data"]["published technologies"], smaller["data"]["published technologies"]
    lines = [
        "",
        f"## Growth: {small:,} to {big:,} listings",
        "",
        f"The same endpoints on a database of {small:,} listings (run of {smaller['at']}, commit "
        f"`{smaller['commit']}`), otherwise the same data and settings. Time ratio: the time of a request on "
        f"{big:,} listings over its time on {small:,}, from the throughput at saturation (the p50 at the fixed "
        f"rate beside it). Goal: at most {GROWTH_LIMIT:g} for every page that lists or shows one thing.",
        "",
        f"| endpoint | req/s, {small:,} | req/s, {big:,} | time ratio | p50 ratio | goal |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for result in run["results"]:
        old = small_by_key.get(result["key"])
        if not old or not result["rps"]:
            continue
        ratio = old["rps"] / result["rps"]
        p50 = result["p50"] / old["p50"] if old["p50"] else 0.0
        goal = ("met" if ratio <= GROWTH_LIMIT else "missed") if result["key"] in GROWTH_KEYS else ""
        lines.append(
            f"| {result['name']} | {old['rps']:.1f} | {result['rps']:.1f} | {ratio:.2f} | {p50:.2f} | {goal} |"
        )
    return lines


# --- Targets ------------------------------------------------------------------------------

SEARCH_KEYS = tuple(key for key, _language, _word in LANGUAGE_SEARCHES)
SEARCH_RATIO = "search uncached / trivial view, throughput"


def _ratios(rate: float) -> list[tuple]:
    """(label, top, bottom, field, target): top / bottom of `field`, or top alone (bottom
    None); top may name several endpoints, of which the worst counts. A target is
    (comparison, threshold) or None."""
    at_least_quarter = ("at least", 0.25)
    ratios = [
        ("catalogue / trivial view, throughput", "catalogue", "trivial", "rps", at_least_quarter),
        ("catalogue uncached / trivial view, throughput", "catalogue-uncached", "trivial", "rps", None),
        (SEARCH_RATIO, SEARCH_KEYS, "trivial", "rps", at_least_quarter),
        ("search for a common word / catalogue (both uncached), throughput", "search-common", "catalogue-uncached",
         "rps", None),
        (f"search / contains-scan, common word ({COMMON_WORD}), throughput", "search-common", "contains-common", "rps",
         None),
        (f"search / contains-scan, rare word ({RARE_WORD}), throughput", "search-rare", "contains-rare", "rps", None),
        ("deep page / first page (both uncached), throughput", "deep-uncached", "catalogue-uncached", "rps", None),
        ("search p95 at the moderate rate, common word", "search-common", None, "p95", ("under", 100.0)),
        ("search p95 at the moderate rate, rare word", "search-rare", None, "p95", ("under", 100.0)),
    ]  # fmt: skip
    ratios += [
        (f"search p95 at {rate:g} requests a second ({language})", key, None, "p95", ("at most", 50.0))
        for key, language, _word in LANGUAGE_SEARCHES
    ]
    # Issue 15: every page fast on the slow path, against the framework's ceiling.
    ratios += [
        ("catalogue uncached / trivial view, throughput (issue 15)", "catalogue-uncached", "trivial", "rps",
         ("at least", 0.20)),
        ("a technology / trivial view, throughput", "technology", "trivial", "rps", ("at least", 0.30)),
        ("an event / trivial view, throughput", "event", "trivial", "rps", ("at least", 0.30)),
        ("dashboard signed in / trivial view, throughput", "dashboard", "trivial", "rps", ("at least", 0.15)),
        (f"event registration p95 at {rate:g} requests a second", "register", None, "p95", ("at most", 60.0)),
    ]  # fmt: skip
    return ratios


def target_met(value: float, target: tuple[str, float]) -> bool:
    comparison, threshold = target
    if comparison == "at least":
        return value >= threshold
    if comparison == "at most":
        return value <= threshold
    if comparison == "under":
        return value < threshold
    raise ValueError(f"Unknown comparison: {comparison}")


def _describe_target(target: tuple[str, float], field: str) -> str:
    comparison, threshold = target
    return f"{comparison} {threshold:.0%}" if field == "rps" else f"{comparison} {threshold:g} ms"


def _show(value: float, field: str, target: tuple[str, float] | None) -> str:
    """`value` as the table shows it: with one more decimal if rounding would hide a miss."""
    for decimals in (0, 1, 2):
        shown = f"{value:.{decimals}%}" if field == "rps" else f"{value:.{decimals}f} ms"
        rounded = round(value, decimals + 2) if field == "rps" else round(value, decimals)
        if target is None or target_met(rounded, target) == target_met(value, target):
            return shown
    return shown


def ratio_rows(run: dict) -> list[tuple[str, str, str, str]]:
    """(label, value, target, "met" / "missed" / "") of each ratio the run's figures allow."""
    by_key = {result["key"]: result for result in run["results"]}
    rows = []
    for label, top, bottom, field, target in _ratios(run.get("rate", 10.0)):
        tops = [by_key[key][field] for key in ((top,) if isinstance(top, str) else top) if key in by_key]
        if not tops or (bottom and bottom not in by_key):
            continue
        worst = min(tops) if field == "rps" else max(tops)
        value = worst / by_key[bottom][field] if bottom else worst
        rows.append(
            (
                label,
                _show(value, field, target),
                _describe_target(target, field) if target else "",
                ("met" if target_met(value, target) else "missed") if target else "",
            )
        )
    return rows


def _languages_line(languages: dict | None) -> list[str]:
    if not languages:
        return []
    written = languages["written in"]
    total = sum(written.values()) or 1
    shares = ", ".join(f"{count / total:.0%} {code}" for code, count in written.items())
    return [
        f"- Languages of the listings: written in {shares}; "
        f"{languages['with translations'] / total:.0%} carry translations into one or two other languages"
    ]


def _search_index_lines(index: dict | None) -> list[str]:
    """The "Search index" section: the index's size per listing and the cost of a save."""
    if not index:
        return []
    listings = max(1, index["listings"])
    index_bytes = sum(found["bytes"] for found in index["indexes"])
    names = ", ".join(f"`{found['name']}`" for found in index["indexes"]) or "none found"
    saves = index["saves"]
    return [
        "",
        "## Search index",
        "",
        f"Measured in-process after the requests, on the same database ({index['listings']:,} listings). The "
        "indexes are those of `technologies_technology` whose definition names `search_vector` (from "
        "`pg_indexes`). A save of a listing refreshes its search vector: the time of "
        "`technologies_update_search_vector(queryset=Technology.objects.filter(pk=pk))`, each its own "
        f"committed UPDATE, for {saves['count']} listings spread over the table.",
        "",
        "| figure | value |",
        "|---|---:|",
        f"| search index ({names}) | {index_bytes / 2**20:,.1f} MiB |",
        f"| search index per listing | {index_bytes / listings:,.0f} bytes |",
        f"| stored search vector per listing (average `pg_column_size`) | {index['vector_bytes_avg']:,.0f} bytes |",
        f"| index and vector per listing | {index_bytes / listings + index['vector_bytes_avg']:,.0f} bytes |",
        f"| save: search-vector refresh, mean | {saves['mean_ms']:.1f} ms |",
        f"| save: search-vector refresh, p95 | {saves['p95_ms']:.1f} ms |",
    ]
