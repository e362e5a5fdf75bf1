from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    """The templated, per-language email helper and the tasks that send the queue.

    The queue itself is django-mailer's: a database backend behind Django's email API,
    row-locked sending, deferral and retries. This app adds what it lacks: dispatching a
    Celery task after commit, rendering in the recipient's language, and the sweep.
    """

    name = "common.mail"
    label = "wiits_mail"
    verbose_name = _("Email")
