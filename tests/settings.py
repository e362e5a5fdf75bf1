"""Test settings: the real settings, run the way production runs them (DEBUG off), with
the few changes a test run needs. Nothing else differs, so nothing can drift."""

import os

# Set before the real settings read the environment (a developer's .env says DEBUG=true).
os.environ["DJANGO_DEBUG"] = "false"
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# The demo loader, the generators, the benchmark and the fault injection are tested too.
os.environ.setdefault("WIITS_DEV_TOOLS", "true")
# The test client and the live servers choose their own ports; the tests of the port check
# (tests/accounts/test_host_header.py) name the ports themselves.
os.environ.setdefault("DJANGO_ALLOWED_HOST_PORTS", "*")

from wiits.settings import *  # noqa: F403

# The test client and the live server speak plain HTTP.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
# No collectstatic before tests: serve static files from the finders.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# A list page reads its latest change on every request in tests (production trusts it for
# a second; tests/technologies/test_list_performance.py checks that too).
FRAGMENTS_VERSION_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; hashing is Django's concern
# Tasks run in-process unless a test starts a real worker (tests/wiits/test_celery_redis.py).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = os.environ.get("REDIS_URL") or "memory://localhost/"
# Threads (the live server, the Celery test worker) must not keep connections open past
# their work, or the test database cannot be dropped at the end.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Uploads made by tests go to a throw-away folder, not the developer's var/.
import tempfile  # noqa: E402

PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="wiits-test-private-")
STORAGES["private"] = {  # noqa: F405
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
}
MEDIA_ROOT = tempfile.mkdtemp(prefix="wiits-test-media-")
# Backups made by tests go to a throw-away folder too, never a developer's var/backups/.
STORAGES["dbbackup"] = {  # noqa: F405
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": tempfile.mkdtemp(prefix="wiits-test-backups-"), "base_url": None},
}
