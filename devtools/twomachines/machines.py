"""The parts of the two-machine check: an S3 server (moto's, unless .ci/run started one),
the bucket, and two machines, each a copy of the code in a folder of its own with its own
`var/`, STATIC_ROOT (collectstatic run there) and gunicorn. What the machines share comes
from their environment only: SECRET_KEY, DATABASE_URL, REDIS_URL and the bucket.
"""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from devtools.faults.stack import free_port, port_open, wait_for

VENV_BIN = Path(sys.executable).parent
# What a deployment ships: the code, templates, static sources and compiled translations.
NOT_SHIPPED = shutil.ignore_patterns(
    ".git",
    ".venv",
    ".env",
    "node_modules",
    "var",
    "staticfiles",
    "mutants",
    "tests",
    "docs",
    "test-artifacts",
    "__pycache__",
    ".*_cache",
)


@dataclass
class Process:
    """A child in a process group of its own, so that stopping it stops its children too."""

    name: str
    argv: list[str]
    env: dict[str, str]
    cwd: Path
    log: Path
    popen: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as handle:
            self.popen = subprocess.Popen(  # noqa: S603 (argv built here)
                self.argv,
                env=self.env,
                cwd=self.cwd,
                stdout=handle,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    def stop(self) -> None:
        if not self.popen or self.popen.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(5)

    def tail(self, lines: int = 15) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


# --- The bucket -----------------------------------------------------------------------------


def s3_server(run_dir: Path) -> tuple[str, Process | None]:
    """The endpoint of an S3 server: the one in WIITS_TEST_S3_ENDPOINT (.ci/run's), else a
    moto_server of this run's own (returned, to stop)."""
    endpoint = os.environ.get("WIITS_TEST_S3_ENDPOINT", "").rstrip("/")
    if endpoint:
        return endpoint, None
    moto = VENV_BIN / "moto_server"
    if not moto.exists():
        raise RuntimeError("moto_server is missing: make install (the dev extra), or set WIITS_TEST_S3_ENDPOINT")
    port = free_port()
    process = Process(
        "moto", [str(moto), "-H", "127.0.0.1", "-p", str(port)], dict(os.environ), run_dir, run_dir / "moto.log"
    )
    process.start()
    wait_for(lambda: port_open(port), timeout=30, what="moto_server")
    return f"http://127.0.0.1:{port}", process


def s3_client(endpoint: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="two-machines",
        aws_secret_access_key="x",  # noqa: S106 (moto accepts any keys)
    )


def bucket_create(client, name: str) -> None:
    """A bucket as the README says to set one up: anyone may read media/, nothing else."""
    client.create_bucket(Bucket=name)
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{name}/media/*",
            }
        ],
    }
    client.put_bucket_policy(Bucket=name, Policy=json.dumps(policy))


# --- The machines ---------------------------------------------------------------------------


@dataclass
class Machine:
    name: str
    root: Path
    shared_env: dict[str, str]
    port: int = field(default_factory=free_port)
    gunicorn: Process | None = None

    @property
    def code(self) -> Path:
        return self.root / "code"

    @property
    def env(self) -> dict[str, str]:
        # Per machine: its folders. Everything else is shared.
        return {
            **self.shared_env,
            "STATIC_ROOT": str(self.root / "staticfiles"),
            "MEDIA_ROOT": str(self.root / "var" / "media"),
            "PRIVATE_MEDIA_ROOT": str(self.root / "var" / "private"),
        }

    def install(self) -> None:
        """Ship the code to this machine's folder, as a deployment would."""
        shutil.copytree(settings.BASE_DIR, self.code, ignore=NOT_SHIPPED)
        (self.root / "var").mkdir(parents=True, exist_ok=True)

    def collectstatic(self) -> subprocess.Popen:
        with (self.root / "collectstatic.log").open("wb") as log:
            return subprocess.Popen(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                env=self.env,
                cwd=self.code,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def start(self, workers: int) -> None:
        self.gunicorn = Process(
            f"gunicorn {self.name}",
            [
                str(VENV_BIN / "gunicorn"),
                "wiits.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "30",
                # One control socket per user by default (~/.gunicorn/): not shared.
                "--no-control-socket",
            ],
            self.env,
            self.code,
            self.root / "gunicorn.log",
        )
        self.gunicorn.start()

    def wait_ready(self, timeout: float = 60) -> None:
        started = time.monotonic()
        while not port_open(self.port):
            if self.gunicorn.popen.poll() is not None:
                raise RuntimeError(f"gunicorn of machine {self.name} stopped:\n{self.gunicorn.tail()}")
            if time.monotonic() - started > timeout:
                raise RuntimeError(f"gunicorn of machine {self.name} did not answer in {timeout:.0f} s")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.gunicorn:
            self.gunicorn.stop()

    def static_manifest(self) -> dict:
        return json.loads((self.root / "staticfiles" / "staticfiles.json").read_text())["paths"]

    def local_uploads(self) -> list[Path]:
        """Files that landed on this machine's own disk (there must be none)."""
        return [path for path in (self.root / "var").rglob("*") if path.is_file()] + [
            path for path in (self.code / "var").rglob("*") if path.is_file()
        ]
