from common.site import SiteSitemap
from technologies.models import Need


class NeedSitemap(SiteSitemap):
    """Every published need (needs.permissions.can_view_need: the others are their owner's
    and staff's only), in six languages; its lastmod is the need's last change."""

    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Need.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at
