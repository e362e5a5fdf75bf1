"""Settings for the WiiTs portal: one module, read from the environment.

Every variable is documented in `.env.example`. Development (`make run`) sets
DJANGO_DEBUG=true and needs nothing else; production must set DJANGO_SECRET_KEY,
DJANGO_ALLOWED_HOSTS, DATABASE_URL, REDIS_URL and EMAIL_URL.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A local `.env` (made by `make run` from `.env.example`) is read if present; real
# environment variables always win over it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

# --- Secret key: required and strong outside development --------------------------------
_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production-wiits-0123456789"  # noqa: S105 (DEBUG only)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` "
            "and set it in the environment (see .env.example)."
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY.startswith("django-insecure-")
    or SECRET_KEY == _DEV_SECRET_KEY
):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is too weak for production: use at least 50 random characters "
        "(`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
    )

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# The site's one address: every absolute link (emails, feed, sitemap, calendars) is built
# from it, never from the request's Host header (common/site.py).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# ALLOWED_HOSTS ignores ports; these are the ports a Host header may name (common.middleware.
# HostPortMiddleware): by default SITE_URL's own, any in development. "*" allows any.
_SITE_PORT = str(urlsplit(SITE_URL).port or {"https": 443, "http": 80}.get(urlsplit(SITE_URL).scheme, ""))
ALLOWED_HOST_PORTS = env.list("DJANGO_ALLOWED_HOST_PORTS", default=["*"] if DEBUG else [_SITE_PORT])
# Who may read /healthz's details (queue counts, which check failed) besides signed-in
# staff: monitoring addresses or networks, as seen through ALLAUTH_TRUSTED_PROXY_COUNT.
WIITS_MONITORING_ADDRESSES = env.list("WIITS_MONITORING_ADDRESSES", default=[])

# --- Applications --------------------------------------------------------------------------
INSTALLED_APPS = [
    # Translated content (fields per language); it must come before the admin.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django_countries",
    "django_filters",
    "mailer",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "import_export",
    "auditlog",
    # Ours, by layer from the top (docs/ARCHITECTURE.md): the project's site pages and
    # the staff reports; the features; listings; members; and the ground (`common`, with
    # reference data and mail) that every app may import and that imports none of them.
    "wiits",
    "reports",
    "opendata",
    "calls",
    "advisors",
    "events",
    "needs",
    "technologies",
    "accounts",
    "common",
    "common.reference",
    "common.mail",
]
# The development tooling (demo data, generators, benchmark, fault injection): on in
# development and in the tests, off in production, where nothing imports it.
WIITS_DEV_TOOLS = env.bool("WIITS_DEV_TOOLS", default=DEBUG)
if WIITS_DEV_TOOLS:
    INSTALLED_APPS.append("devtools")

MIDDLEWARE = [
    "common.middleware.HostPortMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Partner sites' browsers may read the API (/api/ only; see CORS_* below).
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The audit trail's who and from where (common/audit.py), after the user is known.
    "common.audit.AuditMiddleware",
    "common.middleware.RememberedLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "common.middleware.StaffMFAMiddleware",
    # Members accept the privacy notice and terms in force before other pages (after the
    # staff second factor, whose pages it leaves open).
    "accounts.middleware.ConsentMiddleware",
]

ROOT_URLCONF = "wiits.urls"
WSGI_APPLICATION = "wiits.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wiits.context_processors.site",
            ],
        },
    },
]
# Our widget templates (Bootstrap classes) override Django's for every form.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database ------------------------------------------------------------------------------
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db_url("DATABASE_URL")}
else:  # the quick start: a SQLite file under var/
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES = {"default": env.db_url_config(f"sqlite:///{VAR_DIR / 'wiits.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True  # an email row commits with the change it reports
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions, the rate-limit counters of allauth and any cache live in the database, so
# Redis being down never breaks sign-in or sign-up.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "wiits_cache",
        # Rate-limit counters must not be culled early (Django's default keeps 300).
        "OPTIONS": {"MAX_ENTRIES": 1_000_000},
    },
    # Rendered fragments of the list pages, per process (common/fragments.py): bounded in
    # size and age, never shared, so nothing to invalidate across machines.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "wiits-fragments",
        "TIMEOUT": 60,
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}
# How long a process trusts its reading of a list's latest change (common/fragments.py).
FRAGMENTS_VERSION_SECONDS = env.float("FRAGMENTS_VERSION_SECONDS", default=1.0)

# --- Accounts (django-allauth) -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
# A new member who confirms their address in the browser they signed up in is signed in
# and lands on the dashboard (or the page they came from). allauth does so only while
# that sign-up is pending in the same session (ACCOUNT_LOGIN_TIMEOUT, 15 minutes): a link
# opened elsewhere confirms the address and asks for the password.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, stated here so they are visible and reviewable.
    "login_failed": "10/m/ip,5/5m/key",  # key: the mailbox (accounts/adapter.py), not the host
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    # allauth's cooldown per address would show whether an address has an account (no
    # "confirmation sent" message while it runs): off, and account_mail below limits the
    # emails per mailbox instead, silently (accounts/adapter.py).
    "confirm_email": None,
    "account_mail": "5/10m/key",
    "change_password": "5/m/user",
    # The contact form (accounts/legal_views.py), per client address and per sender's mailbox.
    "contact": "5/h/ip,10/d/key",
}
# Behind a reverse proxy the client address is in X-Forwarded-For: say how many proxies
# stand in front, or every visitor shares the proxy's address and its rate limits.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
# allauth's form with the box to accept the privacy notice and terms in force.
ACCOUNT_FORMS = {"signup": "accounts.signup_forms.SignupForm"}
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[WiiTs] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "WiiTs"
# Staff must have MFA before reaching /admin/. Only the development demo may skip it.
WIITS_STAFF_REQUIRE_MFA = env.bool("WIITS_STAFF_REQUIRE_MFA", default=not DEBUG)

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "en"
# The six official languages of the United Nations, each named in itself.
LANGUAGES = [
    ("ar", "العربية"),
    ("zh-hans", "中文"),
    ("en", "English"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("es", "Español"),
]
# The United Nations' fixed order for the language bar.
UN_LANGUAGE_ORDER = ["ar", "zh-hans", "en", "fr", "ru", "es"]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Translated content: members' and staff's texts carry translations in `<field>_i18n_<lang>`
# columns (django-modeltranslation); the original stays in its own field, in its own
# language (`original_language`). No fallback: a missing translation shows the original.
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in LANGUAGES)
MODELTRANSLATION_FALLBACK_LANGUAGES = ()
# The tabbed admin (common/translation_admin.py) takes jQuery UI from static/vendor, not the
# CDN modeltranslation defaults to (its setting is named JQUERY_UI_URL, without a prefix).
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"
MODELTRANSLATION_ENABLE_FALLBACKS = False
MODELTRANSLATION_AUTO_POPULATE = False
# Date formats Django's own locales lack (Arabic has no DATETIME_FORMAT).
FORMAT_MODULE_PATH = ["wiits.formats"]
LANGUAGE_COOKIE_NAME = "wiits_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Country names (django-countries): CLDR's in the reader's language, the United Nations' for a
# few territories, named lazily in the language active when shown; importing the module also
# gives django-countries the readers' collation. common/countries.py says why and how.
from common.countries import django_countries_override  # noqa: E402 (beside its setting)

COUNTRIES_OVERRIDE = django_countries_override()

# --- Static and media files ----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads. Without S3_BUCKET (the quick start, a single machine) they are files on this disk:
# public ones (events' covers, speakers' and advisers' photos) in MEDIA_ROOT, private ones
# (listings' images and brochures, shown only after a permission check) in PRIVATE_MEDIA_ROOT.
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")
# With S3_BUCKET they live on S3-compatible object storage (AWS S3, MinIO, Alibaba OSS,
# Tencent COS) that every web and worker machine shares (README: "Object storage"). How long
# a signed link to a private file works: technologies/storage.py redirects to one after the
# permission check.
S3_BUCKET = env.str("S3_BUCKET", default="")
S3_SIGNED_URL_SECONDS = env.int("S3_SIGNED_URL_SECONDS", default=300)
# Where browsers fetch uploads from besides the site itself (the CSP's img-src names them).
MEDIA_ORIGINS: list[str] = []

if S3_BUCKET:
    from common.object_storage import bucket_url, object_storages

    _s3 = {
        "endpoint_url": env.str("S3_ENDPOINT_URL", default=""),
        "region": env.str("S3_REGION", default=""),
        "addressing_style": env.str("S3_ADDRESSING_STYLE", default="auto"),
    }
    _public_url = env.str("S3_PUBLIC_URL", default="").rstrip("/")
    if _public_url and "://" not in _public_url:  # a bare domain: a CDN speaks HTTPS
        _public_url = f"https://{_public_url}"
    _private_bucket = env.str("S3_PRIVATE_BUCKET", default="") or S3_BUCKET
    _STORAGES_UPLOADS = object_storages(
        bucket=S3_BUCKET,
        private_bucket=_private_bucket,
        signature_version=env.str("S3_SIGNATURE_VERSION", default="s3v4"),
        public_url=_public_url,
        signed_url_seconds=S3_SIGNED_URL_SECONDS,
        **_s3,
    )
    MEDIA_URL = f"{_public_url or bucket_url(S3_BUCKET, **_s3).rstrip('/')}/media/"
    MEDIA_ORIGINS = sorted(
        {"{0.scheme}://{0.netloc}".format(urlsplit(url)) for url in (MEDIA_URL, bucket_url(_private_bucket, **_s3))}
    )
else:
    _STORAGES_UPLOADS = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
        },
    }
STORAGES = {
    **_STORAGES_UPLOADS,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Email: every message is a database row first (django-mailer) -------------------------
# EMAIL_BACKEND queues; MAILER_EMAIL_BACKEND is what the Celery task sends with: it notes
# each sent Message-ID in Redis (common/mail/once.py), then delivers with
# MAILER_DELIVERY_BACKEND.
EMAIL_BACKEND = "common.mail.backend.QueuedEmailBackend"
MAILER_EMAIL_BACKEND = "common.mail.once.SendOnceBackend"
if env.str("EMAIL_URL", default=""):
    _email = env.email_url("EMAIL_URL")
    MAILER_DELIVERY_BACKEND = _email.pop("EMAIL_BACKEND")
    for _name, _value in _email.items():
        globals()[_name] = _value
else:  # the quick start: each email a file to read under var/mail/
    MAILER_DELIVERY_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
MAILER_USE_FILE_LOCK = False  # row locks in the database spread sending across workers
# The log of sent mail keeps who/when/result, not the message: bodies hold sign-in links.
MAILER_EMAIL_LOG_MESSAGE_DATA = False
# One task run sends at most this many; the next run (at most a minute later) goes on.
MAILER_EMAIL_MAX_BATCH = env.int("MAILER_EMAIL_MAX_BATCH", default=500)
MAILER_ERROR_HANDLER = "common.mail.services.handle_delivery_error"
# Deferred (failed) messages are retried every 15 minutes, this many times (default: about
# a day of SMTP outage); then they stay deferred, visible in the admin to resend.
MAILER_EMAIL_MAX_RETRIES = env.int("MAILER_EMAIL_MAX_RETRIES", default=96)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="WiiTs <no-reply@wiits.example>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Replies to the portal's emails reach the WiiTs team here (the sender is a no-reply address).
WIITS_CONTACT_EMAIL = env.str("WIITS_CONTACT_EMAIL", default="WiiTs team <team@wiits.example>")
EMAIL_TIMEOUT = 20

# --- Technologies ------------------------------------------------------------------------
WIITS_TECHNOLOGY_VALIDITY_DAYS = env.int("WIITS_TECHNOLOGY_VALIDITY_DAYS", default=365)
WIITS_TECHNOLOGY_REMINDER_DAYS = env.int("WIITS_TECHNOLOGY_REMINDER_DAYS", default=30)
WIITS_INQUIRIES_PER_DAY = env.int("WIITS_INQUIRIES_PER_DAY", default=10)

# --- The advisory group's review --------------------------------------------------------
WIITS_REVIEWERS_PER_TECHNOLOGY = env.int("WIITS_REVIEWERS_PER_TECHNOLOGY", default=2)
WIITS_REVIEW_DAYS = env.int("WIITS_REVIEW_DAYS", default=21)  # default time to review
WIITS_REVIEW_REMINDER_DAYS = env.int("WIITS_REVIEW_REMINDER_DAYS", default=3)

# --- Events ---------------------------------------------------------------------------
WIITS_EVENT_REMINDER_HOURS = env.int("WIITS_EVENT_REMINDER_HOURS", default=24)
# Visa invitation letters: the passport number and date of birth of a request are deleted
# this many days after the event (the request stays, as a record).
WIITS_VISA_DATA_RETENTION_DAYS = env.int("WIITS_VISA_DATA_RETENTION_DAYS", default=30)
# Who signs the visa invitation letters and certificates of attendance (set the name of the
# person who signs for the office in production).
WIITS_LETTER_SIGNATORY_NAME = env.str("WIITS_LETTER_SIGNATORY_NAME", default="WiiTs Secretariat")
WIITS_LETTER_SIGNATORY_TITLE = env.str(
    "WIITS_LETTER_SIGNATORY_TITLE",
    default="UNIDO Investment and Technology Promotion Office (ITPO) Shanghai",
)

# --- Celery --------------------------------------------------------------------------------
# Without REDIS_URL (the quick start) tasks run in-process right after commit.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# acks_late and reject_on_worker_lost are set per task, on idempotent tasks only.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that is down must cost a request little: one quick retry, refused connections
# fail at once and an unreachable host after 2 s (the sweep sends the email later). A
# frozen one (it accepts connections but never answers: SIGSTOP, a hung VM, a half-open
# connection) gives up after 2 s per attempt instead of holding the request until it
# thaws (found by `make faults`); kombu's BRPOP polls every 1 s, within the timeout.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 2, "visibility_timeout": 3600}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# Task names are what a queued message carries: they stay as they were when a task moves
# to another module (mail to common/, expire_needs to needs/), so nothing queued is lost.
CELERY_BEAT_SCHEDULE = {
    # Whatever waits (e.g. the broker was down at commit time) goes out within a minute.
    "mail-send": {"task": "wiits.mail.tasks.send_mail_queue", "schedule": 60.0},
    # Failed messages are retried less often, so a long SMTP outage does not use up retries.
    "mail-retry-deferred": {"task": "wiits.mail.tasks.sweep_mail_queue", "schedule": 15 * 60.0},
    "purge-mail-log": {"task": "wiits.mail.tasks.purge_mail_log", "schedule": 24 * 3600.0},
    "clear-expired-sessions": {"task": "wiits.tasks.clear_expired_sessions", "schedule": 24 * 3600.0},
    # The audit trail's entries older than AUDIT_LOG_KEEP_DAYS.
    "prune-audit-log": {"task": "wiits.tasks.prune_audit_log", "schedule": crontab(hour=3, minute=40)},
    # Reminders 30 days before, then expiry; each listing gets each once.
    "events-send-reminders": {"task": "events.tasks.send_reminders", "schedule": 15 * 60.0},
    # Passport data of visa letter requests, WIITS_VISA_DATA_RETENTION_DAYS after the event.
    "events-purge-visa-data": {"task": "events.tasks.purge_visa_data", "schedule": crontab(hour=3, minute=20)},
    "reviews-send-reminders": {"task": "advisors.tasks.send_reminders", "schedule": crontab(hour=7, minute=0)},
    # Drafts of applications to calls, 7 days and 1 day before the deadline; each once.
    "calls-send-reminders": {"task": "calls.tasks.send_reminders", "schedule": 60 * 60.0},
    "calls-remind-jurors": {"task": "calls.tasks.remind_jurors", "schedule": crontab(hour=7, minute=30)},
    "technologies-expire-and-remind": {
        "task": "technologies.tasks.expire_and_remind",
        "schedule": crontab(hour=6, minute=0),
    },
    "needs-expire": {"task": "technologies.tasks.expire_needs", "schedule": crontab(hour=6, minute=10)},
    # Mondays; each member gets at most one digest in six days, whatever runs twice.
    "weekly-digest": {
        "task": "technologies.tasks.send_weekly_digest",
        "schedule": crontab(day_of_week=1, hour=8, minute=0),
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Security ------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws its form icons as data: SVGs; allauth's TOTP QR code is a data: image.
        "img-src": [SELF, "data:", *MEDIA_ORIGINS],  # the bucket or CDN of the uploads, when set
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- The audit trail (issue 23; common/audit.py, django-auditlog) ----------------------------
# Who created, changed or deleted what, when, from which address, each field from what to
# what; from the site, the admin, tasks and imports alike. Passwords and the search index
# are never recorded; a registration's answers neither (only its status and attendance).
_NO_SEARCH_INDEX = ["search_vector", "search_words", "updated_at"]
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    {"model": "technologies.technology", "exclude_fields": _NO_SEARCH_INDEX, "m2m_fields": ["sdgs", "cooperation"]},
    {"model": "technologies.need", "exclude_fields": _NO_SEARCH_INDEX, "m2m_fields": ["sdgs", "cooperation"]},
    {"model": "events.event", "m2m_fields": ["sectors", "sdgs"]},
    {"model": "events.agendaitem", "m2m_fields": ["speakers"]},
    {"model": "events.speaker"},
    {"model": "events.registration", "include_fields": ["event", "user", "status", "attended"]},
    {"model": "advisors.adviser", "m2m_fields": ["expertise"]},
    {"model": "advisors.charter"},
    {"model": "advisors.criterion"},
    # Members' roles and flags only: not their password, sign-ins or profile.
    {
        "model": "accounts.user",
        "include_fields": ["is_active", "is_staff", "is_superuser", "stakeholder_type"],
        "m2m_fields": ["groups", "user_permissions"],
    },
)
AUDITLOG_STORE_JSON_CHANGES = True
AUDITLOG_USE_FK_STRING_REPRESENTATION = True
AUDITLOG_DISABLE_ON_RAW_SAVE = True  # fixtures and loaddata
AUDITLOG_CID_GETTER = "common.audit.request_id"
# Entries older than this are deleted by a daily task (common.audit.prune).
AUDIT_LOG_KEEP_DAYS = env.int("AUDIT_LOG_KEEP_DAYS", default=730)

# --- The public API and the embeddable lists (opendata/, docs/API.md) ----------------------
REST_FRAMEWORK = {
    # Read-only and public: no session (so no CSRF question), a partner's key or nobody.
    "DEFAULT_AUTHENTICATION_CLASSES": ["opendata.auth.PartnerKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["opendata.throttling.AddressThrottle", "opendata.throttling.PartnerKeyThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "address": env.str("API_RATE_ANONYMOUS", default="60/min"),
        "partner": env.str("API_RATE_PARTNER", default="600/min"),
    },
    # Behind the reverse proxy, the client's address is the last but N of X-Forwarded-For.
    "NUM_PROXIES": ALLAUTH_TRUSTED_PROXY_COUNT or None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "WiiTs public API",
    "DESCRIPTION": (
        "Read-only open data of the WiiTs portal (World Industrial Innovative Technology "
        "Cooperations, UNIDO ITPO Shanghai and Shanghai Jiao Tong University): published "
        "technologies, technology needs, events, the National Advisory Group, and the reference "
        "lists. Texts come in the language asked for (`?lang=` or `Accept-Language`), each marked "
        "with the language it is in."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Swagger UI and ReDoc from the sidecar package's static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "opendata.schema.add_error_responses",
    ],
}
# Browsers on any site may read the API (public data, no cookies sent or accepted).
CORS_URLS_REGEX = r"^/api/v1/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Content-Language", "Retry-After"]
CORS_PREFLIGHT_MAX_AGE = 24 * 60 * 60

# --- Backups and restore (issue 23; wiits/backups.py, README "Backups and restore") ---
# `manage.py backup`: the database (pg_dump's custom format, through django-dbbackup's
# connector), the public and private uploads (read through the storage API: folders or the
# bucket) and a manifest, into a folder (BACKUP_DIR) or a bucket (BACKUP_S3_BUCKET).
INSTALLED_APPS.append("dbbackup")
BACKUP_S3_BUCKET = env.str("BACKUP_S3_BUCKET", default="")
if BACKUP_S3_BUCKET:
    from common.object_storage import object_storages as _object_storages

    _backup_s3 = _object_storages(
        bucket=BACKUP_S3_BUCKET,
        endpoint_url=env.str("BACKUP_S3_ENDPOINT_URL", default="") or env.str("S3_ENDPOINT_URL", default=""),
        region=env.str("BACKUP_S3_REGION", default="") or env.str("S3_REGION", default=""),
        addressing_style=env.str("S3_ADDRESSING_STYLE", default="auto"),
        signature_version=env.str("S3_SIGNATURE_VERSION", default="s3v4"),
    )["private"]
    _backup_s3["OPTIONS"]["location"] = env.str("BACKUP_S3_PREFIX", default="backups").strip("/")
    STORAGES["dbbackup"] = _backup_s3
else:
    STORAGES["dbbackup"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("BACKUP_DIR", default=VAR_DIR / "backups"), "base_url": None},
    }
# pg_dump --format=custom and pg_restore (the default for PostgreSQL, said once here).
if "postgresql" in DATABASES["default"]["ENGINE"]:
    DBBACKUP_CONNECTORS = {"default": {"CONNECTOR": "dbbackup.db.postgresql.PgDumpBinaryConnector"}}
# Encrypt every backup file to this GPG public key (its fingerprint or email; the key in the
# keyring of the user who runs backups, GNUPGHOME). The secret key is needed to restore only.
BACKUP_GPG_RECIPIENT = env.str("BACKUP_GPG_RECIPIENT", default="")
DBBACKUP_GPG_RECIPIENT = BACKUP_GPG_RECIPIENT or None
DBBACKUP_GPG_ALWAYS_TRUST = True
BACKUP_GPG_PASSPHRASE = env.str("BACKUP_GPG_PASSPHRASE", default="")  # of the secret key, for restore
# Retention, applied after each backup: every backup of the last N days, and the newest of
# each of the last M months.
BACKUP_KEEP_DAILY_DAYS = env.int("BACKUP_KEEP_DAILY_DAYS", default=14)
BACKUP_KEEP_MONTHLY_MONTHS = env.int("BACKUP_KEEP_MONTHLY_MONTHS", default=12)
# /healthz (staff, monitoring) says "overdue" past this age; the site stays healthy.
BACKUP_MAX_AGE_HOURS = env.int("BACKUP_MAX_AGE_HOURS", default=26)
# The daily backup by Celery beat, at HH:MM in TIME_ZONE; empty: no beat entry (systemd timer).
BACKUP_AT = env.str("BACKUP_AT", default="02:30")
if BACKUP_AT:
    _backup_hour, _backup_minute = (int(part) for part in BACKUP_AT.split(":"))
    CELERY_BEAT_SCHEDULE["backup"] = {
        "task": "wiits.tasks.backup",
        "schedule": crontab(hour=_backup_hour, minute=_backup_minute),
    }

# --- Monitoring: metrics, logs and errors (issue 23; docs/MONITORING.md) -------------------
# Metrics: /metrics (wiits/metrics.py) for the monitoring addresses above or a bearer token.
# django-prometheus times every request (its two middlewares open and close the list), each
# query of PostgreSQL (its database wrapper; the SQLite quick start keeps Django's own, which
# wiits/checks.py recognises) and the fragment cache (DatabaseCache has no wrapper: its
# queries count as queries). Several gunicorn workers: set PROMETHEUS_MULTIPROC_DIR.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
INSTALLED_APPS += ["django_prometheus", "django_structlog"]
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # The request id, on every log line and the response, before anything can refuse it.
    "wiits.logs.RequestLogMiddleware",
    *MIDDLEWARE,
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "django_prometheus.db.backends.postgresql"
CACHES["fragments"]["BACKEND"] = "django_prometheus.cache.backends.locmem.LocMemCache"
SECURE_REDIRECT_EXEMPT += [r"^metrics$"]  # Prometheus may scrape a machine on the private network
# Logs: JSON lines (production and the tests) or plain text (development), to stderr, with
# the request id, view, status, duration and member id (wiits/logs.py); tasks log the id of
# the request that queued them.
DJANGO_LOG_FORMAT = env.str("DJANGO_LOG_FORMAT", default="plain" if DEBUG else "json")
if DJANGO_LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured("DJANGO_LOG_FORMAT is json or plain.")
from wiits import logs as _logs  # noqa: E402 (beside its settings)

_logs.configure_structlog()
LOGGING = _logs.logging_config(
    json_lines=DJANGO_LOG_FORMAT == "json", level=env.str("DJANGO_LOG_LEVEL", default="INFO")
)
DJANGO_STRUCTLOG_CELERY_ENABLED = True
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False  # the client's address is personal data: the proxy's log has it
DJANGO_STRUCTLOG_USER_ID_FIELD = None  # wiits.logs logs the member's id without loading the member
DJANGO_STRUCTLOG_STATUS_START_LOG_LEVEL = 10  # DEBUG: at INFO, one line a request (request_finished)
# Errors: to Sentry when SENTRY_DSN is set, without personal data (wiits/sentry.py).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="development" if DEBUG else "production")
if SENTRY_DSN:
    from wiits import sentry as _sentry

    _sentry.sentry_init(
        dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT, release=env.str("SENTRY_RELEASE", default=_sentry.release())
    )
