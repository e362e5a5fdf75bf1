"""Shared fixtures: the cast of users, the mail queue, and the rules for tests that need
PostgreSQL, Redis or a browser (skip with a reason locally; fail in CI)."""

import os
from pathlib import Path

import pytest

from tests.factories import PASSWORD, StaffFactory, TechnologyFactory, UserFactory

# Playwright keeps an event loop in the main thread; the ORM would refuse to run beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
AXE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_PATH = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
IN_CI = os.environ.get("CI") == "true"


def _missing_for(marker: str) -> str | None:
    """Why a marked test cannot run here, or None if it can."""
    if marker == "postgres":
        from django.db import connection

        if connection.vendor != "postgresql":
            return "needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/wiits"
    elif marker == "redis":
        url = os.environ.get("REDIS_URL")
        if not url:
            return "needs Redis and a Celery worker: set REDIS_URL=redis://127.0.0.1:6379/0"
        import redis

        try:
            redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        except redis.RedisError as exc:
            return f"needs a reachable Redis at REDIS_URL ({exc})"
    elif marker == "browser":
        if not CHROMIUM_PATH.exists():
            return f"needs Chromium at {CHROMIUM_PATH} (apt-get install chromium)"
        if not AXE_PATH.exists():
            return "needs the axe-core npm package (npm ci)"
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            return "needs the playwright Python package (make install)"
    return None


# `make mutants` runs the tests once per mutant, each time in a fresh process: building the
# test database from the migrations would cost three seconds of every run. The Makefile
# migrates one SQLite database once (WIITS_TEST_DATABASE_TEMPLATE) and each run starts from
# a private copy of it, so two runs side by side never share a database.
_DATABASE_TEMPLATE = os.environ.get("WIITS_TEST_DATABASE_TEMPLATE")
if _DATABASE_TEMPLATE:

    @pytest.fixture(scope="session")
    def django_db_setup(django_db_blocker):
        import shutil
        import tempfile

        from django.db import connection

        handle, name = tempfile.mkstemp(prefix="wiits-mutant-", suffix=".sqlite3")
        os.close(handle)
        shutil.copyfile(_DATABASE_TEMPLATE, name)
        with django_db_blocker.unblock():
            connection.close()
            connection.settings_dict["NAME"] = name
            # What create_test_db keeps for tests with serialized_rollback=True.
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()
        yield
        with django_db_blocker.unblock():
            connection.close()
        os.unlink(name)


def pytest_runtest_setup(item):
    for marker in ("postgres", "redis", "browser"):
        if item.get_closest_marker(marker):
            reason = _missing_for(marker)
            if reason:
                pytest.skip(reason)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        # CI provides PostgreSQL, Redis and Chromium: a skipped test there is a failure.
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where every test must run: {report.longrepr}"


@pytest.fixture(autouse=True)
def _mail_queue(settings):
    """Django's test runner swaps EMAIL_BACKEND for locmem; put our queue back in front,
    with locmem as the final delivery, so `mailoutbox` sees what the queue sent."""
    settings.EMAIL_BACKEND = "common.mail.backend.QueuedEmailBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Rate-limit counters live in the (database) cache, rendered list fragments in each
    process (common/fragments.py); each test starts with neither."""
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if not uses_db:
        yield
        return
    from django.core.cache import cache, caches

    cache.clear()
    caches["fragments"].clear()
    yield
    cache.clear()
    caches["fragments"].clear()


@pytest.fixture(autouse=True)
def _english_first():
    """A request leaves its language active in the thread; `reverse()` in the next test
    would then build /zh-hans/ URLs. Every test starts in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def member(db):
    return UserFactory(name="Amina Diallo", email="amina@example.org")


@pytest.fixture
def other_member(db):
    return UserFactory(name="Outsider Person", email="outsider@example.org")


@pytest.fixture
def staff(db):
    return StaffFactory(name="Lin Yue", email="staff@example.org")


@pytest.fixture
def innovator(db):
    return UserFactory(name="Chen Jie", email="chen@example.org", stakeholder_type="innovator")


@pytest.fixture
def draft(innovator):
    """A complete draft, ready to submit, owned by `innovator`."""
    return TechnologyFactory(
        owner=innovator, status="draft", title="Biogas from cassava peels", slug="biogas-from-cassava-peels"
    )


@pytest.fixture
def published(innovator):
    return TechnologyFactory(owner=innovator, title="Solar crop dryer", slug="solar-crop-dryer")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def staff_client(client, staff, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    client.force_login(staff)
    return client


def run_on_commit(callbacks) -> None:
    for callback in callbacks:
        callback()


@pytest.fixture
def browser():
    """Debian's Chromium through Playwright. Request it after every fixture that uses the
    ORM: while Playwright's event loop runs, ORM work gets a connection of its own."""
    from playwright.sync_api import sync_playwright

    from tests.test_browser import CHROMIUM_ARGS

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
