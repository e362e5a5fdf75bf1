"""Deployment checks: `manage.py check --deploy` warns about settings that only make
sense in development, so a production start with them fails the deploy check."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_production_services(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    warnings = []
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        warnings.append(
            Warning("SQLite is the quick-start database.", hint="Set DATABASE_URL to PostgreSQL.", id="wiits.W001")
        )
    if not settings.REDIS_URL:
        warnings.append(
            Warning(
                "No REDIS_URL: tasks (email sending) would run inside web requests.",
                hint="Set REDIS_URL and run Celery workers and beat.",
                id="wiits.W002",
            )
        )
    if settings.MAILER_DELIVERY_BACKEND == "django.core.mail.backends.filebased.EmailBackend":
        warnings.append(
            Warning(
                "No EMAIL_URL: emails would be written to files, not sent.",
                hint="Set EMAIL_URL to your SMTP server.",
                id="wiits.W003",
            )
        )
    if not settings.WIITS_STAFF_REQUIRE_MFA:
        warnings.append(
            Warning(
                "Staff can use the site and /admin/ without two-factor authentication.",
                hint="Leave WIITS_STAFF_REQUIRE_MFA unset (on) in production.",
                id="wiits.W004",
            )
        )
    if settings.WIITS_DEV_TOOLS:
        warnings.append(
            Warning(
                "The development tools (demo loader, generators, benchmark, fault injection) are installed.",
                hint="Leave WIITS_DEV_TOOLS unset (off unless DJANGO_DEBUG) in production.",
                id="wiits.W005",
            )
        )
    return warnings
