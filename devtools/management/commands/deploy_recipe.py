"""`make deploy-recipe`: the deployment recipe of deploy/ run on this machine and checked
over HTTPS.

The shipped files, changed only as devtools/deploycheck/recipe.py documents (ports, the
/srv/wiits paths, the certificate, the env file's secrets and services): nginx with
deploy/nginx/wiits.conf (its own prefix, pid, logs and temporary folders, on free ports of
127.0.0.1, a self-signed certificate made for the run; `nginx -t` first), in front of
gunicorn started with wiits-web.service's ExecStart and the environment of
deploy/env.example (production settings, a collectstatic'd STATIC_ROOT, the database in
DATABASE_URL, migrated here), and Celery's worker and beat with their units' ExecStart.
The units go through `systemd-analyze verify` where it exists. The checks
(devtools/deploycheck/checks.py): the redirect to HTTPS, other host names refused, static
and public files served by nginx with their cache headers, compression, /healthz, each
client's own address reaching the rate limits, and the upload limits (the largest form
passes, a byte over gets the portal's message, an absurd body nginx's 413). Exits 1 if any
fails; the run's folder (logs, rendered configuration) is kept then.
"""

import logging
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from devtools.checklist import NOT_PASSED_ON, run_checks
from devtools.faults.stack import free_port, port_open
from devtools.twomachines.machines import Process

API_RATE = 5  # per minute, per address: the check's API_RATE_ANONYMOUS


