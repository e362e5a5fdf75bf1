"""The shipped deployment recipe (deploy/) made runnable on this machine, changed only as
documented here: the same files, with their ports, paths and certificate put in place.

What is replaced, and nothing else:
- paths under /srv/wiits (the code's place in production): the venv's bin/ becomes this
  venv's, staticfiles/ and var/ the run's folders, /srv/wiits itself this checkout;
- nginx's ports 80 and 443 become two free ports on 127.0.0.1 (its [::] lines are left
  out), the certificate a self-signed one made for the run, gunicorn's 127.0.0.1:8001 a
  free port (in the web unit's --bind and nginx's upstream alike);
- in the env file (deploy/env.example), the secrets, services, SITE_URL and folders.
The host name stays wiits.example.org: the check connects to 127.0.0.1 and names that host
(TLS server name and Host header), as a browser would.
"""

import configparser
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

DEPLOY = Path(settings.BASE_DIR) / "deploy"
NGINX_CONF = DEPLOY / "nginx" / "wiits.conf"
ENV_FILE = DEPLOY / "env.example"
UNITS = {name: DEPLOY / "systemd" / f"wiits-{name}.service" for name in ("web", "worker", "beat")}
TARGET = DEPLOY / "systemd" / "wiits.target"
HOST = "wiits.example.org"
PRODUCTION_ROOT = "/srv/wiits"
CERTIFICATE = f"/etc/letsencrypt/live/{HOST}/fullchain.pem"
CERTIFICATE_KEY = f"/etc/letsencrypt/live/{HOST}/privkey.pem"
GUNICORN_BIND = "127.0.0.1:8001"
VENV_BIN = Path(sys.executable).parent


class RecipeError(ValueError):
    """The shipped files no longer say what the check replaces: fix the file or the check."""


@dataclass
class Places:
    """Where this run puts what production keeps under /srv/wiits."""

    run_dir: Path
    code: Path = Path(settings.BASE_DIR)
    venv_bin: Path = VENV_BIN

    @property
    def static_root(self) -> Path:
        return self.run_dir / "staticfiles"

    @property
    def var(self) -> Path:
        return self.run_dir / "var"

    def paths(self) -> list[tuple[str, str]]:
        """Longest first: each production path and this run's."""
        return [
            (f"{PRODUCTION_ROOT}/.venv/bin", str(self.venv_bin)),
            (f"{PRODUCTION_ROOT}/staticfiles", str(self.static_root)),
            (f"{PRODUCTION_ROOT}/var", str(self.var)),
            (PRODUCTION_ROOT, str(self.code)),
        ]

    def localise(self, text: str) -> str:
        for shipped, local in self.paths():
            text = text.replace(shipped, local)
        return text


def replace(text: str, old: str, new: str, *, what: str, count: int | None = None) -> str:
    """`text` with `old` replaced, raising if `old` is not there (or not `count` times)."""
    found = text.count(old)
    if not found or (count is not None and found != count):
        raise RecipeError(f"{what}: expected {count or 'some'} {old!r}, found {found}")
    return text.replace(old, new)


# --- nginx ----------------------------------------------------------------------------------


def nginx_site(
    *, places: Places, http_port: int, https_port: int, gunicorn_port: int, certificate: Path, key: Path
) -> str:
    """deploy/nginx/wiits.conf for this run."""
    text = NGINX_CONF.read_text()
    what = str(NGINX_CONF.relative_to(settings.BASE_DIR))
    text, dropped = re.subn(r"(?m)^\s*listen \[::\]:(80|443)\b[^;]*;\n", "", text)
    if dropped != 4:
        raise RecipeError(f"{what}: expected 4 IPv6 listen lines (80 and 443, twice each), found {dropped}")
    text = replace(text, "listen 80", f"listen 127.0.0.1:{http_port}", what=what, count=2)
    text = replace(text, "listen 443", f"listen 127.0.0.1:{https_port}", what=what, count=2)
    text = replace(text, f"server {GUNICORN_BIND}", f"server 127.0.0.1:{gunicorn_port}", what=what, count=1)
    text = replace(text, CERTIFICATE, str(certificate), what=what, count=1)
    text = replace(text, CERTIFICATE_KEY, str(key), what=what, count=1)
    for alias in (f"alias {PRODUCTION_ROOT}/staticfiles/;", f"alias {PRODUCTION_ROOT}/var/media/;"):
        if text.count(alias) != 1:
            raise RecipeError(f"{what}: expected one {alias!r}")
    text = places.localise(text)
    directives = re.sub(r"(?m)#.*$", "", text)
    if PRODUCTION_ROOT in directives or "/etc/letsencrypt" in directives:
        raise RecipeError(f"{what}: a production path is left after the replacements")
    return text


