"""Demo matchmaking: technology needs, answers to them, cooperation inquiries with their
outcomes, and a year of listing views, so that the needs pages, the members' inquiry
pages and the staff reports look like those of a platform in use.

Needs, answers, inquiries, outcomes and staff confirmations go through the services as
members and staff would; the services stamp "now", so the dates are then moved back over
the past year with queryset updates. The published demo technologies are spread the same
way over the past thirteen months, so that nothing is viewed or asked about before it was
listed. Every organisation and person here is invented and marked "(fictional)"; the same
`today` always gives the same data. Runs inside the caller's transaction and leaves the
emails the services queue to the caller. What the members write is data, in
data/matchmaking.yaml (and data/translations.yaml). Some needs are written in Arabic,
Chinese, French, Russian or Spanish (`original_language`), with or without `translations`.
"""

import math
import random
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone
from django_countries import countries

from accounts.services import organisation_get_or_create
from common.reference.models import CooperationType, Sector, SustainableDevelopmentGoal
from common.translated import translated
from devtools.demo import data
from devtools.demo.technologies import _member_email, translation_columns
from needs import services as need_services
from technologies import services
from technologies.models import (
    DeclineReason,
    Inquiry,
    ListingViewDay,
    Need,
    NeedStatus,
    NeedTransition,
    Outcome,
    Technology,
    TechnologyTransition,
)

# The demo accounts in data/matchmaking.yaml: the member Amina Diallo and the innovator Chen Jie.
MANUFACTURER = "manufacturer"
INNOVATOR = "innovator"

# Fictional members who post needs and send inquiries, the same profile for the demo member
# account, the needs, the answers to them and the inquiries written out in full.
_DATA = data.load("matchmaking")
MEMBERS: dict[str, dict] = _DATA["members"]
MANUFACTURER_PROFILE: dict = _DATA["manufacturer_profile"]
DEMO_NEEDS: list[dict] = _DATA["needs"]
DEMO_ANSWERS: list[dict] = _DATA["answers"]
DEMO_INQUIRIES: list[dict] = _DATA["inquiries"]

# Ordinary inquiries generated from a fixed seed, per 30-day period, oldest first: the
# platform grows toward recent months. Their texts, and the notes of their outcomes.
GENERATED_PER_MONTH = [1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6]
_GENERATED = _DATA["generated"]
OPENINGS: list[str] = _GENERATED["openings"]
ASKS: dict[str, str] = _GENERATED["asks"]
DISCUSSION_NOTES: list[str] = _GENERATED["discussion_notes"]
AGREEMENT_NOTES: dict[str, str] = _GENERATED["agreement_notes"]
DECLINE_NOTES: dict[str, str] = _GENERATED["decline_notes"]

# What the generated inquiries turn into, among those old enough to have an outcome.
GENERATED_AGREEMENTS = 4
GENERATED_DISCUSSIONS = 7
GENERATED_DECLINES: list[str] = _GENERATED["declines"]

# --- Dates ----------------------------------------------------------------------------------

CATALOGUE_OLDEST_DAYS = 390  # the first demo technology was published this long ago...
CATALOGUE_NEWEST_DAYS = 30  # ...and the last one this long ago
VIEW_DAYS = 365


class _Clock:
    """Moments before `today` (local time), so nothing lands in the future."""

    def __init__(self, today: date):
        self.today = today
        self.midnight = timezone.make_aware(datetime.combine(today, time.min))

    def days_ago(self, days: float, hour: int = 10, minute: int = 0) -> datetime:
        return self.midnight - timedelta(days=days) + timedelta(hours=hour, minutes=minute)

    def cap(self, moment: datetime) -> datetime:
        """`moment`, or the evening before today if it would be later."""
        return min(moment, self.midnight - timedelta(hours=4))


def _country_name(code) -> str:
    return dict(countries).get(str(code), str(code))


# --- Members --------------------------------------------------------------------------------


def _member(key: str):
    """The fictional member `key` of MEMBERS, created the first time (no usable password)."""
    User = get_user_model()
    profile = MEMBERS[key]
    email = _member_email(profile["organisation"])
    member = User.objects.filter(email=email).first()
    if member is None:
        member = User(
            email=email,
            name=profile["name"],
            job_title=profile["job_title"],
            organisation=organisation_get_or_create(name=profile["organisation"]),
            stakeholder_type=profile["type"],
            country=profile["country"],
        )
        member.set_unusable_password()
        member.save()
        member.sectors.set(Sector.objects.filter(slug__in=profile["sectors"]))
    return member


# --- The catalogue's history ------------------------------------------------------------------


