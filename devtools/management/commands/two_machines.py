"""`make two-machines`: the portal on two web machines behind one address, checked over HTTP.

Two machines: each a copy of the code in a folder of its own (its own `var/`, its own
STATIC_ROOT filled by its own collectstatic) running gunicorn with production settings on a
port of its own; in front of them one address, a tiny proxy standing for the load
balancer (devtools/twomachines/proxy.py). They share what the README says machines share
and nothing else: SECRET_KEY, the PostgreSQL database (DATABASE_URL, which this command
migrates), Redis (REDIS_URL) and the bucket (an S3 server: WIITS_TEST_S3_ENDPOINT, as
.ci/run starts one, or a moto_server of the run's own). The checks
(devtools/twomachines/checks.py): static files under the same names on both, a session
started on one valid on the other, an image uploaded through one shown by the other (and
never to an outsider), the sign-in rate limit counted across both, a published listing on
both within the fragment cache's promise, requests spread over both at the one address,
and signing out on one ending the session on both. Exits 1 if any fails; the run's folder
(logs) is kept then.
"""

import logging
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from devtools.checklist import NOT_PASSED_ON, run_checks


class Command(BaseCommand):
    help = "Two gunicorn machines behind one address, sharing PostgreSQL, Redis and the bucket, checked over HTTP."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per machine (default 2)")
        parser.add_argument("--keep", action="store_true", help="keep the run's folder (code, logs) afterwards")

    def handle(self, *args, workers: int = 2, keep: bool = False, **options):
        from devtools.twomachines import checks, machines
        from devtools.twomachines.proxy import Proxy

        if connection.vendor != "postgresql":
            raise CommandError("the machines share a PostgreSQL database: set DATABASE_URL=postgres://...")
        redis_url = os.environ.get("REDIS_URL", "")
        if not redis_url:
            raise CommandError("the machines share a Redis: set REDIS_URL=redis://127.0.0.1:6379/N")
        started = time.monotonic()
        # This process publishes a listing as staff would; its emails' tasks run here, quietly.
        logging.getLogger("celery").setLevel(logging.WARNING)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)

        run_dir = Path(tempfile.mkdtemp(prefix="wiits-two-machines-"))
        token = secrets.token_hex(3)
        bucket = f"two-machines-{token}"
        moto = None
        pair: dict[str, machines.Machine] = {}
        failed = True
        try:
            endpoint, moto = machines.s3_server(run_dir)
            s3 = machines.s3_client(endpoint)
            machines.bucket_create(s3, bucket)
            pair = {name: machines.Machine(name, run_dir / name, {}) for name in ("a", "b")}
            with Proxy({name: machine.port for name, machine in pair.items()}) as proxy:
                shared = self.shared_env(proxy.port, redis_url, endpoint, bucket)
                for machine in pair.values():
                    machine.shared_env = shared
                    machine.install()
                collecting = [machine.collectstatic() for machine in pair.values()]
                if any(process.wait() for process in collecting):
                    raise CommandError(f"collectstatic failed: see {run_dir}/*/collectstatic.log")
                for machine in pair.values():
                    machine.start(workers)
                for machine in pair.values():
                    machine.wait_ready()
                self.describe(proxy.port, pair, workers, endpoint, bucket, moto is not None, redis_url, started)
                run = checks.Run(
                    proxy_port=proxy.port,
                    machines=pair,
                    s3=s3,
                    bucket=bucket,
                    endpoint=endpoint,
                    token=token,
                    fragments_seconds=float(shared.get("FRAGMENTS_VERSION_SECONDS", 1.0)),
                )
                failed = run_checks(self, checks.CHECKS, run, started)
        finally:
            for machine in pair.values():
                machine.stop()
            if moto:
                moto.stop()
            if failed or keep:
                self.stdout.write(f"The run's folder (code, logs) is kept: {run_dir}")
            else:
                shutil.rmtree(run_dir, ignore_errors=True)
        if failed:
            for machine in pair.values():
                if machine.gunicorn:
                    self.stderr.write(
                        f"--- the end of machine {machine.name}'s gunicorn log\n{machine.gunicorn.tail()}"
                    )
            sys.exit(1)

    @staticmethod
    def shared_env(proxy_port: int, redis_url: str, endpoint: str, bucket: str) -> dict[str, str]:
        """What every machine is given: production settings, one SECRET_KEY, the shared
        services. Nothing of the launcher's own configuration passes on."""
        base = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "WIITS_", "S3_", "AWS_", "ALLAUTH_")) and key not in NOT_PASSED_ON
        }
        return {
            **base,
            "DJANGO_SETTINGS_MODULE": "wiits.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": f"https://127.0.0.1:{proxy_port}",
            "DATABASE_URL": os.environ["DATABASE_URL"],
            "REDIS_URL": redis_url,
            "EMAIL_URL": "dummymail://",
            "ALLAUTH_TRUSTED_PROXY_COUNT": "1",
            "WIITS_DEV_TOOLS": "false",
            "DJANGO_LOG_LEVEL": "WARNING",
            "S3_BUCKET": bucket,
            "S3_ENDPOINT_URL": endpoint,
            "S3_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "two-machines",
            "AWS_SECRET_ACCESS_KEY": "two-machines-secret",
        }

    def describe(self, proxy_port, pair, workers, endpoint, bucket, own_moto, redis_url, started) -> None:
        database = connection.settings_dict["NAME"]
        self.stdout.write(
            f"Two machines behind one address, http://127.0.0.1:{proxy_port} (a proxy, as a load balancer)"
        )
        self.stdout.write(
            f"  shared: PostgreSQL {database}, Redis {redis_url}, bucket {bucket} at {endpoint} "
            f"({'moto, started for this run' if own_moto else 'WIITS_TEST_S3_ENDPOINT'}), one SECRET_KEY"
        )
        for machine in pair.values():
            self.stdout.write(
                f"  machine {machine.name}: gunicorn :{machine.port} ({workers} workers) in {machine.root} "
                "(its own code, var/ and STATIC_ROOT)"
            )
        self.stdout.write(
            f"  ready after {time.monotonic() - started:.1f} s (migrate, code shipped, collectstatic on each)\n"
        )
