"""Production start-up: a missing or weak secret stops it; the deploy check is clean."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3J9-zQ_w8vY2rT6uP1sN4mL7xC0bH5gF2dA9eR8tY3uI6oP1aS4dF7gH0jK2lZ5"


def run_manage(*args, **env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "WIITS_DEV_TOOLS"))}
    env.update({"DJANGO_SETTINGS_MODULE": "wiits.settings", "DJANGO_DEBUG": "false"})
    env.update(env_overrides)
    return subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_production_start_without_a_secret_key_fails_clearly():
    result = run_manage("check", DJANGO_SECRET_KEY="")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize(
    "weak",
    [
        "short",
        "django-insecure-" + "x" * 60,
        "a" * 60,
        "dev-only-insecure-key-never-use-in-production-wiits-0123456789",
    ],
)
def test_production_start_with_a_weak_secret_key_fails_clearly(weak):
    result = run_manage("check", DJANGO_SECRET_KEY=weak)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too weak" in result.stderr


PRODUCTION = {
    "DJANGO_SECRET_KEY": STRONG_KEY,
    "DJANGO_ALLOWED_HOSTS": "wiits.example.org",
    "DATABASE_URL": "postgres://wiits@db.internal:5432/wiits",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "EMAIL_URL": "smtp+tls://wiits:secret@smtp.example.org:587",
}


def test_deploy_check_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_fails_on_quick_start_services_in_production():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **{
            **PRODUCTION,
            "DATABASE_URL": "",
            "REDIS_URL": "",
            "EMAIL_URL": "",
            "WIITS_STAFF_REQUIRE_MFA": "false",
            "WIITS_DEV_TOOLS": "true",
        },
    )
    assert result.returncode != 0
    for check_id in ("wiits.W001", "wiits.W002", "wiits.W003", "wiits.W004", "wiits.W005"):
        assert check_id in result.stderr


def test_healthz_is_json_503_when_the_database_is_unreachable():
    code = (
        "from django.test import Client; "
        "r = Client().get('/healthz', secure=True); "
        "print(r.status_code, r['Content-Type'], r.content.decode())"
    )
    result = run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        code,
        **{**PRODUCTION, "DJANGO_ALLOWED_HOSTS": "testserver", "DATABASE_URL": "postgres://nobody@127.0.0.1:1/wiits"},
    )
    assert result.returncode == 0, result.stderr
    status, content_type, body = result.stdout.strip().split(" ", 2)
    assert status == "503"
    assert content_type == "application/json"
    assert body == '{"status": "unhealthy"}'
    monitored = run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        code,
        **{
            **PRODUCTION,
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/wiits",
            "WIITS_MONITORING_ADDRESSES": "127.0.0.1",  # the test client's address
        },
    )
    status, _content_type, body = monitored.stdout.strip().split(" ", 2)
    assert status == "503"
    assert '"database": "unavailable"' in body
    assert "127.0.0.1" not in body and "nobody" not in body


def test_production_installs_no_development_tooling():
    """The demo loader, the generators, the benchmark and the fault injection are not
    installed in production (docs/ARCHITECTURE.md); development has them."""
    code = (
        "import sys; from django.apps import apps; "
        "print(apps.is_installed('devtools'), any(m.startswith('devtools') for m in sys.modules))"
    )
    production = run_manage("shell", "-v", "0", "-c", code, **PRODUCTION)
    assert production.returncode == 0, production.stderr
    assert production.stdout.split() == ["False", "False"]
    assert "load_demo" not in run_manage("help", "--commands", **PRODUCTION).stdout
    development = run_manage("help", "--commands", DJANGO_DEBUG="true")
    assert {"load_demo", "bench", "faults", "generate_technologies"} <= set(development.stdout.split())


def test_production_refuses_a_host_header_with_a_port_the_site_does_not_serve():
    # The middleware as production settings configure it; the live-server tests
    # (tests/accounts/test_host_header.py) send such requests through the whole stack.
    code = (
        "from django.conf import settings; from django.core.exceptions import DisallowedHost; "
        "from django.http import HttpResponse; from django.test import RequestFactory; "
        "from common.middleware import HostPortMiddleware\n"
        "def answer(host):\n"
        "    request = RequestFactory().get('/', HTTP_HOST=host)\n"
        "    try: return HostPortMiddleware(lambda r: HttpResponse())(request).status_code\n"
        "    except DisallowedHost: return 'refused'\n"
        "hosts = ('wiits.example.org', 'wiits.example.org:443', 'wiits.example.org:1', "
        "'wiits.example.org:8443', 'evil.example')\n"
        "print(settings.ALLOWED_HOST_PORTS, *[answer(h) for h in hosts])"
    )
    result = run_manage("shell", "-v", "0", "-c", code, **{**PRODUCTION, "SITE_URL": "https://wiits.example.org"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["['443']", "200", "200", "refused", "refused", "refused"]


def test_development_needs_no_secret():
    result = run_manage("check", DJANGO_DEBUG="true", DJANGO_SECRET_KEY="")
    assert result.returncode == 0, result.stderr


def test_quick_start_writes_emails_as_files_under_var_mail():
    code = "from django.conf import settings as s; print(s.MAILER_DELIVERY_BACKEND); print(s.EMAIL_FILE_PATH)"
    result = run_manage("shell", "-v", "0", "-c", code, DJANGO_DEBUG="true", EMAIL_URL="")
    assert result.returncode == 0, result.stderr
    backend, path = result.stdout.split()
    assert backend == "django.core.mail.backends.filebased.EmailBackend"
    assert path == str(ROOT / "var" / "mail")


def test_email_url_chooses_the_delivery_backend():
    code = (
        "from django.conf import settings as s; "
        "print(s.MAILER_DELIVERY_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_BACKEND)"
    )
    result = run_manage(
        "shell", "-v", "0", "-c", code, DJANGO_DEBUG="true", EMAIL_URL="smtp+tls://user:secret@smtp.example.org:587"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "587",
        "common.mail.backend.QueuedEmailBackend",
    ]
