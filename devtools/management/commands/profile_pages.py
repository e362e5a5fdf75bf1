"""Profile the benchmark's endpoints in-process (devtools/bench/profile.py).

    DJANGO_SETTINGS_MODULE=devtools.bench.settings DJANGO_DEBUG=false \\
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/wiits_bench \\
      .venv/bin/python manage.py profile_pages --only catalogue-uncached,technology

Run it on the database that `make bench` filled, after collectstatic (the manifest storage
of DJANGO_DEBUG=false needs it). The top costs go to --output (Markdown) and each call
tree to var/profiles/<endpoint>.txt.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from devtools.bench.profile import profile_endpoint, render_profiles
from devtools.management.commands.bench import Command as Bench

DEFAULT_ENDPOINTS = "catalogue-uncached,deep-uncached,search-en,search-zh,technology,event,dashboard,register"


class Command(BaseCommand):
    help = "Profile the benchmark's endpoints in-process with pyinstrument; write their top costs."

    def add_arguments(self, parser):
        parser.add_argument("--only", default=DEFAULT_ENDPOINTS, help="comma-separated endpoint keys of `bench`")
        parser.add_argument("--repeat", type=int, default=100, help="requests per endpoint")
        parser.add_argument("--output", default="var/profiles/profiles.md")
        parser.add_argument("--label", default="", help="what this run profiles, e.g. 'before'")

    def handle(self, *args, only, repeat, output, label, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Profile on the benchmark's PostgreSQL database: set DATABASE_URL=postgres://...")
        keys = only.split(",")
        endpoints = {endpoint["key"]: endpoint for endpoint in Bench()._endpoints(settings.SECRET_KEY)}
        unknown = [key for key in keys if key not in endpoints]
        if unknown:
            raise CommandError(f"Unknown endpoints: {', '.join(unknown)} (known: {', '.join(endpoints)})")
        trees = Path(settings.BASE_DIR) / "var" / "profiles"
        trees.mkdir(parents=True, exist_ok=True)
        profiles = []
        for key in keys:
            self.stdout.write(f"  {endpoints[key]['name']}...")
            profile = profile_endpoint(endpoints[key], repeat=repeat)
            (trees / f"{key}.txt").write_text(profile.tree)
            self.stdout.write(
                f"    {profile.mean_ms:.1f} ms (processor {profile.cpu_ms:.1f} ms), SQL {profile.sql_ms:.1f} ms, "
                f"status {profile.status}"
            )
            profiles.append(profile)
        commit = Bench()._git("rev-parse", "--short", "HEAD")
        heading = f"## Profiles of {timezone.now():%Y-%m-%d %H:%M} on commit `{commit}`" + (
            f" ({label})" if label else ""
        )
        path = Path(settings.BASE_DIR) / output
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_profiles(profiles, heading=heading))
        self.stdout.write(self.style.SUCCESS(f"Top costs in {path}; call trees in {trees}/."))
