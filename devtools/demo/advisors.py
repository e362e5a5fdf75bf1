"""Demo advisory group: the charter, ten advisers and a few reviews in progress, created
through the models and the review services exactly as staff and advisers would.

Huang Feng (the chair) and the three overseas advisers are the real people named in the
press release of the First Plenary (Wuzhen, 18 September 2020); their entries say only
what it says. The conveners, the other members and their organisations are invented.
`load_demo_advisors` runs inside the caller's transaction and leaves the emails the
services queue to the caller.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import StakeholderType
from accounts.services import organisation_get_or_create
from advisors import services
from advisors.models import Adviser, AdviserRole, Charter, Criterion, Recommendation
from common.reference.models import Sector
from technologies.models import Technology, TechnologyStatus

FIRST_PLENARY = date(2020, 9, 18)
REVIEW_DAYS = 14

CHARTER_TITLE = "Charter of the WiiTs National Advisory Group"
CHARTER_APPROVED_BY = "First Plenary of the WiiTs National Advisory Group, Wuzhen"

CHARTER_BODY = """\
## 1. Purpose

The WiiTs National Advisory Group (the "Group") is the advisory body of World Industrial \
Innovative Technology Cooperations (WiiTs), an initiative of the UNIDO Investment and Technology \
Promotion Office (ITPO) Shanghai and Shanghai Jiao Tong University.

The Group evaluates sustainable industrial technologies submitted to the WiiTs platform and advises \
on the development of the initiative, so that technologies that contribute to inclusive and \
sustainable industrial development, and to the Sustainable Development Goals of the United Nations \
2030 Agenda, find partners, finance and markets where they are most needed.

## 2. Composition

1. The Group consists of a Chair, Conveners and National Advisers, chosen for their experience in \
industry, technology, finance or public policy and for their independence.
2. The Chair presides over the plenaries of the Group, represents it and recommends the Conveners.
3. Advisers serve for a term of three years, renewable. An adviser may resign at any time by \
writing to WiiTs staff.
4. WiiTs staff at ITPO Shanghai act as the secretariat of the Group: they keep the list of \
advisers, organise plenaries and reviews, and keep the records of the Group.
5. The Group meets in plenary at least once a year, in person or online.

## 3. Responsibilities of advisers

Each adviser:

- evaluates the technologies assigned to them against the criteria and weights published by WiiTs, \
giving a score for every criterion and a recommendation;
- submits each review by its due date, or tells WiiTs staff at once if they cannot;
- forms their own judgement independently, and accepts no instruction on a review from the \
submitting organisation, their employer or anyone else;
- gives reasons: comments the innovator can act on, and, where needed, confidential comments for \
WiiTs staff;
- advises on the programme (its criteria, sectors, partnerships and events) and takes part in \
the plenaries and in the working groups they join.

## 4. Obligations

1. **Confidentiality.** Submissions that are not published, reviews and the comments of other \
advisers are confidential. Advisers do not disclose them, copy them or keep them beyond what a \
review requires. This obligation continues after their term ends.
2. **Conflicts of interest.** Advisers declare any conflict of interest before each review, as \
set out in section 6.
3. **Recusal.** An adviser with a conflict of interest recuses themselves from the review and \
takes no part in any discussion of it.
4. **No personal gain.** Advisers do not use information obtained through the Group to invest, to \
compete, or to gain any advantage for themselves, their employer, their family or anyone else.
5. **Professional conduct.** Advisers treat innovators, staff and one another with courtesy and \
respect, and accept no gift or hospitality from an organisation whose technology they review.

## 5. Conveners

1. Conveners are recommended by the Chair and confirmed by the plenary.
2. Each Convener convenes a thematic working group in their field, such as clean energy, the \
circular economy or industrial digitalisation, to follow its technologies and trends.
3. Conveners coordinate the reviews in their field: they help WiiTs staff find suitable advisers, \
follow the timeliness of reviews and promote consistent use of the criteria.
4. Conveners report on the work of their group to each plenary.

