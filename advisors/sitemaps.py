from django.contrib.sitemaps import Sitemap

from .models import Adviser


class AdviserSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Adviser.objects.active().only("slug").order_by("pk")
