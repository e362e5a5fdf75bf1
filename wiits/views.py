"""Pages that gather several apps (home, dashboard, data export), /healthz and the
language switch. Each app contributes its own part through its selectors."""

import json
import logging
import sys
from urllib.parse import urlsplit

import redis
from allauth.account.authentication import get_authentication_records
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone, translation
from django.utils.translation import get_language_from_path
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from accounts import selectors as account_selectors
from accounts import services as account_services
from advisors import permissions as adviser_permissions
from advisors import selectors as adviser_selectors
from calls import jury as call_jury
from calls import services as call_services
from calls.models import Application
from common import audit
from common.mail.services import mail_queue_backlog
from common.translated import i18n_columns
from events import selectors as event_selectors
from events.models import Event
from needs import permissions as need_permissions
from needs import selectors as need_selectors
from technologies import selectors as technology_selectors
from technologies.models import Technology
from wiits import backups, permissions

logger = logging.getLogger(__name__)


@require_GET
def home(request):
    latest_nag = Technology.objects.nag_evaluated().for_cards().order_by("-published_at")[:3]
    next_events = Event.objects.published().upcoming()[:3]
    return render(
        request,
        "wiits/home.html",
        {
            "latest_nag": latest_nag,
            "next_events": next_events,
            "success_stories": technology_selectors.success_stories(),
        },
    )


DASHBOARD_LIST_SIZE = 20


# What the dashboard's table of applications shows (the whole call and listing were 120
# columns for Django to build a query for, make bench).
APPLICATION_COLUMNS = (
    *("status", "call", "technology", "call__slug", "call__title", "call__closes_at", "call__time_zone"),
    *("call__results_published_at", "technology__slug", "technology__title"),
    *(f"{related}__{column}" for related in ("call", "technology") for column in i18n_columns("title")),
)


@login_required
@require_GET
def dashboard(request):
    member = account_selectors.member_for_profile(user=request.user)
    technologies = list(technology_selectors.technologies_of_owner(user=request.user)[:DASHBOARD_LIST_SIZE])
    change_requests = technology_selectors.latest_change_requests(technologies=technologies)
    for technology in technologies:
        technology.change_request = change_requests.get(technology.pk)
    adviser = adviser_permissions.adviser_of(request.user)
    applications = list(
        Application.objects.filter(applicant=request.user)
        .select_related("call", "technology")
        .only(*APPLICATION_COLUMNS)
        .order_by("-created_at", "-pk")[:DASHBOARD_LIST_SIZE]
    )
    for application in applications:
        application.status_label = call_services.status_label(application)
    return render(
        request,
        "wiits/dashboard.html",
        {
            "member": member,
            "my_reviews": list(adviser_selectors.review_queue(adviser=adviser)[:DASHBOARD_LIST_SIZE])
            if adviser
            else None,
            # An adviser on a call's jury: the applications waiting for their declaration or scores.
            "my_jury": list(call_jury.assignments_of(adviser)[:DASHBOARD_LIST_SIZE]) if adviser else None,
            "review_overview": adviser_selectors.staff_review_overview()
            if adviser_permissions.can_manage_reviews(request.user)
            else None,
            "technologies": technologies,
            "needs_waiting": list(need_selectors.needs_waiting_for_staff()[:DASHBOARD_LIST_SIZE])
            if need_permissions.can_moderate_needs(request.user)
            else None,
            "needs": need_selectors.needs_of_owner(user=request.user)[:DASHBOARD_LIST_SIZE],
            "in_my_sectors": {
                "technologies": technology_selectors.technologies_in_member_sectors(user=request.user),
                "needs": need_selectors.needs_in_member_sectors(user=request.user),
            },
            # Each says whether it follows up an earlier one (a subquery, not a query per row).
            "inquiries_received": technology_selectors.with_previous_inquiry(
                technology_selectors.inquiries_received(user=request.user)
            )[:DASHBOARD_LIST_SIZE],
            "inquiries_sent": technology_selectors.with_previous_inquiry(
                technology_selectors.inquiries_sent(user=request.user)
            )[:DASHBOARD_LIST_SIZE],
            "registrations": event_selectors.registrations_of_member(user=request.user)[:DASHBOARD_LIST_SIZE],
            "applications": applications,
        },
    )


@never_cache
@login_required
@require_GET
def data_export(request):
    """A member's own data as JSON (GDPR-style access): every app adds its section."""
    data = {
        "exported_at": timezone.now().isoformat(),
        "account": account_selectors.member_export_data(user=request.user),
        "consents": account_selectors.member_consents_export(user=request.user),
        **technology_selectors.member_export_data(user=request.user),
        **need_selectors.member_export_data(user=request.user),
        **event_selectors.member_export_data(user=request.user),
        # What the audit trail recorded of the member's own actions (common/audit.py).
        "audit_trail": audit.member_entries(request.user),
    }
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="wiits-my-data.json"'
    return response


@require_POST
def set_language(request):
    """Django's language switch, which also remembers a member's choice for emails.

    Django translates `next` by resolving it in the active language, which here is
    English (this URL has no prefix); resolve it in the language of its own prefix.
    """
    next_url = request.POST.get("next", "")
    with translation.override(get_language_from_path(urlsplit(next_url).path) or settings.LANGUAGE_CODE):
        response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        account_services.member_set_language(user=request.user, language=language)
    return response


def _check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: database unavailable")
        return False
    return True


def _check_broker() -> bool:
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
    except redis.RedisError:
        logger.warning("Health check: broker unavailable", exc_info=True)
        return False
    return True


@never_cache
@transaction.non_atomic_requests  # ATOMIC_REQUESTS would need the database before the view runs
@require_GET
def healthz(request):
    """200 "ok" or 503 "unhealthy" for anyone; what was checked and the mail queue's counts
    only for signed-in staff and the monitoring addresses (WIITS_MONITORING_ADDRESSES)."""
    database_ok = _check_database()
    checks: dict = {"database": "ok" if database_ok else "unavailable"}
    healthy = database_ok
    if settings.REDIS_URL:
        broker_ok = _check_broker()
        checks["broker"] = "ok" if broker_ok else "unavailable"
        healthy = healthy and broker_ok
    else:
        checks["broker"] = "not configured (tasks run in-process)"
    status = 200 if healthy else 503
    if not _may_see_health_details(request, database_ok=database_ok):
        return JsonResponse({"status": "ok" if healthy else "unhealthy"}, status=status)
    if database_ok:
        checks["mail_queue"] = mail_queue_backlog()
    # The last backup's age: a reason to alert someone, never to answer 503 (wiits/backups.py).
    checks["backup"] = backups.backup_health()
    return JsonResponse({"status": "ok" if healthy else "unhealthy", "checks": checks}, status=status)


def _may_see_health_details(request, *, database_ok: bool) -> bool:
    """A monitoring address (as seen through the trusted proxies), or signed-in staff; the
    session is only read when the database answers."""
    if permissions.is_monitoring_address(request):
        return True
    if not database_ok:
        return False
    try:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        if settings.WIITS_STAFF_REQUIRE_MFA:  # as on every other page (common.middleware)
            return any(record.get("method") == "mfa" for record in get_authentication_records(request, user))
        return True
    except DatabaseError:
        return False


@requires_csrf_token
def server_error(request):
    """Django's 500 page, but 503 with Retry-After when the database could not be reached
    (PostgreSQL restarting, a failover): the request's transaction was rolled back, so
    nothing was half-saved, and the same request works again in a moment (docs/RELIABILITY.md).
    Rendered without the request's context, as Django's own, so it needs no database."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    return defaults.server_error(request)
