"""The deployment recipe (deploy/) and the parts of `make deploy-recipe`
(devtools/deploycheck/): what can be read and checked without running it. The run itself,
nginx in front of gunicorn, worker and beat over HTTPS, is CI's (.ci/run: `make deploy-recipe`)."""

import io
import itertools
import re
import shlex
import shutil
import subprocess

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from PIL import Image

from devtools.deploycheck import recipe
from devtools.deploycheck.checks import pdf_of, png_of
from devtools.management.commands.deploy_recipe import Command
from technologies.forms import MAX_IMAGES_PER_UPLOAD
from technologies.uploads import MAX_BROCHURE_BYTES, MAX_IMAGE_BYTES

README = (settings.BASE_DIR / "README.md").read_text()
MAKEFILE = (settings.BASE_DIR / "Makefile").read_text()


@pytest.fixture
def places(tmp_path):
    return recipe.Places(tmp_path)


def rendered(places, tmp_path):
    return recipe.nginx_site(
        places=places,
        http_port=18080,
        https_port=18443,
        gunicorn_port=18001,
        certificate=tmp_path / "cert.pem",
        key=tmp_path / "key.pem",
    )


def test_the_nginx_site_is_rendered_with_the_runs_ports_paths_and_certificate(places, tmp_path):
    text = rendered(places, tmp_path)
    directives = re.sub(r"(?m)#.*$", "", text)
    assert re.findall(r"listen ([^\s;]+)", directives) == [
        "127.0.0.1:18080",
        "127.0.0.1:18443",
        "127.0.0.1:18080",
        "127.0.0.1:18443",
    ]
    assert "server 127.0.0.1:18001 " in directives and "8001;" not in directives
    assert f"ssl_certificate {tmp_path / 'cert.pem'};" in directives
    assert f"ssl_certificate_key {tmp_path / 'key.pem'};" in directives
    assert f"alias {places.static_root}/;" in directives and f"alias {places.var}/media/;" in directives
    assert "/srv/wiits" not in directives and "/etc/letsencrypt" not in directives and "[::]" not in directives
    # Only those: the rest is the shipped file's, line for line.
    shipped = recipe.NGINX_CONF.read_text().splitlines()
    assert len(text.splitlines()) == len(shipped) - 4  # the four [::] listen lines


def test_a_changed_nginx_file_is_said_rather_than_tested_half(places, tmp_path, monkeypatch):
    changed = tmp_path / "wiits.conf"
    changed.write_text(recipe.NGINX_CONF.read_text().replace("127.0.0.1:8001", "unix:/run/wiits.sock"))
    monkeypatch.setattr(recipe, "NGINX_CONF", changed)
    monkeypatch.setattr(recipe.settings, "BASE_DIR", tmp_path)
    with pytest.raises(recipe.RecipeError, match=re.escape("127.0.0.1:8001")):
        rendered(places, tmp_path)


def test_nginx_lets_the_largest_form_through_and_refuses_far_more():
    text = recipe.NGINX_CONF.read_text()
    (limit,) = re.findall(r"(?m)^\s*client_max_body_size (\d+)m;", text)
    largest_form = MAX_IMAGES_PER_UPLOAD * MAX_IMAGE_BYTES + MAX_BROCHURE_BYTES
    assert largest_form + 2 * 2**20 <= int(limit) * 2**20 <= 2 * largest_form


def test_nginx_keeps_only_hashed_static_names_for_a_year():
    text = recipe.NGINX_CONF.read_text()
    (pattern,) = re.findall(r'location ~ "([^"]+)"', text)
    assert re.search(pattern, "/static/css/site.af59c9f59680.css")
    assert re.search(pattern, "/static/vendor/bootstrap/bootstrap.bundle.min.0123456789ab.js")
    assert not re.search(pattern, "/static/css/site.css")
    assert 'add_header Cache-Control "public, max-age=31536000, immutable" always;' in text


def test_nginx_sets_the_forwarded_headers_the_portal_trusts():
    text = recipe.NGINX_CONF.read_text()
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in text
    assert "proxy_set_header Host $http_host;" in text
    assert "return 301 https://$host$request_uri;" in text


def test_the_units_run_the_makefiles_commands_from_the_readmes_places():
    web = recipe.exec_start(recipe.UNITS["web"])
    assert web[:2] == ["/srv/wiits/.venv/bin/gunicorn", "wiits.wsgi:application"]
    options = dict(itertools.pairwise(web))
    assert options["--bind"] == recipe.GUNICORN_BIND  # nginx's upstream
    assert options["--forwarded-allow-ips"] == "127.0.0.1"
    assert options["--timeout"] == "30"  # docs/RELIABILITY.md
    for name, make_target in (("worker", "worker"), ("beat", "beat")):
        argv = recipe.exec_start(recipe.UNITS[name])
        (make_line,) = re.findall(rf"(?m)^{make_target}:.*\n(?:\t.*\n)*?\t\$\(VENV\)/bin/(celery .*)$", MAKEFILE)
        assert argv == ["/srv/wiits/.venv/bin/celery", *shlex.split(make_line)[1:]]
    for path in recipe.UNITS.values():
        service = recipe.unit(path)["Service"]
        assert service["User"] == "wiits" and service["WorkingDirectory"] == "/srv/wiits"
        assert service["EnvironmentFile"] == "/etc/wiits/env"
        assert service["NoNewPrivileges"] == "yes" and service["ProtectSystem"] == "strict"
        assert service["ReadWritePaths"] == "/srv/wiits/var" and service["PrivateTmp"] == "yes"
        assert recipe.unit(path)["Install"]["WantedBy"] == "wiits.target"
    target = recipe.unit(recipe.TARGET)["Unit"]["Wants"].split()
    assert target == ["wiits-web.service", "wiits-worker.service"]  # beat: on one machine, by hand
    for mentioned in ("deploy/systemd/", "deploy/nginx/wiits.conf", "/etc/wiits/env", "/srv/wiits", "wiits-beat"):
        assert mentioned in README


