from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvisorsConfig(AppConfig):
    """The National Advisory Group: advisers, the charter, criteria, reviews and decisions."""

    name = "advisors"
    verbose_name = _("National Advisory Group")

    def ready(self) -> None:
        from technologies.signals import technology_moved

        from . import services

        # The review's rules live in every transition of a listing, whatever the door.
        technology_moved.connect(services.keep_review_rules, dispatch_uid="advisors.keep_review_rules")
