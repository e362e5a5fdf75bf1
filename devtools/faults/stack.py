"""The private services of a fault run: a PostgreSQL cluster, Redis, an SMTP sink,
gunicorn, a Celery worker and beat, all on 127.0.0.1 and on ports of their own.

The machine's shared PostgreSQL (5432) and Redis (6379) are never touched. Every child
runs in its own process group, so stopping one stops its children too, and `stop_all`
ends every group this run started, whatever happened before.
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

CLUSTER_NAME = "wiits_faults"
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_for(predicate, *, timeout: float, interval: float = 0.2, what: str = "") -> float:
    """Poll until `predicate()` is true; return the seconds waited, or raise."""
    started = time.monotonic()
    while True:
        if predicate():
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"gave up waiting {timeout:.0f}s for {what}")
        time.sleep(interval)


# --- PostgreSQL: a private cluster made and dropped by the run -----------------------------


def postgres_version() -> str:
    versions = sorted((p.name for p in Path("/etc/postgresql").iterdir() if p.name.isdigit()), key=int)
    if not versions:
        raise RuntimeError("no PostgreSQL installed (/etc/postgresql is empty)")
    return versions[-1]


def _pg(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(args, check=False, capture_output=True, text=True)  # noqa: S603 (fixed commands)
    if check and result.returncode:
        raise RuntimeError(f"{' '.join(args)} failed: {result.stderr.strip()[-800:]}")
    return result


def cluster_drop(version: str) -> None:
    config = Path(f"/etc/postgresql/{version}/{CLUSTER_NAME}")
    if (config / "postgresql.conf").exists():
        _pg("pg_dropcluster", "--stop", version, CLUSTER_NAME, check=False)
    # pg_dropcluster leaves the config folder behind when conf.d holds our file.
    shutil.rmtree(config, ignore_errors=True)


def cluster_create(version: str, port: int) -> None:
    """A throw-away cluster with trust authentication, listening on 127.0.0.1 only."""
    cluster_drop(version)  # left over from a run that was killed
    _pg("pg_createcluster", version, CLUSTER_NAME, "-p", str(port), "--", "--auth=trust")
    # Debian's postgresql.conf reads conf.d/. A throw-away cluster needs no fsync: a
    # restart (what the run does) still keeps everything committed.
    conf_d = Path(f"/etc/postgresql/{version}/{CLUSTER_NAME}/conf.d")
    conf_d.mkdir(exist_ok=True)
    (conf_d / "wiits-faults.conf").write_text("listen_addresses = '127.0.0.1'\nfsync = off\n")
    cluster_ctl(version, "start")
    wait_for(lambda: port_open(port), timeout=30, what="the private PostgreSQL")
    _pg("createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "wiits")


def cluster_ctl(version: str, action: str) -> None:
    _pg("pg_ctlcluster", "--skip-systemctl-redirect", version, CLUSTER_NAME, action)


# --- Child processes ------------------------------------------------------------------------


@dataclass
class Service:
    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen | None = None
    starts: int = 0

    def start(self) -> None:
        handle = self.log.open("ab")
        handle.write(f"\n--- start {self.starts + 1} at {time.strftime('%H:%M:%S')}\n".encode())
        handle.flush()
        self.process = subprocess.Popen(  # noqa: S603 (argv built by this module)
            self.argv,
            env=self.env,
            cwd=settings.BASE_DIR,
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: a signal reaches its children too
        )
        handle.close()
        self.starts += 1

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def alive(self) -> bool:
        return bool(self.process) and self.process.poll() is None

    def signal_group(self, sig: int) -> None:
        if self.process:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)

    def stop(self, timeout: float = 10) -> None:
        if not self.process:
            return
        self.signal_group(signal.SIGCONT)  # a frozen process cannot act on SIGTERM
        self.signal_group(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.signal_group(signal.SIGKILL)
            self.process.wait(5)
        # Children that outlived their leader (e.g. a prefork pool) go too.
        self.signal_group(signal.SIGKILL)

    def kill(self) -> None:
        """SIGKILL the whole group, as the kernel's OOM killer or a power cut would."""
        self.signal_group(signal.SIGKILL)
        if self.process:
            self.process.wait(5)
        self.signal_group(signal.SIGKILL)


