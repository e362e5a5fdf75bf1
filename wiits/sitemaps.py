"""The sitemap's section of the site's own pages: home, the lists and the charter, in six
languages. Their lastmod is the newest change of what they show when that is known, and
absent when it is not (never "today")."""

import datetime

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from advisors.models import Charter
from common.site import SiteSitemap
from technologies.models import Need, NeedStatus, Technology, TechnologyStatus

# Rows in these states are, or were until their last change, on the catalogue or the
# needs' list: leaving it (withdrawn, expired, fulfilled) changed the list. These states
# are final, so a later change of such a row does not happen through the workflow.
CATALOGUE_STATUSES = [TechnologyStatus.PUBLISHED, TechnologyStatus.WITHDRAWN, TechnologyStatus.EXPIRED]
NEEDS_LIST_STATUSES = [NeedStatus.PUBLISHED, NeedStatus.FULFILLED, NeedStatus.WITHDRAWN, NeedStatus.EXPIRED]


def _catalogue_changed():
    return Technology.objects.filter(status__in=CATALOGUE_STATUSES).aggregate(latest=Max("updated_at"))["latest"]


def _needs_changed():
    return Need.objects.filter(status__in=NEEDS_LIST_STATUSES).aggregate(latest=Max("updated_at"))["latest"]


def _charter_changed():
    """The day the charter in force took effect (versions keep no other date of change)."""
    charter = Charter.objects.current()
    if charter is None:
        return None
    # A datetime, as the other lastmods are (the sitemap compares them).
    return datetime.datetime.combine(charter.effective_date, datetime.time.min, tzinfo=timezone.get_current_timezone())


class PageSitemap(SiteSitemap):
    changefreq = "daily"
    priority = 0.8

    # URL name: how its lastmod is found, or None. Home (upcoming events, which keep no
    # date of change), the events' and calls' lists (the lists change as time passes:
    # events keep no date, calls open and close) and the advisers' directory (advisers
    # keep none) have no true date.
    PAGES = {
        "home": None,
        "technologies:catalogue": _catalogue_changed,
        "needs:list": _needs_changed,
        "events:upcoming": None,
        "events:past": None,
        "calls:list": None,
        "advisors:group": None,
        "advisors:charter": _charter_changed,
    }

    def items(self):
        return list(self.PAGES)

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        # Asked once per language: each date is read once per request.
        found = self.__dict__.setdefault("_lastmods", {})
        if item not in found:
            find = self.PAGES[item]
            found[item] = find() if find else None
        return found[item]
