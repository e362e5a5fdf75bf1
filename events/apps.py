from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Events, their agenda and speakers, registrations and the waiting list."""

    name = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from accounts.signals import member_deleting

        from . import services

        # A deleted member's place goes to the waiting list, whichever door deleted them.
        member_deleting.connect(services.release_places_of_deleted_member, dispatch_uid="events.release_places")
