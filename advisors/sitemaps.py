from common.site import SiteSitemap

from .models import Adviser


class AdviserSitemap(SiteSitemap):
    """The current advisers, whose profiles are public (advisors.views.detail), in six
    languages. No lastmod: an adviser's profile keeps no date of its last change."""

    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Adviser.objects.current().only("slug").order_by("pk")
