from common.site import SiteSitemap

from .models import Technology


class TechnologySitemap(SiteSitemap):
    changefreq = "weekly"
    priority = 0.7
    limit = 5000

    def items(self):
        return Technology.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at
