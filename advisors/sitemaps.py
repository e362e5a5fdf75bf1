from common.site import SiteSitemap

from .models import Adviser


class AdviserSitemap(SiteSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Adviser.objects.active().only("slug").order_by("pk")