def test_the_env_file_is_what_the_units_and_nginx_expect():
    env = recipe.env_file()
    assert env["DJANGO_DEBUG"] == "false" and env["ALLAUTH_TRUSTED_PROXY_COUNT"] == "1"
    assert env["STATIC_ROOT"] == "/srv/wiits/staticfiles" and env["MEDIA_ROOT"] == "/srv/wiits/var/media"
    text = recipe.NGINX_CONF.read_text()
    assert f"alias {env['STATIC_ROOT']}/;" in text and f"alias {env['MEDIA_ROOT']}/;" in text
    assert env["SITE_URL"] == f"https://{recipe.HOST}"


def test_the_run_gets_the_env_file_with_its_own_secrets_services_and_folders(places, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wiits_recipe")
    monkeypatch.setenv("S3_BUCKET", "the-launchers-own")
    monkeypatch.setenv("ALLAUTH_TRUSTED_PROXY_COUNT", "7")
    env = Command.environment(places, 18443, "redis://127.0.0.1:6379/5", "127.9.9.1")
    assert env["DATABASE_URL"] == "postgres://postgres@127.0.0.1:5432/wiits_recipe"
    assert env["SITE_URL"] == f"https://{recipe.HOST}:18443" and env["DJANGO_DEBUG"] == "false"
    assert env["ALLAUTH_TRUSTED_PROXY_COUNT"] == "1" and "S3_BUCKET" not in env
    assert env["STATIC_ROOT"] == str(places.static_root) and env["MEDIA_ROOT"] == str(places.var / "media")
    assert len(env["DJANGO_SECRET_KEY"]) >= 50 and env["DJANGO_SETTINGS_MODULE"] == "wiits.settings"
    assert Command.unit_environment(recipe.UNITS["web"]) == {"WEB_CONCURRENCY": "3"}


def test_the_processes_are_started_with_the_units_command_lines(places):
    web = recipe.web_argv(places, 18001)
    assert web[0] == str(recipe.VENV_BIN / "gunicorn") and web[web.index("--bind") + 1] == "127.0.0.1:18001"
    assert recipe.worker_argv(places)[:4] == [str(recipe.VENV_BIN / "celery"), "-A", "wiits", "worker"]
    assert recipe.beat_argv(places)[-2:] == ["--schedule", str(places.var / "celerybeat-schedule")]


def test_the_upload_files_are_exactly_at_the_limits_and_real():
    picture = png_of(MAX_IMAGE_BYTES)
    assert len(picture) == MAX_IMAGE_BYTES and len(png_of(MAX_IMAGE_BYTES + 1)) == MAX_IMAGE_BYTES + 1
    with Image.open(io.BytesIO(picture)) as image:
        image.verify()
    with Image.open(io.BytesIO(picture)) as image:
        assert image.format == "PNG" and image.size == (64, 48)
        image.load()
    brochure = pdf_of(MAX_BROCHURE_BYTES)
    assert len(brochure) == MAX_BROCHURE_BYTES and brochure.startswith(b"%PDF-")


def test_without_nginx_the_command_says_so(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr("devtools.management.commands.deploy_recipe.os.access", lambda path, mode: False)
    with pytest.raises(CommandError, match="nginx is not installed"):
        call_command("deploy_recipe")


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed (CI installs it)")
def test_nginx_accepts_the_rendered_site(places, tmp_path):
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed (CI installs it)")
    prefix = tmp_path / "nginx"
    (prefix / "temp").mkdir(parents=True)
    Command.certificate(tmp_path)
    site = prefix / "wiits.conf"
    site.write_text(
        recipe.nginx_site(
            places=places,
            http_port=18080,
            https_port=18443,
            gunicorn_port=18001,
            certificate=tmp_path / "tls" / "fullchain.pem",
            key=tmp_path / "tls" / "privkey.pem",
        )
    )
    (prefix / "nginx.conf").write_text(recipe.nginx_main(prefix=prefix, site=site))
    done = subprocess.run(  # noqa: S603
        [
            shutil.which("nginx"),
            "-t",
            "-p",
            str(prefix),
            "-e",
            str(prefix / "error.log"),
            "-c",
            str(prefix / "nginx.conf"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    # nginx 1.25.1 and later prefer `http2 on;` to `listen ... http2` (Debian 12 has 1.22).
    warnings = [line for line in done.stderr.splitlines() if "[warn]" in line and "http2" not in line]
    assert not warnings


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed here")
def test_systemd_finds_nothing_to_say_about_the_units(places, tmp_path):
    places.var.mkdir()
    verified, output = recipe.systemd_verify(recipe.units_localised(places, tmp_path / "systemd"))
    assert verified, output