def _spread_catalogue(clock: _Clock) -> list[Technology]:
    """Move the publication of the published technologies back over the past thirteen months,
    NAG-evaluated ones first, with their history; return them oldest first."""
    published = list(
        Technology.objects.published()
        .select_related("owner", "sector")
        .prefetch_related("cooperation")
        .order_by("-nag_evaluated", "pk")
    )
    span = CATALOGUE_OLDEST_DAYS - CATALOGUE_NEWEST_DAYS
    for index, technology in enumerate(published):
        days = CATALOGUE_OLDEST_DAYS - round(index * span / max(len(published) - 1, 1))
        published_at = clock.days_ago(days, hour=9 + index % 8, minute=(index * 13) % 60)
        shift = technology.published_at - published_at
        Technology.objects.filter(pk=technology.pk).update(
            created_at=F("created_at") - shift, submitted_at=F("submitted_at") - shift, published_at=published_at
        )
        TechnologyTransition.objects.filter(technology=technology).update(at=F("at") - shift)
        technology.published_at = published_at
    return published


# --- Needs ----------------------------------------------------------------------------------


def _create_need(entry: dict, *, owner, staff, clock: _Clock, refs: dict) -> Need:
    original_language = entry.get("original_language", settings.LANGUAGE_CODE)
    need = need_services.need_create(
        owner=owner,
        fields={
            "original_language": original_language,
            # Created with its translations: the service indexes every language at once.
            **translation_columns(entry.get("translations"), original_language=original_language),
            "title": entry["title"],
            "problem": entry["problem"],
            "sector": refs["sectors"][entry["sector"]],
            "country": entry["country"],
            "trl_min": entry["trl_min"],
            "valid_until": clock.today + timedelta(days=entry["valid_days"]),
        },
        sdgs=[refs["sdgs"][number] for number in entry["sdgs"]],
        cooperation=[refs["cooperation"][slug] for slug in entry["cooperation"]],
    )
    workflow, days = entry["workflow"], entry["days"]
    if workflow != "draft":
        need_services.need_submit(need=need, by=owner)
    if workflow == "returned":
        need_services.need_return(need=need, by=staff, message=entry["return_message"])
    if workflow in ("published", "fulfilled"):
        need_services.need_publish(need=need, by=staff)
    # Back to the dates of the plan: the row and each step of its history.
    moments = {step: clock.days_ago(day, hour=9 + n * 2, minute=15 * n) for n, (step, day) in enumerate(days.items())}
    Need.objects.filter(pk=need.pk).update(
        created_at=moments["created"],
        submitted_at=moments.get("submitted"),
        published_at=moments.get("published"),
    )
    for step in ("submitted", "returned", "published"):
        if step in moments:
            NeedTransition.objects.filter(need=need, to_status=step).update(at=moments[step])
    need.refresh_from_db()
    return need


# --- Inquiries and their outcomes ----------------------------------------------------------------


def _move_inquiry(inquiry: Inquiry, created_at: datetime) -> Inquiry:
    """Date an inquiry just sent: right away, so the sender's daily limit counts it as past."""
    Inquiry.objects.filter(pk=inquiry.pk).update(created_at=created_at)
    inquiry.created_at = created_at
    return inquiry


def _record_outcome(inquiry: Inquiry, plan: dict, *, recipient, staff, clock: _Clock, refs: dict) -> None:
    """Record `plan` through the services, then date it after the inquiry.

    plan: outcome; discussed (days after the inquiry, when a discussion took place);
    settled (days after the discussion, or after the inquiry if none, when it ended in an
    agreement or a refusal); agreement_type (slug), decline_reason, note; story (the
    recipient consents to have it featured); confirm (days after the agreement, when staff
    confirmed it) and success_story.
    """
    outcome = plan["outcome"]
    discussed = "discussed" in plan
    if discussed and outcome != Outcome.IN_DISCUSSION:
        services.inquiry_record_outcome(inquiry=inquiry, by=recipient, outcome=Outcome.IN_DISCUSSION)
    services.inquiry_record_outcome(
        inquiry=inquiry,
        by=recipient,
        outcome=outcome,
        agreement_type=refs["cooperation"][plan["agreement_type"]] if outcome == Outcome.AGREEMENT else None,
        decline_reason=plan.get("decline_reason", ""),
        note=plan.get("note", ""),
        feature_consent=bool(plan.get("story")),
        story=plan.get("story", ""),
    )
    discussed_at = clock.cap(inquiry.created_at + timedelta(days=plan["discussed"], hours=3)) if discussed else None
    start = discussed_at or inquiry.created_at
    settled_at = clock.cap(start + timedelta(days=plan.get("settled", 0), hours=2)) if "settled" in plan else start
    dates = {"discussed_at": discussed_at, "outcome_at": settled_at}
    if outcome == Outcome.AGREEMENT:
        dates["agreed_at"] = settled_at
    Inquiry.objects.filter(pk=inquiry.pk).update(**dates)
    if plan.get("success_story"):
        # The sender agrees too, from their dashboard.
        services.inquiry_set_partner_consent(inquiry=inquiry, by=inquiry.sender, consent=True)
    if outcome == Outcome.AGREEMENT and "confirm" in plan:
        services.inquiry_confirm_agreement(inquiry=inquiry, by=staff, success_story=plan.get("success_story", False))
        confirmed_at = clock.cap(settled_at + timedelta(days=plan["confirm"], hours=1))
        Inquiry.objects.filter(pk=inquiry.pk).update(agreement_confirmed_at=confirmed_at)