class Command(BaseCommand):
    help = "The deployment recipe of deploy/ (nginx, the systemd units' commands, the env file) run and checked."

    def add_arguments(self, parser):
        parser.add_argument("--keep", action="store_true", help="keep the run's folder (configuration, logs)")

    def handle(self, *args, keep: bool = False, **options):
        from devtools.deploycheck import checks, recipe

        nginx = shutil.which("nginx") or next(
            (path for path in ("/usr/sbin/nginx", "/usr/local/nginx/sbin/nginx") if os.access(path, os.X_OK)), None
        )
        if not nginx:
            raise CommandError("nginx is not installed: apt-get install --no-install-recommends nginx")
        if not shutil.which("openssl"):
            raise CommandError("openssl is not installed (the run's certificate): apt-get install openssl")
        if connection.vendor != "postgresql":
            raise CommandError("the recipe runs on PostgreSQL: set DATABASE_URL=postgres://...")
        redis_url = os.environ.get("REDIS_URL", "")
        if not redis_url:
            raise CommandError("the recipe's worker and beat need Redis: set REDIS_URL=redis://127.0.0.1:6379/N")
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        migrated = time.monotonic() - started

        run_dir = Path(tempfile.mkdtemp(prefix="wiits-deploy-recipe-"))
        run_dir.chmod(0o755)  # nginx's workers (nobody, when run as root) read STATIC_ROOT and write temp/
        places = recipe.Places(run_dir)
        for folder in (places.var / "media", places.var / "private", run_dir / "nginx" / "temp"):
            folder.mkdir(parents=True)
        ports = {name: free_port() for name in ("http", "https", "gunicorn")}
        monitoring = f"127.{secrets.randbelow(254) + 1}.{secrets.randbelow(254) + 1}.1"
        processes: dict[str, Process] = {}
        failed = True
        try:
            certificate, key = self.certificate(run_dir)
            env = self.environment(places, ports["https"], redis_url, monitoring)
            collected = self.collectstatic(places, env, run_dir)
            tested = self.nginx_test(nginx, places, ports, certificate, key, run_dir)
            verified = self.units(places, run_dir)

            web_env = {**env, **self.unit_environment(recipe.UNITS["web"])}
            processes["gunicorn"] = Process(
                "gunicorn", recipe.web_argv(places, ports["gunicorn"]), web_env, places.code, run_dir / "gunicorn.log"
            )
            processes["worker"] = Process(
                "worker", recipe.worker_argv(places), env, places.code, run_dir / "worker.log"
            )
            processes["beat"] = Process("beat", recipe.beat_argv(places), env, places.code, run_dir / "beat.log")
            processes["nginx"] = Process(
                "nginx",
                [
                    nginx,
                    "-p",
                    str(run_dir / "nginx"),
                    "-e",
                    str(run_dir / "nginx" / "error.log"),
                    "-c",
                    str(run_dir / "nginx" / "nginx.conf"),
                    "-g",
                    "daemon off;",
                ],
                env,
                run_dir,
                run_dir / "nginx.log",
            )
            for process in processes.values():
                process.start()
            self.wait_ready(processes, ports, run_dir)
            self.stdout.write(
                f"The deployment recipe (deploy/) on https://{recipe.HOST}:{ports['https']} (127.0.0.1), "
                f"plain HTTP on :{ports['http']}"
            )
            self.stdout.write(f"  nginx -t: {tested}")
            self.stdout.write(f"  units: {verified}")
            self.stdout.write(
                f"  gunicorn :{ports['gunicorn']} with wiits-web.service's ExecStart "
                f"(WEB_CONCURRENCY={web_env.get('WEB_CONCURRENCY', '?')}), worker and beat with theirs; "
                f"env from deploy/env.example; PostgreSQL {connection.settings_dict['NAME']}, Redis {redis_url}"
            )
            self.stdout.write(f"  collectstatic: {collected}; in {run_dir}")
            self.stdout.write(
                f"  ready after {time.monotonic() - started:.1f} s (migrate {migrated:.1f} s, collectstatic, "
                "nginx -t, systemd-analyze, starts)\n"
            )
            run = checks.Run(
                http_port=ports["http"],
                https_port=ports["https"],
                gunicorn_port=ports["gunicorn"],
                cafile=certificate,
                static_root=places.static_root,
                media_root=places.var / "media",
                private_root=places.var / "private",
                monitoring=monitoring,
                api_rate=API_RATE,
                logs={name: process.log for name, process in processes.items()},
                token=secrets.token_hex(3),
            )
            # This process creates the run's members; its emails' tasks (none expected) run quietly.
            logging.getLogger("celery").setLevel(logging.WARNING)
            failed = run_checks(self, checks.CHECKS, run, started)
        except recipe.RecipeError as error:
            raise CommandError(f"the shipped recipe changed: {error}") from error
        finally:
            for name in ("nginx", "gunicorn", "beat", "worker"):
                if name in processes:
                    processes[name].stop()
            if failed or keep:
                self.stdout.write(f"The run's folder (configuration, logs) is kept: {run_dir}")
            else:
                shutil.rmtree(run_dir, ignore_errors=True)
        if failed:
            for process in processes.values():
                self.stderr.write(f"--- the end of {process.name}'s log\n{process.tail()}")
            sys.exit(1)

    # --- the parts ---------------------------------------------------------------------------

    @staticmethod
    def certificate(run_dir: Path) -> tuple[Path, Path]:
        """A self-signed certificate for the site's name, which the check's browser trusts."""
        from devtools.deploycheck.recipe import HOST

        certificate, key = run_dir / "tls" / "fullchain.pem", run_dir / "tls" / "privkey.pem"
        certificate.parent.mkdir()
        subprocess.run(  # noqa: S603
            [  # noqa: S607 (openssl from PATH, as an operator runs it)
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                f"/CN={HOST}",
                "-addext",
                f"subjectAltName=DNS:{HOST}",
                "-keyout",
                str(key),
                "-out",
                str(certificate),
            ],
            check=True,
            capture_output=True,
        )
        return certificate, key

    @staticmethod
    def environment(places, https_port: int, redis_url: str, monitoring: str) -> dict[str, str]:
        """deploy/env.example as systemd would pass it, with the run's secrets, services,
        address and folders in place of the placeholders; and the check's two settings."""
        from devtools.deploycheck.recipe import HOST, env_file

        base = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "WIITS_", "S3_", "AWS_", "ALLAUTH_", "API_", "GUNICORN_", "WEB_"))
            and key not in NOT_PASSED_ON
        }
        shipped = env_file()
        site = f"https://{HOST}:{https_port}"
        run = {
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_CSRF_TRUSTED_ORIGINS": site,
            "SITE_URL": site,
            "DATABASE_URL": os.environ["DATABASE_URL"],
            "REDIS_URL": redis_url,
            "EMAIL_URL": "dummymail://",
        }
        missing = sorted(set(run) - set(shipped))
        if missing:
            raise CommandError(f"deploy/env.example no longer sets {', '.join(missing)}")
        env = {**base, **{key: places.localise(value) for key, value in shipped.items()}, **run}
        return {
            **env,
            "DJANGO_SETTINGS_MODULE": "wiits.settings",
            "WIITS_DEV_TOOLS": "false",
            # The check's own: a low API limit to reach, and the address that may read /healthz's details.
            "API_RATE_ANONYMOUS": f"{API_RATE}/min",
            "WIITS_MONITORING_ADDRESSES": monitoring,
        }

    @staticmethod
    def unit_environment(path: Path) -> dict[str, str]:
        """The unit's own Environment= lines (the env file, read later, may override them)."""
        from devtools.deploycheck.recipe import unit

        values = {}
        for line in path.read_text().splitlines():
            if line.startswith("Environment="):
                key, _sep, value = line.removeprefix("Environment=").partition("=")
                values[key] = value
        unit(path)  # parses
        return values

    def collectstatic(self, places, env: dict, run_dir: Path) -> str:
        log = run_dir / "collectstatic.log"
        with log.open("wb") as handle:
            done = subprocess.run(  # noqa: S603
                [str(places.venv_bin / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
                env=env,
                cwd=places.code,
                stdout=handle,
                stderr=subprocess.STDOUT,
                timeout=600,
            )
        if done.returncode:
            raise CommandError(f"collectstatic failed: {log.read_text()[-2000:]}")
        files = sum(1 for path in places.static_root.rglob("*") if path.is_file())
        return f"{files} files in STATIC_ROOT"

    def nginx_test(self, nginx, places, ports, certificate, key, run_dir) -> str:
        from devtools.deploycheck import recipe

        prefix = run_dir / "nginx"
        site = prefix / "wiits.conf"
        site.write_text(
            recipe.nginx_site(
                places=places,
                http_port=ports["http"],
                https_port=ports["https"],
                gunicorn_port=ports["gunicorn"],
                certificate=certificate,
                key=key,
            )
        )
        main = prefix / "nginx.conf"
        main.write_text(recipe.nginx_main(prefix=prefix, site=site))
        done = subprocess.run(  # noqa: S603
            [nginx, "-t", "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(main)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        output = (done.stdout + done.stderr).strip()
        if done.returncode:
            raise CommandError(f"nginx -t refused deploy/nginx/wiits.conf (rendered as {site}):\n{output}")
        warnings = [line for line in output.splitlines() if "[warn]" in line or "[emerg]" in line]
        return "the configuration is ok" + (f" (with {len(warnings)} warnings: {warnings})" if warnings else "")

    def units(self, places, run_dir: Path) -> str:
        from devtools.deploycheck import recipe

        for path in [*recipe.UNITS.values(), recipe.TARGET]:
            recipe.unit(path)
        localised = recipe.units_localised(places, run_dir / "systemd")
        verified, output = recipe.systemd_verify(localised)
        if verified is None:
            return f"parsed; not verified ({output})"
        if not verified:
            raise CommandError(f"systemd-analyze verify complains about deploy/systemd/:\n{output}")
        return "parsed, and systemd-analyze verify finds nothing to say"

    def wait_ready(self, processes: dict, ports: dict, run_dir: Path, timeout: float = 60) -> None:
        started = time.monotonic()
        for name, port in (("gunicorn", ports["gunicorn"]), ("nginx", ports["https"])):
            while not port_open(port):
                if processes[name].popen.poll() is not None:
                    raise CommandError(f"{name} stopped:\n{processes[name].tail()}")
                if time.monotonic() - started > timeout:
                    raise CommandError(f"{name} did not listen in {timeout:.0f} s:\n{processes[name].tail()}")
                time.sleep(0.2)
        while " ready." not in processes["worker"].log.read_text(errors="replace"):
            if processes["worker"].popen.poll() is not None or time.monotonic() - started > timeout:
                raise CommandError(f"the worker did not start:\n{processes['worker'].tail()}")
            time.sleep(0.2)