## 6. Conflict-of-interest policy

1. A conflict of interest exists when an adviser's personal, financial or professional interests \
could affect, or could reasonably appear to affect, their judgement of a technology. It includes:
    - employment, a board seat or any other office in the submitting organisation, now or in the \
past three years;
    - shares or any other financial interest in the submitting organisation or its technology;
    - a close family member who works for, or has a financial interest in, the submitting \
organisation;
    - paid advice or consultancy for the submitting organisation in the past three years;
    - developing, selling or investing in a product that competes with the technology, or \
negotiating with the submitting organisation.
2. Before opening each review, the adviser declares whether they have a conflict of interest. \
When in doubt, they declare it.
3. An adviser who has a conflict recuses themselves and says briefly why. The conflict is recorded, \
so that the adviser is not asked to review that organisation's technologies again.
4. WiiTs staff reassign the review to another adviser.
5. An adviser who becomes aware of a conflict after submitting a review informs WiiTs staff, who may \
set the review aside.

## 7. Decisions

1. Reviews are advisory. WiiTs staff decide whether a technology is published, returned to its \
owner for changes or declined, taking all its reviews into account.
2. WiiTs staff may publish a technology with the "NAG-evaluated" mark when it has been reviewed by \
the Group and its reviews support it. The mark records that evaluation; it is not a certification \
of the technology's performance.
3. Innovators receive the advisers' comments for them without the advisers' names. Scores and \
confidential comments are shared only with WiiTs staff and the other advisers of the same \
technology.

## 8. Terms and amendment