def _answer_needs(*, needs: dict, technologies: dict, staff, clock: _Clock, refs: dict) -> list[Inquiry]:
    answers = []
    for entry in DEMO_ANSWERS:
        need, technology = needs[entry["need"]], technologies[entry["technology"]]
        answer = need_services.need_answer(
            need=need,
            technology=technology,
            sender=technology.owner,
            cooperation=refs["cooperation"][entry["cooperation"]],
            message=entry["message"],
        )
        if "after" in entry:
            created_at = max(need.published_at, technology.published_at) + timedelta(days=entry["after"], hours=2)
        else:
            created_at = clock.days_ago(entry["days_ago"], hour=11, minute=20)
        _move_inquiry(answer, clock.cap(created_at))
        if "outcome" in entry:
            _record_outcome(answer, entry["outcome"], recipient=need.owner, staff=staff, clock=clock, refs=refs)
        answers.append(answer)
    return answers


def _send_written_inquiries(*, members: dict, technologies: dict, staff, clock: _Clock, refs: dict) -> list[Inquiry]:
    inquiries = []
    for entry in DEMO_INQUIRIES:
        sender, technology = members[entry["sender"]], technologies[entry["technology"]]
        inquiry = services.inquiry_create(
            technology=technology,
            sender=sender,
            cooperation=refs["cooperation"][entry["cooperation"]],
            organisation_name=sender.organisation.name,
            message=entry["message"],
        )
        _move_inquiry(inquiry, clock.days_ago(entry["days_ago"], hour=15, minute=5))
        if "outcome" in entry:
            _record_outcome(inquiry, entry["outcome"], recipient=technology.owner, staff=staff, clock=clock, refs=refs)
        inquiries.append(inquiry)
    return inquiries


def _inquiry_message(*, sender, intro: str, technology: Technology, cooperation: str, rng: random.Random) -> str:
    # The inquiries are written in English: the listing's English title if it has one.
    opening = rng.choice(OPENINGS).format(title=translated(technology, "title", "en").text)
    ask = ASKS[cooperation].format(country=_country_name(sender.country))
    return (
        f"Dear {technology.owner.name},\n\n{intro} {opening}\n\n{ask}\n\n"
        f"Kind regards,\n{sender.name}\n{sender.organisation.name}"
    )


def _asks_about(profile: dict, technology: Technology) -> bool:
    """Whether a member of `profile` would ask about `technology`: its sector, or a word of its
    title (the words are English: the original title and its English translation)."""
    about = profile["asks_about"]
    title = f"{technology.title}\n{technology.title_i18n_en or ''}".lower()
    return not about or any(item == technology.sector.slug or item in title for item in about)


