"""Public pages of calls (the list, a call, its feed and deadline calendar): built by the
public-pages part of issue 21. Nothing here shows an application but the winners' and
finalists' technologies, and only once staff have published the results."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET
from icalendar import Alarm, Calendar
from icalendar import Event as CalendarEvent

from advisors.models import Adviser
from common.site import site_url
from common.translated import reading, translated, wants_original
from events.calendars import add_timezones

from . import permissions
from .models import Application, ApplicationStatus, Call, Stage

# The outcomes the call's page shows once the results are published.
SHOWN_RESULTS = [ApplicationStatus.WINNER, ApplicationStatus.FINALIST]
CALL_TEXTS = ("title", "theme", "description", "focus", "eligibility_rules")


def _call_for(user, slug: str, *, detail: bool = False) -> Call:
    """The call at `slug` if `user` may know it exists (permissions.can_view_call), else 404;
    with `detail`, with everything its page shows, in a fixed number of queries."""
    calls = Call.objects.filter(slug=slug)
    if detail:
        calls = calls.prefetch_related(
            "sectors",
            "sdgs",
            "criteria",
            "questions",
            Prefetch("jury", queryset=Adviser.objects.select_related("user").order_by("order", "user__name")),
        )
    call = calls.first()
    if call is None or not permissions.can_view_call(user, call):
        raise Http404
    return call


@require_GET
def call_list(request):
    """Published calls: open ones (deadline soonest first), upcoming, closed (newest first).
    One read of the calls and one per prefetched relation, however many there are."""
    now = timezone.now()
    calls = list(Call.objects.published().prefetch_related("sectors", "sdgs").order_by("closes_at", "pk"))
    # The same rules as CallQuerySet.open_at / upcoming_at / closed_at, on the rows read once.
    open_calls = [call for call in calls if call.opens_at <= now < call.closes_at]
    upcoming = sorted((call for call in calls if call.opens_at > now), key=lambda call: (call.opens_at, call.pk))
    closed = sorted(
        (call for call in calls if call.closes_at <= now), key=lambda call: (-call.closes_at.timestamp(), call.pk)
    )
    return render(
        request,
        "calls/call_list.html",
        {"open_calls": open_calls, "upcoming_calls": upcoming, "closed_calls": closed},
    )


def _results(call: Call) -> list[Application]:
    """The winners and finalists, with their technology and organisation; nothing before
    the results are published."""
    if not call.results_published_at:
        return []
    return list(
        Application.objects.filter(call=call, status__in=SHOWN_RESULTS)
        .select_related("technology", "technology__organisation")
        .order_by("pk")
    )


@require_GET
def call_detail(request, slug):
    call = _call_for(request.user, slug, detail=True)
    texts = reading(call, CALL_TEXTS, original=wants_original(request))
    focus = texts.texts["focus"]
    results = _results(call)
    now = timezone.now()
    return render(
        request,
        "calls/call_detail.html",
        {
            "call": call,
            "reading": texts,
            "focus_lines": [line.strip() for line in focus.text.splitlines() if line.strip()],
            "stages": [stage.label for stage in Stage if call.uses(stage)],
            "is_open": call.is_open(now),
            "is_upcoming": call.opens_at > now,
            "can_apply": permissions.can_apply(request.user, call),
            # Winners, then finalists: nothing else of the applications is shown.
            "result_groups": [
                (gettext_lazy("Winners"), [a for a in results if a.status == ApplicationStatus.WINNER]),
                (gettext_lazy("Finalists"), [a for a in results if a.status == ApplicationStatus.FINALIST]),
            ],
            "has_results": bool(results),
        },
    )


class LatestCallsFeed(Feed):
    """The newest published calls. Every address in the feed is on SITE_URL (common.site),
    in the feed's language; titles and themes by the fallback chain."""

    title = gettext_lazy("WiiTs: calls for solutions")
    description = gettext_lazy(
        "Calls for sustainable industrial solutions on WiiTs: themes, who may apply, deadlines."
    )

    def link(self):
        return site_url(reverse("calls:list"))

    def feed_url(self):
        return site_url(reverse("calls:feed"))

    def items(self):
        return Call.objects.published().order_by("-opens_at", "-pk")[:30]

    def item_title(self, item):
        return translated(item, "title").text

    def item_description(self, item):
        return translated(item, "theme").text

    def item_pubdate(self, item):
        return item.opens_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_link(self, item):
        return site_url(item.get_absolute_url())


@require_GET
def call_deadline_ics(request, slug):
    """The call's deadline as a calendar event in the call's time zone (TZID and its
    VTIMEZONE), with a reminder a day before; title by the fallback chain."""
    call = _call_for(request.user, slug)
    deadline = timezone.localtime(call.closes_at, call.zone)
    calendar = Calendar()
    calendar.add("prodid", "-//WiiTs//Calls//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    title = translated(call, "title").text
    calendar.add("x-wr-calname", title)
    entry = CalendarEvent()
    entry.add("uid", f"call-{call.pk}-deadline@{settings.SITE_URL.split('://')[-1]}")
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", deadline)
    entry.add("summary", gettext("Deadline: %(title)s") % {"title": title})
    entry.add("description", translated(call, "theme").text)
    # Reversed in the request's language (its prefix), on the site's address.
    entry.add("url", site_url(call.get_absolute_url()))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", gettext("Deadline: %(title)s") % {"title": title})
    alarm.add("trigger", -datetime.timedelta(days=1))
    entry.add_component(alarm)
    calendar.add_component(entry)
    add_timezones(calendar, {deadline.year})
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{call.slug}-deadline.ics"'
    return response
