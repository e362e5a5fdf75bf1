"""The audit trail's list in the admin, searchable by the portal's own fields (common/audit.py)."""

from auditlog.models import LogEntry
from django.contrib import admin

from .audit import LogEntryAdmin

admin.site.unregister(LogEntry)
admin.site.register(LogEntry, LogEntryAdmin)
