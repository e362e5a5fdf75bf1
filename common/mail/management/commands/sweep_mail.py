from django.core.management.base import BaseCommand

from common.mail.services import mail_queue_backlog, mail_queue_sweep


class Command(BaseCommand):
    help = "Retry deferred emails and send everything waiting in the mail queue (needs no broker)."

    def handle(self, *args, **options):
        retried = mail_queue_sweep()
        backlog = mail_queue_backlog()
        self.stdout.write(
            f"Retried {retried} deferred; now queued {backlog['queued']}, deferred {backlog['deferred']}."
        )
