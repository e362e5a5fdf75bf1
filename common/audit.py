"""The audit trail (django-auditlog): who changed what, when, from which address.

Every create, change and delete of the models named in AUDITLOG_INCLUDE_TRACKING_MODELS
(wiits/settings.py) is one `auditlog.LogEntry`, whatever door it came through (the site's
pages, the admin, tasks, imports), with each field's old and new value. What this module
adds to the library:
- the address is the client's as the rest of the portal sees it (through
  ALLAUTH_TRUSTED_PROXY_COUNT proxies, as the rate limits), not the first item of an
  X-Forwarded-For header that any client may write;
- the entry's correlation id is the request's id (the X-Request-ID of the logs), so an
  entry leads to the request's log lines;
- `forget_member`: what account deletion does to the trail (the privacy notice);
- `member_entries`: the member's part, for their data export;
- `prune`: entries older than AUDIT_LOG_KEEP_DAYS are deleted (a daily task).
"""

import datetime
from contextvars import ContextVar

import structlog
from allauth.account.adapter import get_adapter as get_account_adapter
from auditlog.admin import LogEntryAdmin as AuditlogLogEntryAdmin
from auditlog.context import disable_auditlog
from auditlog.middleware import AuditlogMiddleware
from auditlog.mixins import AuditlogHistoryAdminMixin
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import router
from django.db.models import Q
from django.db.models.deletion import Collector
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

# The X-Request-ID a request came with, when the logs have not bound an id of their own.
_given_request_id: ContextVar[str | None] = ContextVar("wiits_given_request_id", default=None)


def _sane_request_id(value: str) -> str | None:
    return value if value and len(value) <= 200 and value.isprintable() else None


class AuditMiddleware(AuditlogMiddleware):
    """auditlog's middleware with the portal's reading of the client's address."""

    def __call__(self, request):
        token = _given_request_id.set(_sane_request_id(request.headers.get("X-Request-ID", "")))
        try:
            return super().__call__(request)
        finally:
            _given_request_id.reset(token)

    @staticmethod
    def _get_remote_addr(request):
        try:
            return get_account_adapter().get_client_ip(request)
        except (PermissionDenied, ValueError):  # no address, or a forged one
            return None

    @staticmethod
    def _get_remote_port(request):
        return None  # a client's port says nothing an operator needs


def request_id() -> str | None:
    """AUDITLOG_CID_GETTER: the id the request's log lines carry (django-structlog binds it),
    else a sane X-Request-ID the request came with; None outside a request (tasks)."""
    bound = structlog.contextvars.get_contextvars().get("request_id")
    if bound:
        return str(bound)[:255]
    return _given_request_id.get()


def _objects_deleted_with(user) -> Q:
    """The audited objects that deleting `user` deletes with it (their listings, needs,
    registrations...), found as Django's own deletion finds them."""
    collector = Collector(using=router.db_for_write(type(user)))
    collector.collect([user])
    matches = Q(pk__in=[])
    for model, instances in collector.data.items():
        content_type = ContentType.objects.get_for_model(model)
        keys = [str(instance.pk) for instance in instances]
        matches |= Q(content_type=content_type, object_pk__in=keys)
    return matches


def forget_member(user) -> None:
    """Before `user`'s account is deleted (accounts.services.member_delete): the entries
    about the account and about everything deleted with it go; the entries of what the
    member did to others' objects stay, without their name, email or address (the
    change happened; who made it leaves with the account). The deletion itself is not
    logged object by object (that would copy the member's texts into new entries)."""
    LogEntry.objects.filter(_objects_deleted_with(user)).delete()
    LogEntry.objects.filter(actor=user).update(actor=None, actor_email=None, remote_addr=None, remote_port=None)


def deleting_without_trail():
    """A context in which deletions are not logged (account deletion's cascade)."""
    return disable_auditlog()


def member_entries(user) -> list[dict]:
    """The trail's entries of what `user` did, for their own data export."""
    rows = LogEntry.objects.filter(actor=user).select_related("content_type").order_by("timestamp")
    return [
        {
            "at": entry.timestamp.isoformat(),
            "action": entry.get_action_display(),
            "object": f"{entry.content_type.app_label}.{entry.content_type.model}",
            "object_description": entry.object_repr,
            "changes": entry.changes,
            "address": entry.remote_addr,
        }
        for entry in rows
    ]


def prune(now=None) -> int:
    """Delete the entries older than AUDIT_LOG_KEEP_DAYS; how many went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.AUDIT_LOG_KEEP_DAYS)
    deleted, _by_model = LogEntry.objects.filter(timestamp__lt=cutoff).delete()
    return deleted


class AuditTrailAdmin(AuditlogHistoryAdminMixin):
    """A ModelAdmin mixin: the object's audit trail at <object>/auditlog/, linked from its
    change page ("Audit trail", beside "History") and searchable in the admin's Log entries."""

    def auditlog_history_view(self, request, object_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:  # auditlog's view would fail
            raise Http404
        return super().auditlog_history_view(request, object_id, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        opts = self.model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_auditlog", args=[object_id])
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "audit_trail_url": url})


class LogEntryAdmin(AuditlogLogEntryAdmin):
    """auditlog's list of every entry, searchable by what members of this portal have (no
    first and last names): the object's description, the changes, who, the address, the
    request id."""

    search_fields = ["object_repr", "changes", "actor__email", "actor__name", "remote_addr", "cid"]

    # A trail that the people it records could edit would prove nothing: read-only for
    # everyone; entries leave only by age (prune) or with a member's account.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