1. This Charter was approved by the First Plenary of the WiiTs National Advisory Group in Wuzhen on \
18 September 2020 and takes effect on that date.
2. The Chair, a Convener or WiiTs staff may propose an amendment. An amendment is approved by a \
plenary and takes effect on the date the plenary sets; earlier versions are kept on record.
3. A review under way when an amendment takes effect is completed under the version in force when it \
was assigned.
"""

# The chair (the demo adviser account) comes first; his user is passed in.
CHAIR = {
    "role": AdviserRole.CHAIR,
    "title": "Chairman, Shanghai Foreign Investment Association",
    "affiliation": "Shanghai Foreign Investment Association",
    "country": "CN",
    "expertise": ["advanced-manufacturing", "industrial-digital"],
    "biography": (
        "First chairman of the WiiTs National Advisory Group and Chairman of the Shanghai Foreign Investment "
        "Association. He presided over the First Plenary of the Group in Wuzhen on 18 September 2020."
    ),
    "active_from": FIRST_PLENARY,
    "active_until": date(2027, 9, 17),
}

# Everyone else, in the order of the public page: conveners, then members. The first three
# members are real people: their biographies keep to the press release of the First Plenary.
ADVISERS = [
    {
        "name": "Wanjiru Mwangi",
        "role": AdviserRole.CONVENER,
        "title": "Director of Agro-Industry and Energy Programmes",
        "affiliation": "East African Institute for Agro-Industrial Technology (fictional)",
        "country": "KE",
        "stakeholder_type": StakeholderType.TECHNICAL_PARTNER,
        "expertise": ["agro-food-processing", "renewable-energy", "water-wastewater"],
        "biography": (
            "Agricultural engineer who has spent twenty years helping food processors and farmer cooperatives in "
            "East Africa adopt solar drying, cold storage and biogas. Convenes the working group on agro-industry "
            "and clean energy. (Fictional person, for the demo.)"
        ),
        "active_from": FIRST_PLENARY,
        "active_until": date(2027, 9, 17),
    },
    {
        "name": "Luísa Carvalho Prado",
        "role": AdviserRole.CONVENER,
        "title": "Professor of Chemical Engineering",
        "affiliation": "Cerrado Institute of Process Technology (fictional)",
        "country": "BR",
        "stakeholder_type": StakeholderType.TECHNICAL_PARTNER,
        "expertise": ["chemicals", "mining-metals", "construction-materials"],
        "biography": (
            "Chemical engineer working on cleaner processes for the mining, cement and chemical industries and on "
            "the reuse of their residues. Convenes the working group on process industries and materials. "
            "(Fictional person, for the demo.)"
        ),
        "active_from": FIRST_PLENARY,
        "active_until": date(2027, 9, 17),
    },
    {
        "name": "Marcel Dridje",
        "role": AdviserRole.MEMBER,
        "title": "President Emeritus, Sophia Business Angels; EBAN Board Member",
        "affiliation": "Sophia Business Angels",
        "country": "FR",
        "stakeholder_type": StakeholderType.FINANCE_PROVIDER,
        "expertise": ["industrial-digital", "pharma-health"],
        "biography": (
            "President Emeritus of Sophia Business Angels and Board Member of EBAN. He joined the First Plenary of "
            "the WiiTs National Advisory Group online on 18 September 2020."
        ),
        "active_from": FIRST_PLENARY,
        "active_until": date(2027, 9, 17),
    },
    {
        "name": "Karl Östen Ekengren",
        "role": AdviserRole.MEMBER,
        "title": "Chairman, Stockholm Clean Tech; Vice President, IVL Swedish Environmental Research Institute",
        "affiliation": "Stockholm Clean Tech",
        "country": "SE",
        "stakeholder_type": StakeholderType.TECHNICAL_PARTNER,
        "expertise": ["environmental-monitoring", "waste-circular-economy", "energy-efficiency"],
        "biography": (
            "Chairman of Stockholm Clean Tech and Vice President of IVL Swedish Environmental Research Institute. "
            "He joined the First Plenary of the WiiTs National Advisory Group online on 18 September 2020."
        ),
        "active_from": FIRST_PLENARY,
        "active_until": date(2027, 9, 17),
    },
    {
        "name": "Helen Wang",
        "role": AdviserRole.MEMBER,
        "title": "CEO, BGTA International Accelerator, Cambridge Innovative Academy",
        "affiliation": "BGTA International Accelerator",
        "country": "GB",
        "stakeholder_type": StakeholderType.TECHNICAL_PARTNER,
        "expertise": ["advanced-materials", "electronics"],
        "biography": (
            "CEO of BGTA International Accelerator, Cambridge Innovative Academy. She joined the First Plenary of "
            "the WiiTs National Advisory Group online on 18 September 2020."
        ),
        "active_from": FIRST_PLENARY,
        "active_until": date(2027, 9, 17),
    },
    {
        "name": "Arjun Menon",
        "role": AdviserRole.MEMBER,
        "title": "Senior Fellow, Clean Mobility and Power Electronics",
        "affiliation": "Deccan Centre for Sustainable Mobility (fictional)",
        "country": "IN",
        "stakeholder_type": StakeholderType.TECHNICAL_PARTNER,
        "expertise": ["transport-mobility", "electronics", "energy-efficiency"],
        "biography": (
            "Electrical engineer who designs battery and charging systems for two- and three-wheelers and advises "
            "state agencies on the electrification of urban transport. (Fictional person, for the demo.)"
        ),
        "active_from": date(2021, 10, 1),
        "active_until": date(2027, 9, 30),
    },
    {
        "name": "Mona Abdel-Rahman",
        "role": AdviserRole.MEMBER,
        "title": "Head of Cleaner Production Services",
        "affiliation": "Nile Cleaner Production Centre (fictional)",
        "country": "EG",
        "stakeholder_type": StakeholderType.TECHNICAL_PARTNER,
        "expertise": ["textiles-leather", "water-wastewater", "chemicals"],
        "biography": (
            "Environmental engineer who leads resource-efficiency audits of textile, leather and chemical plants "
            "and the design of their effluent treatment. (Fictional person, for the demo.)"
        ),
        "active_from": date(2022, 1, 15),
        "active_until": date(2028, 1, 14),
    },
    {
        "name": "Nguyen Thu Ha",
        "role": AdviserRole.MEMBER,
        "title": "Deputy Director, Food Technology Transfer",
        "affiliation": "Mekong Delta Food Technology Centre (fictional)",
        "country": "VN",
        "stakeholder_type": StakeholderType.TECHNICAL_PARTNER,
        "expertise": ["agro-food-processing", "advanced-manufacturing", "waste-circular-economy"],
        "biography": (
            "Food engineer who helps small processors automate their lines and turn rice, fruit and seafood "
            "by-products into saleable goods. (Fictional person, for the demo.)"
        ),
        "active_from": date(2023, 4, 1),
        "active_until": date(2029, 3, 31),
    },
    {
        "name": "Jonas Becker",
        "role": AdviserRole.MEMBER,
        "title": "Head of Mineral Building Materials",
        "affiliation": "Ruhr Institute for Circular Construction (fictional)",
        "country": "DE",
        "stakeholder_type": StakeholderType.TECHNICAL_PARTNER,
        "expertise": ["construction-materials", "mining-metals", "energy-efficiency"],
        "biography": (
            "Materials scientist who works on low-carbon binders and on the use of slags, ashes and demolition "
            "waste in construction. (Fictional person, for the demo.)"
        ),
        "active_from": date(2025, 1, 1),
        "active_until": date(2027, 12, 31),
    },
]

# Reviews of the two demo technologies in review (see devtools.demo.technologies). Scores follow the
# active criteria in their order; a missing one counts 3. "submit": False leaves the
# assignment awaiting the adviser's declaration.
DEMO_REVIEWS = [
    {
        "technology": "Low-clinker cement binder from steel slag",
        "reviews": [
            {"adviser": "huang-feng", "submit": False},
            {
                "adviser": "jonas-becker",
                "submit": True,
                "scores": [4, 5, 4, 4, 3, 4],
                "recommendation": Recommendation.NAG_EVALUATED,
                "comments_for_innovator": (
                    "A convincing use of converter slag: replacing up to 60 % of the clinker addresses the main "
                    "source of cement emissions, and the tests of volume stability and leaching answer the usual "
                    "concerns about free lime and heavy metals. The listing would be stronger with the 28-day and "
                    "90-day strength results for each blend, the CO₂ figure per tonne of binder with its method, "
                    "and an indication of how much the grinding plant costs and needs in power."
                ),
                "confidential_comments": (
                    "Mature and well documented. Slag chemistry varies a lot between steel plants: a licensee "
                    "would need a qualification protocol for its own slag, which the owner seems able to provide."
                ),
            },
        ],
    },
    {
        "technology": "Activated carbon from sugarcane bagasse",
        "reviews": [
            {
                "adviser": "luisa-carvalho-prado",
                "submit": True,
                "scores": [4, 4, 5, 4, 4, 3],
                "recommendation": Recommendation.NAG_EVALUATED,
                "comments_for_innovator": (
                    "Turning bagasse into activated carbon suits sugar-producing regions well, and the process "
                    "runs on equipment a mill can maintain. Please add the iodine number and surface area of the "
                    "product against a commercial grade, and the yield per tonne of dry bagasse."
                ),
                "confidential_comments": (
                    "Sound chemistry; the economics depend on the mill's own steam and power. I see no obstacle to "
                    "the mark once the product data are in the listing."
                ),
            },
            {
                "adviser": "mona-abdel-rahman",
                "submit": True,
                "scores": [3, 4, 4, 3, 3, 2],
                "recommendation": Recommendation.PUBLISH,
                "comments_for_innovator": (
                    "The product fits water and effluent treatment, where local supply of activated carbon is "
                    "scarce. Say how the activating agent is recovered or disposed of, and describe the licence or "
                    "partnership you offer: the listing is not yet clear on what a partner would receive."
                ),
                "confidential_comments": (
                    "Worth publishing. Readiness for transfer is the weak point: no documentation package or "
                    "training offer is described yet, so I would not recommend the mark for now."
                ),
            },
        ],
    },
]


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
    return {"advisers": len(advisers), "assignments": assignments, "reviews": reviews}