def _send_generated_inquiries(
    *, members: dict, profiles: dict, published: list[Technology], taken: set, clock: _Clock, refs: dict
) -> list[Inquiry]:
    """Inquiries from the demo members about technologies they would care about, for a kind of
    cooperation both sides want, dated over the past twelve months, more each month.
    Deterministic: one seeded generator."""
    rng = random.Random(2021)  # noqa: S311 (reproducible demo data, not cryptography)
    inquiries = []
    for months_ago, count in zip(range(len(GENERATED_PER_MONTH) - 1, -1, -1), GENERATED_PER_MONTH, strict=True):
        for _ in range(count):
            created_at = clock.days_ago(30 * months_ago + rng.randint(1, 29), rng.randint(8, 17), rng.randint(0, 59))
            listed = [t for t in published if t.published_at <= created_at - timedelta(days=3)]
            if not listed:
                continue
            for _attempt in range(20):  # a technology someone would ask about
                technology = rng.choices(listed, weights=[3 if t.nag_evaluated else 1 for t in listed])[0]
                offered = {kind.slug for kind in technology.cooperation.all()}
                candidates = [
                    key
                    for key, member in members.items()
                    if member.pk != technology.owner_id
                    and (key, technology.pk) not in taken
                    and _asks_about(profiles[key], technology)
                    and offered & set(profiles[key]["seeks"])
                ]
                if candidates:
                    break
            else:
                continue
            key = rng.choice(candidates)
            taken.add((key, technology.pk))
            sender = members[key]
            cooperation = rng.choice(sorted(offered & set(profiles[key]["seeks"])))
            inquiry = services.inquiry_create(
                technology=technology,
                sender=sender,
                cooperation=refs["cooperation"][cooperation],
                organisation_name=sender.organisation.name,
                message=_inquiry_message(
                    sender=sender,
                    intro=profiles[key]["intro"],
                    technology=technology,
                    cooperation=cooperation,
                    rng=rng,
                ),
            )
            inquiries.append(_move_inquiry(inquiry, created_at))
    return inquiries


def _generated_outcomes(inquiries: list[Inquiry], *, staff, clock: _Clock, refs: dict) -> None:
    """About half the generated inquiries get an outcome; the most recent have none yet."""
    rng = random.Random(2022)  # noqa: S311 (reproducible demo data, not cryptography)
    old = [inquiry for inquiry in inquiries if inquiry.created_at <= clock.days_ago(120)]
    settled = [inquiry for inquiry in inquiries if inquiry.created_at <= clock.days_ago(21)]
    agreements = rng.sample(old, min(GENERATED_AGREEMENTS, len(old)))
    rest = [inquiry for inquiry in settled if inquiry not in agreements]
    declines = rng.sample(rest, min(len(GENERATED_DECLINES), len(rest)))
    rest = [inquiry for inquiry in rest if inquiry not in declines]
    discussions = rng.sample(rest, min(GENERATED_DISCUSSIONS, len(rest)))
    plans = []
    for n, inquiry in enumerate(sorted(agreements, key=lambda i: i.created_at)):
        kind = inquiry.cooperation.slug
        plan = {
            "outcome": Outcome.AGREEMENT,
            "agreement_type": kind,
            "discussed": rng.randint(4, 14),
            "settled": rng.randint(35, 90),
            "note": AGREEMENT_NOTES[kind].format(country=_country_name(inquiry.sender.country)),
        }
        if n == 0:
            plan["confirm"] = 5  # the oldest agreement is confirmed by staff; the others wait
        plans.append((inquiry, plan))
    for inquiry, reason in zip(sorted(declines, key=lambda i: i.created_at), GENERATED_DECLINES, strict=False):
        plan = {"outcome": Outcome.DECLINED, "decline_reason": reason, "note": DECLINE_NOTES[reason]}
        if reason == DeclineReason.TERMS:
            plan.update(discussed=rng.randint(4, 10), settled=rng.randint(15, 40))
        else:
            plan["settled"] = rng.randint(3, 15)
        plans.append((inquiry, plan))
    for inquiry in discussions:
        plans.append(
            (
                inquiry,
                {
                    "outcome": Outcome.IN_DISCUSSION,
                    "discussed": rng.randint(3, 15),
                    "note": rng.choice(DISCUSSION_NOTES),
                },
            )
        )
    for inquiry, plan in plans:
        _record_outcome(inquiry, plan, recipient=inquiry.technology.owner, staff=staff, clock=clock, refs=refs)


# --- Listing views --------------------------------------------------------------------------------


def _load_views(published: list[Technology], *, clock: _Clock) -> tuple[int, int]:
    """Daily view counts of the published technologies over the past year, up to yesterday:
    a burst after publication, fewer at weekends, more for NAG-evaluated listings and more
    as the platform grows. Returns (rows, views)."""
    rng = random.Random(2020)  # noqa: S311 (reproducible demo data, not cryptography)
    first_day = clock.today - timedelta(days=VIEW_DAYS)
    rows = []
    for technology in published:
        base = (6.0 if technology.nag_evaluated else 3.0) * rng.uniform(0.7, 1.4)
        published_on = timezone.localdate(technology.published_at)
        day = max(published_on, first_day)
        while day < clock.today:
            growth = 0.4 + 1.6 * (day - first_day).days / VIEW_DAYS
            weekday = 0.6 if day.weekday() >= 5 else 1.0
            novelty = 1.0 + 2.0 * max(0, 14 - (day - published_on).days) / 14
            mean = base * growth * weekday * novelty
            views = max(0, round(rng.gauss(mean, math.sqrt(mean))))
            if views:
                rows.append(ListingViewDay(technology=technology, day=day, views=views))
            day += timedelta(days=1)
    ListingViewDay.objects.bulk_create(rows, batch_size=1000)
    return len(rows), sum(row.views for row in rows)


