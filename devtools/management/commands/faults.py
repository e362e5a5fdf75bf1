"""`make faults`: inject faults into a real deployment on this machine and check that no
member's action or email is lost (issue 8). See docs/RELIABILITY.md.

Two processes. The launcher (this command as typed) makes a private PostgreSQL cluster
and picks free ports, then runs this command again (`--inside`) with the production
environment of the run; that second process starts Redis, the SMTP sink, gunicorn, a
Celery worker and beat, plays the scenarios and writes the report. Whatever happens
(a failure, Ctrl-C), every process group is ended and the cluster dropped.
"""

import contextlib
import json
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Fault injection on private PostgreSQL, Redis, SMTP, gunicorn and Celery processes (docs/RELIABILITY.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--short", action="store_true", help="the short run for CI (smaller bursts, 20 s SMTP outage)"
        )
        parser.add_argument(
            "--report",
            help="where to write the report (default: docs/RELIABILITY.md for the full run; "
            "the short run prints its table only)",
        )
        parser.add_argument("--keep", action="store_true", help="keep the run's folder of logs and mail")
        parser.add_argument("--inside", help="(internal) the run's folder: play the scenarios in this process")

    def handle(self, *args, **options):
        if options["inside"]:
            sys.exit(self.inside(Path(options["inside"]), options))
        sys.exit(self.launch(options))

    # --- the launcher ------------------------------------------------------------------------

    def launch(self, options) -> int:
        from devtools.faults import stack

        for program in ("pg_createcluster", "pg_ctlcluster", "redis-server"):
            if not shutil.which(program):
                raise CommandError(f"{program} is missing (apt-get install postgresql redis-server)")
        if os.geteuid() != 0:
            raise CommandError("run as root: a private PostgreSQL cluster is created and dropped")
        started = time.monotonic()
        run_dir = Path(tempfile.mkdtemp(prefix="wiits-faults-"))
        version = stack.postgres_version()
        ports = {name: stack.free_port() for name in ("postgres", "redis", "smtp", "web")}
        (run_dir / "ports.json").write_text(json.dumps(ports))
        report = options["report"] or ("" if options["short"] else str(settings.BASE_DIR / "docs" / "RELIABILITY.md"))
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "wiits.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{ports['postgres']}/wiits",
            "REDIS_URL": f"redis://127.0.0.1:{ports['redis']}/0",
            "EMAIL_URL": f"smtp://127.0.0.1:{ports['smtp']}",
            "SITE_URL": f"https://127.0.0.1:{ports['web']}",
            # Production runs behind one TLS-terminating proxy; the simulated members say
            # so with X-Forwarded-Proto and X-Forwarded-For (see devtools/faults/users.py).
            "ALLAUTH_TRUSTED_PROXY_COUNT": "1",
            "STATIC_ROOT": str(run_dir / "static"),
            "MEDIA_ROOT": str(run_dir / "media"),
            "PRIVATE_MEDIA_ROOT": str(run_dir / "private"),
            "WIITS_FAULTS_PG_VERSION": version,
            "WIITS_FAULTS_STARTED": str(time.time()),
            # The inner run is this command, so it needs the tooling installed; the portal's
            # services under test do not have it (Stack), as in production.
            "WIITS_DEV_TOOLS": "true",
        }
        argv = [sys.executable, "manage.py", "faults", "--inside", str(run_dir)]
        if options["short"]:
            argv.append("--short")
        if report:
            argv += ["--report", report]
        self.stdout.write(f"fault run in {run_dir}; PostgreSQL {version} cluster '{stack.CLUSTER_NAME}' on {ports}")
        child = None
        code = 1
        try:
            stack.cluster_create(version, ports["postgres"])
            child = subprocess.Popen(argv, env=env, cwd=settings.BASE_DIR)  # noqa: S603
            code = child.wait()
        except KeyboardInterrupt:
            self.stderr.write("interrupted: cleaning up")
            if child:
                child.send_signal(signal.SIGINT)
                try:
                    child.wait(60)
                except subprocess.TimeoutExpired:
                    child.kill()
        finally:
            groups = run_dir / "groups.json"
            if groups.exists():
                for pgid in json.loads(groups.read_text()):
                    for sig in (signal.SIGCONT, signal.SIGKILL):
                        with contextlib.suppress(ProcessLookupError):
                            os.killpg(pgid, sig)
            stack.cluster_drop(version)
            if code == 0 and not options["keep"]:
                shutil.rmtree(run_dir, ignore_errors=True)
            else:
                self.stderr.write(f"logs and mail of the run kept in {run_dir}")
        self.stdout.write(f"fault run {'passed' if code == 0 else 'FAILED'} in {time.monotonic() - started:.0f} s")
        return code

    # --- inside: the run itself ----------------------------------------------------------------

    def inside(self, run_dir: Path, options) -> int:
        from devtools.faults import report, scenarios, stack

        def log(message: str) -> None:
            self.stdout.write(f"[{time.strftime('%H:%M:%S')}] {message}")
            self.stdout.flush()

        profile = scenarios.SHORT if options["short"] else scenarios.FULL
        ports = json.loads((run_dir / "ports.json").read_text())
        the_stack = stack.Stack(
            run_dir=run_dir,
            env={**os.environ, "WIITS_DEV_TOOLS": "false"},
            ports=ports,
            pg_version=os.environ["WIITS_FAULTS_PG_VERSION"],
        )
        started = float(os.environ["WIITS_FAULTS_STARTED"])
        try:
            log("migrating the private database and collecting static files")
            call_command("migrate", "--noinput", verbosity=0)
            call_command("createcachetable", verbosity=0)
            call_command("collectstatic", "--noinput", verbosity=0)
            the_stack.build()
            the_stack.start_all()
            the_stack.record_groups(run_dir / "groups.json")
            log(f"services up: gunicorn master {the_stack.services['gunicorn'].pid} on {the_stack.base_url}")
            run = scenarios.Run(the_stack, profile, log)
            run.seed()
            results = run.run_all()
            the_stack.record_groups(run_dir / "groups.json")
            from django.db import connection

            from common.mail.services import mail_queue_backlog

            connection.close()  # the cluster was restarted during the run
            backlog = mail_queue_backlog()
            duration = time.time() - started
            text = report.render(
                results=results,
                profile=profile,
                duration=duration,
                backlog=f"{backlog['queued']} queued, {backlog['deferred']} deferred",
                machine=machine(),
                pg_version=the_stack.pg_version,
            )
            log("\n" + report.table(results))
            if options["report"]:
                Path(options["report"]).write_text(text)
                log(f"report written to {options['report']}")
            failed = [r.name for r in results if not r.passed]
            if failed:
                log(f"FAILED scenarios: {', '.join(failed)}")
                return 1
            return 0
        except KeyboardInterrupt:
            log("interrupted")
            return 130
        finally:
            the_stack.stop_all()


def machine() -> dict[str, str]:
    model = ""
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout.splitlines():  # noqa: S607
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    return {
        "cores": str(os.cpu_count()),
        "cpu": model or platform.processor() or "unknown",
        "python": platform.python_version(),
        "os": platform.platform(),
    }
