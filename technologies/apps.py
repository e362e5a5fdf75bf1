from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TechnologiesConfig(AppConfig):
    """The technology catalogue. Its models, workflow and pages arrive with the catalogue issue."""

    name = "technologies"
    verbose_name = _("Technologies")

    def ready(self):
        from . import search

        search.connect_receivers()