def nginx_main(*, prefix: Path, site: Path) -> str:
    """The run's own nginx.conf around the site, as Debian's /etc/nginx/nginx.conf is: its
    own pid, logs and temporary folders under `prefix`, nothing of the system's nginx."""
    mime_types = next(
        (path for path in (Path("/etc/nginx/mime.types"), Path("/usr/local/nginx/conf/mime.types")) if path.exists()),
        None,
    )
    types = f"include {mime_types};" if mime_types else "types { text/css css; application/javascript js; }"
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / 'temp' / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""# make deploy-recipe's nginx (devtools/deploycheck/): the site is deploy/nginx/wiits.conf.
worker_processes 1;
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} warn;
events {{
    worker_connections 256;
}}
http {{
    {types}
    default_type application/octet-stream;
    types_hash_max_size 2048;
    sendfile on;
    tcp_nopush on;
    server_tokens off;
    access_log {prefix / "access.log"};
{temp}
    include {site};
}}
"""


# --- systemd --------------------------------------------------------------------------------


def unit(path: Path) -> configparser.ConfigParser:
    """A unit file read as systemd reads it: sections, keys, repeated keys kept (last wins
    here, which is enough for the keys we read)."""
    parser = configparser.ConfigParser(
        strict=False, interpolation=None, delimiters=("=",), comment_prefixes=("#", ";")
    )
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(path.read_text(), source=str(path))
    return parser


def exec_start(path: Path) -> list[str]:
    """The unit's ExecStart as an argv (systemd's quoting is shell-like for these lines)."""
    line = unit(path)["Service"]["ExecStart"]
    if "%" in line or "$" in line:
        raise RecipeError(f"{path.name}: ExecStart uses specifiers or variables the check does not expand")
    return shlex.split(line)


def web_argv(places: Places, port: int) -> list[str]:
    argv = [places.localise(arg) for arg in exec_start(UNITS["web"])]
    index = argv.index("--bind")
    if argv[index + 1] != GUNICORN_BIND:
        raise RecipeError(f"wiits-web.service binds {argv[index + 1]}, nginx's upstream is {GUNICORN_BIND}")
    argv[index + 1] = f"127.0.0.1:{port}"
    return argv


def worker_argv(places: Places) -> list[str]:
    return [places.localise(arg) for arg in exec_start(UNITS["worker"])]


def beat_argv(places: Places) -> list[str]:
    """Beat's, with its schedule in the run's var/ (the settings put it in the code's var/,
    which on a server is /srv/wiits/var: here it would be this checkout's)."""
    return [places.localise(arg) for arg in exec_start(UNITS["beat"])] + [
        "--schedule",
        str(places.var / "celerybeat-schedule"),
    ]


def units_localised(places: Places, into: Path) -> list[Path]:
    """The units with the run's paths, for `systemd-analyze verify` (which wants their
    programs to exist)."""
    into.mkdir(parents=True, exist_ok=True)
    written = []
    for path in [*UNITS.values(), TARGET]:
        copy = into / path.name
        copy.write_text(places.localise(path.read_text()))
        written.append(copy)
    return written


def systemd_verify(paths: list[Path]) -> tuple[bool | None, str]:
    """(True, output) when systemd-analyze finds nothing to say about the units, (False,
    output) when it does, (None, why) when it cannot run here."""
    try:
        done = subprocess.run(  # noqa: S603 (fixed argv)
            ["systemd-analyze", "verify", "--man=no", *map(str, paths)],  # noqa: S607 (found on PATH, like nginx)
            capture_output=True,
            text=True,
            timeout=60,
            cwd=paths[0].parent,
        )
    except FileNotFoundError:
        return None, "systemd-analyze is not installed here"
    output = (done.stdout + done.stderr).strip()
    # It exits 0 on many complaints (an unknown key, a bad value): any line naming a unit is one.
    complaints = [line for line in output.splitlines() if any(path.name in line for path in paths)]
    return (done.returncode == 0 and not complaints), output


# --- the environment ------------------------------------------------------------------------


def env_file(path: Path = ENV_FILE) -> dict[str, str]:
    """KEY=VALUE lines as systemd's EnvironmentFile= reads them (no quotes are used)."""
    values = {}
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not re.fullmatch(r"[A-Z_][A-Z0-9_]*", key):
            raise RecipeError(f"{path.name}:{number}: not KEY=VALUE: {line!r}")
        values[key] = value
    return values
