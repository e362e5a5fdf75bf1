from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvisorsConfig(AppConfig):
    """The National Advisory Group. Its models and pages arrive with the advisory-group issue."""

    name = "advisors"
    verbose_name = _("National Advisory Group")
