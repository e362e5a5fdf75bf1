from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from mailer.admin import MessageAdmin
from mailer.models import PRIORITY_MEDIUM, Message

from .backend import dispatch_send_queue


class QueueMessageAdmin(MessageAdmin):
    """django-mailer's queue view, with failures easy to find and to resend."""

    list_filter = ["priority"]
    actions = ["resend_messages"]

    @admin.action(description=_("Resend the selected messages"), permissions=["change"])
    def resend_messages(self, request, queryset):
        count = queryset.update(priority=PRIORITY_MEDIUM, retry_count=0)
        transaction.on_commit(dispatch_send_queue, robust=True)
        messages.info(
            request,
            ngettext_lazy(
                "%(count)d message put back in the queue to be sent.",
                "%(count)d messages put back in the queue to be sent.",
                "count",
            )
            % {"count": count},
        )


admin.site.unregister(Message)
admin.site.register(Message, QueueMessageAdmin)
