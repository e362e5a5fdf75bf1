from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from mailer.admin import MessageAdmin
from mailer.models import PRIORITY_MEDIUM, Message

from .services import mail_queue_send


class QueueMessageAdmin(MessageAdmin):
    """django-mailer's queue view, with failures easy to find and to resend."""

    list_filter = ["priority"]
    actions = ["resend_messages"]

    @admin.action(description=_("Resend the selected messages now"))
    def resend_messages(self, request, queryset):
        count = queryset.update(priority=PRIORITY_MEDIUM)
        mail_queue_send()
        messages.info(request, _("%(count)d message(s) put back in the queue and sent.") % {"count": count})


admin.site.unregister(Message)
admin.site.register(Message, QueueMessageAdmin)