# --- Entry point ----------------------------------------------------------------------------------


def load_demo_matchmaking(*, staff, manufacturer, innovator, today: date | None = None) -> dict[str, int]:
    """Create the demo needs, answers, inquiries with outcomes and listing views; return counts.

    Needs the demo catalogue (devtools.demo.technologies.load_demo_technologies, whose published
    listings are spread over the past thirteen months here). `manufacturer` (the demo member)
    owns two needs and sends and receives inquiries; `innovator` (the demo innovator) receives
    inquiries about their published listings, answers a need with one and asks about another
    member's technology. `staff` publishes
    and returns needs and confirms agreements. Runs inside the caller's transaction; the
    emails the services queue are left to the caller.
    """
    clock = _Clock(today or timezone.localdate())
    refs = {
        "sectors": {sector.slug: sector for sector in Sector.objects.all()},
        "sdgs": {goal.number: goal for goal in SustainableDevelopmentGoal.objects.all()},
        "cooperation": {kind.slug: kind for kind in CooperationType.objects.all()},
    }
    published = _spread_catalogue(clock)
    technologies = {technology.title: technology for technology in published}
    members = {MANUFACTURER: manufacturer, **{key: _member(key) for key in MEMBERS}}
    writers = {**members, INNOVATOR: innovator}
    profiles = {MANUFACTURER: MANUFACTURER_PROFILE, **MEMBERS}

    needs = {
        entry["key"]: _create_need(entry, owner=members[entry["owner"]], staff=staff, clock=clock, refs=refs)
        for entry in DEMO_NEEDS
    }
    answers = _answer_needs(needs=needs, technologies=technologies, staff=staff, clock=clock, refs=refs)
    for entry in DEMO_NEEDS:
        if entry["workflow"] == "fulfilled":
            need = needs[entry["key"]]
            need_services.need_fulfil(need=need, by=need.owner)
            fulfilled_at = clock.days_ago(entry["days"]["fulfilled"], hour=16)
            NeedTransition.objects.filter(need=need, to_status=NeedStatus.FULFILLED).update(at=fulfilled_at)

    written = _send_written_inquiries(members=writers, technologies=technologies, staff=staff, clock=clock, refs=refs)
    taken = {(entry["sender"], technologies[entry["technology"]].pk) for entry in DEMO_INQUIRIES}
    generated = _send_generated_inquiries(
        members=members, profiles=profiles, published=published, taken=taken, clock=clock, refs=refs
    )
    _generated_outcomes(generated, staff=staff, clock=clock, refs=refs)
    view_rows, views = _load_views(published, clock=clock)

    demo_inquiries = Inquiry.objects.filter(pk__in=[i.pk for i in (*answers, *written, *generated)])
    return {
        "members": len(MEMBERS),
        "needs": len(needs),
        "answers": len(answers),
        "inquiries": len(written) + len(generated),
        "outcomes": demo_inquiries.exclude(outcome=Outcome.NONE).count(),
        "agreements": demo_inquiries.filter(outcome=Outcome.AGREEMENT).count(),
        "confirmed": demo_inquiries.filter(agreement_confirmed_at__isnull=False).count(),
        "success_stories": demo_inquiries.filter(success_story=True).count(),
        "view_days": view_rows,
        "views": views,
    }


# --- Translations ----------------------------------------------------------------------------

DEMO_TRANSLATIONS: dict[str, dict] = data.load("translations")


def load_demo_translations() -> int:
    """A few translations so a newcomer sees translated content (French, Chinese and
    Arabic pages of the tunnel dryer, a French version of Amina's need). Returns how many
    texts were translated. (The listings and needs written in other languages than English
    carry their translations in their own entries, saved when they are created.)"""
    count = 0
    for model, entries in ((Technology, DEMO_TRANSLATIONS["technology"]), (Need, DEMO_TRANSLATIONS["need"])):
        for title, languages in entries.items():
            obj = model.objects.filter(title=title).first()
            if obj is None:
                continue
            columns = translation_columns(languages, original_language=obj.original_language)
            model.objects.filter(pk=obj.pk).update(**columns)
            count += len(languages)
    services.technologies_update_search_vector(queryset=Technology.objects.all())
    need_services.needs_update_search_vector(queryset=Need.objects.all())
    return count