@dataclass
class Stack:
    run_dir: Path
    env: dict[str, str]
    ports: dict[str, int]
    pg_version: str
    services: dict[str, Service] = field(default_factory=dict)

    @property
    def spool(self) -> Path:
        return self.run_dir / "mail"

    @property
    def sink_delay_file(self) -> Path:
        return self.run_dir / "smtp-delay"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['web']}"

    def _service(self, name: str, argv: list[str]) -> Service:
        service = Service(name, argv, self.env, self.run_dir / f"{name}.log")
        self.services[name] = service
        return service

    def build(self) -> None:
        py = str(VENV_BIN / "python")
        self._service(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.ports["redis"]),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
        )
        self._service(
            "smtp",
            [
                py,
                "-m",
                "devtools.faults.smtp_sink",
                "--port",
                str(self.ports["smtp"]),
                "--spool",
                str(self.spool),
                "--delay-file",
                str(self.sink_delay_file),
            ],
        )
        self._service(
            "gunicorn",
            [
                str(VENV_BIN / "gunicorn"),
                "wiits.wsgi:application",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.ports['web']}",
                "--timeout",
                "30",
                "--graceful-timeout",
                "5",
                # Its default control socket is one path per user (~/.gunicorn/): another
                # gunicorn on this machine (the benchmark's) must not share it.
                "--no-control-socket",
            ],
        )
        self._service(
            "worker",
            [
                str(VENV_BIN / "celery"),
                "-A",
                "wiits",
                "worker",
                "--concurrency",
                "2",
                "--loglevel",
                "INFO",
                "--hostname",
                "faults@%h",
                "--without-gossip",
                "--without-mingle",
            ],
        )
        self._service(
            "beat",
            [
                str(VENV_BIN / "celery"),
                "-A",
                "wiits",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(self.run_dir / "celerybeat-schedule"),
            ],
        )

    def start_redis(self) -> None:
        self.services["redis"].start()
        wait_for(lambda: port_open(self.ports["redis"]), timeout=15, what="Redis")

    def start_smtp(self) -> None:
        self.services["smtp"].start()
        wait_for(lambda: port_open(self.ports["smtp"]), timeout=15, what="the SMTP sink")

    def start_worker(self) -> None:
        log = self.services["worker"].log
        before = log.read_text(errors="replace").count(" ready.") if log.exists() else 0
        self.services["worker"].start()
        wait_for(
            lambda: log.read_text(errors="replace").count(" ready.") > before,
            timeout=60,
            what="the Celery worker",
        )

    def start_all(self) -> None:
        self.start_redis()
        self.start_smtp()
        self.services["gunicorn"].start()
        wait_for(lambda: port_open(self.ports["web"]), timeout=60, what="gunicorn")
        self.start_worker()
        self.services["beat"].start()

    def stop_all(self) -> None:
        for name in ("beat", "worker", "gunicorn", "smtp", "redis"):
            if name in self.services:
                try:
                    self.services[name].stop()
                except Exception as error:  # keep stopping the others
                    print(f"could not stop {name}: {error}", file=sys.stderr)

    def manage(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        """`manage.py <args>` in the run's environment, as an operator would run it."""
        return subprocess.run(  # noqa: S603
            [str(VENV_BIN / "python"), "manage.py", *args],
            env=self.env,
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def restart_postgres(self) -> None:
        cluster_ctl(self.pg_version, "restart")

    def record_groups(self, path: Path) -> None:
        """Write the process groups, so the launcher can end them if this process dies."""
        path.write_text(json.dumps([s.pid for s in self.services.values() if s.pid]))

    def gunicorn_workers(self) -> set[int]:
        master = self.services["gunicorn"].pid
        result = subprocess.run(  # noqa: S603
            ["/usr/bin/ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True, check=False
        )
        return {int(pid) for pid in result.stdout.split()}
