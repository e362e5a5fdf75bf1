"""Demo advisory group: the charter, ten advisers and a few reviews in progress, created
through the models and the review services exactly as staff and advisers would, from the
data in data/advisors.yaml.

Huang Feng (the chair) and the three overseas advisers are the real people named in the
press release of the First Plenary (Wuzhen, 18 September 2020); their entries say only
what it says. The conveners, the other members and their organisations are invented.
`load_demo_advisors` runs inside the caller's transaction and leaves the emails the
services queue to the caller.
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify

from accounts.services import organisation_get_or_create
from advisors import services
from advisors.models import Adviser, Charter, Criterion
from common.reference.models import Sector
from devtools.demo import data
from devtools.demo.technologies import DEMO_TECHNOLOGIES, NAG_MESSAGE
from technologies.models import Technology, TechnologyStatus

REVIEW_DAYS = 14

# The First Plenary (the charter's date and the first advisers' terms), the charter, the
# chair (the demo adviser account, whose user is passed in), everyone else in the order of
# the public page, and the reviews of the two demo technologies in review.
_DATA = data.load("advisors")
FIRST_PLENARY: date = _DATA["first_plenary"]
CHARTER_TITLE: str = _DATA["charter"]["title"]
CHARTER_APPROVED_BY: str = _DATA["charter"]["approved_by"]
CHARTER_BODY: str = _DATA["charter"]["body"]
CHAIR: dict = _DATA["chair"]
ADVISERS: list[dict] = _DATA["advisers"]
DEMO_REVIEWS: list[dict] = _DATA["reviews"]
MARK_REVIEWS: dict = _DATA["mark_reviews"]


def _adviser_email(slug: str) -> str:
    return f"adviser.{slug}@wiits.example"


def _create_adviser(*, user, slug: str, entry: dict, order: int, sectors: dict) -> Adviser:
    adviser = Adviser.objects.create(
        user=user,
        slug=slug,
        role=entry["role"],
        title=entry["title"],
        affiliation=entry["affiliation"],
        country=entry["country"],
        biography=entry["biography"],
        active_from=entry["active_from"],
        # Terms are three years, renewable: the demo renews them so it keeps working.
        active_until=max(entry["active_until"], timezone.localdate() + timedelta(days=365)),
        order=order,
    )
    adviser.expertise.set([sectors[name] for name in entry["expertise"]])
    return adviser


def _create_member(entry: dict, *, slug: str, sectors: dict):
    """The member account of a demo adviser, with no usable password."""
    user = get_user_model()(
        email=_adviser_email(slug),
        name=entry["name"],
        organisation=organisation_get_or_create(name=entry["affiliation"]),
        job_title=entry["title"][:150],
        stakeholder_type=entry["stakeholder_type"],
        country=entry["country"],
    )
    user.set_unusable_password()
    user.save()
    user.sectors.set([sectors[name] for name in entry["expertise"]])
    return user


def _load_charter() -> Charter:
    return Charter.objects.create(
        version=1,
        title=CHARTER_TITLE,
        body=CHARTER_BODY,
        approved_on=FIRST_PLENARY,
        approved_by=CHARTER_APPROVED_BY,
        effective_date=FIRST_PLENARY,
    )


def _load_reviews(*, staff, advisers: dict[str, Adviser]) -> tuple[int, int]:
    due_date = timezone.localdate() + timedelta(days=REVIEW_DAYS)
    criteria = list(Criterion.objects.active())
    assignments = reviews = 0
    for plan in DEMO_REVIEWS:
        technology = Technology.objects.get(title=plan["technology"], status=TechnologyStatus.IN_REVIEW)
        # Staff assign both advisers first, then the advisers answer: "all reviews are in"
        # is sent once, after the last one.
        planned = []
        for item in plan["reviews"]:
            adviser = advisers[item["adviser"]]
            assignment = services.assignment_create(
                technology=technology, adviser=adviser, due_date=due_date, by=staff
            )
            planned.append((item, adviser, assignment))
            assignments += 1
        for item, adviser, assignment in planned:
            if not item["submit"]:
                continue
            services.assignment_declare(assignment=assignment, by=adviser.user, recuse=False)
            scores = dict(zip((criterion.pk for criterion in criteria), item["scores"], strict=False))
            services.review_save(
                assignment=assignment,
                by=adviser.user,
                scores={criterion.pk: scores.get(criterion.pk, 3) for criterion in criteria},
                recommendation=item["recommendation"],
                comments_for_innovator=item["comments_for_innovator"],
                confidential_comments=item["confidential_comments"],
                submit=True,
            )
            reviews += 1
    return assignments, reviews


def load_demo_advisors(*, staff, chair_user) -> dict[str, int]:
    """Create the charter, the advisers and the demo reviews; return how many of each.

    `chair_user` (the demo adviser account) becomes the chair; every other adviser gets a
    member account with no usable password. Needs the demo catalogue
    (devtools.demo.technologies.load_demo_technologies) and a staff member who may manage reviews.
    Runs inside the caller's transaction; the emails the services queue are left to the caller.
    """
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    _load_charter()
    advisers = {
        "huang-feng": _create_adviser(user=chair_user, slug="huang-feng", entry=CHAIR, order=1, sectors=sectors)
    }
    for order, entry in enumerate(ADVISERS, start=2):
        slug = slugify(entry["name"])
        user = _create_member(entry, slug=slug, sectors=sectors)
        advisers[slug] = _create_adviser(user=user, slug=slug, entry=entry, order=order, sectors=sectors)
    assignments, reviews = _load_reviews(staff=staff, advisers=advisers)
    evaluated, mark_reviews = _evaluate_for_the_mark(staff=staff, advisers=advisers)
    return {
        "advisers": len(advisers),
        "assignments": assignments + mark_reviews,
        "reviews": reviews + mark_reviews,
        "evaluated": evaluated,
    }


def _evaluate_for_the_mark(*, staff, advisers: dict[str, Adviser]) -> tuple[int, int]:
    """The listings waiting for the NAG-evaluated mark (workflow published_nag) get their
    round: advisers without a conflict of interest review them and recommend the mark,
    then staff decide, through the same services as on the site. The chair (the demo
    adviser account) is left out, so its one waiting review stays the only one."""
    due_date = timezone.localdate() + timedelta(days=REVIEW_DAYS)
    criteria = list(Criterion.objects.active())
    panel = [adviser for slug, adviser in advisers.items() if slug != "huang-feng"]
    titles = [entry["title"] for entry in DEMO_TECHNOLOGIES if entry["workflow"] == "published_nag"]
    reviews = 0
    for n, title in enumerate(titles):
        technology = Technology.objects.get(title=title, status=TechnologyStatus.IN_REVIEW)
        assigned = []
        for adviser in panel[n % len(panel) :] + panel[: n % len(panel)]:
            if len(assigned) == settings.WIITS_REVIEWERS_PER_TECHNOLOGY:
                break
            try:
                assignment = services.assignment_create(
                    technology=technology, adviser=adviser, due_date=due_date, by=staff
                )
            except ValidationError:  # a conflict of interest: the next adviser
                continue
            assigned.append(assignment)
        for assignment in assigned:
            services.assignment_declare(assignment=assignment, by=assignment.adviser.user, recuse=False)
            services.review_save(
                assignment=assignment,
                by=assignment.adviser.user,
                scores={
                    criterion.pk: MARK_REVIEWS["scores"][i % len(MARK_REVIEWS["scores"])]
                    for i, criterion in enumerate(criteria)
                },
                recommendation=MARK_REVIEWS["recommendation"],
                comments_for_innovator=MARK_REVIEWS["comments_for_innovator"],
                confidential_comments=MARK_REVIEWS["confidential_comments"],
                submit=True,
            )
            reviews += 1
        services.technology_decide(technology=technology, by=staff, decision="publish_nag", message=NAG_MESSAGE)
    return len(titles), reviews
