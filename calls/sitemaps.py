from common.site import SiteSitemap

from .models import Call


class CallSitemap(SiteSitemap):
    """Every published call (permissions.can_view_call: the others are staff's only), open,
    upcoming or closed, in six languages; its lastmod is the call's last change."""

    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return Call.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at
