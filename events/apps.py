from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Events and registrations. Models and pages arrive with the events issue."""

    name = "events"
    verbose_name = _("Events")
