from common.site import SiteSitemap

from .models import Technology


class TechnologySitemap(SiteSitemap):
    """Every published listing (the only ones the public may see), in six languages; its
    lastmod is the listing's last change."""

    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return Technology.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at
