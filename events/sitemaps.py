from common.site import SiteSitemap

from .models import Event


class EventSitemap(SiteSitemap):
    """Every published event, upcoming and past (events.permissions.can_view_event: an
    unpublished one is staff's only), in six languages. No lastmod: an event keeps no date
    of its last change, and its creation date is not one."""

    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Event.objects.published().only("slug").order_by("pk")
