"""Generate many published technologies, fast, for load tests.

    manage.py generate_technologies --count 100000 --seed 1

Rows are written with bulk_create in batches (and their SDG and cooperation rows through
the many-to-many tables), then the batch's search vectors are refreshed in one UPDATE on
PostgreSQL. The same seed gives the same listings; slugs carry the seed
(`...-s<seed>-<n>`), so runs with different seeds never collide, and a second run with
the same seed stops before writing anything. Nothing is emailed and no history rows are
written: these listings never went through the workflow.
"""

import random
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Organisation, StakeholderType, User
from accounts.services import organisation_get_or_create
from common.reference.models import CooperationType, Sector, SustainableDevelopmentGoal
from technologies.models import IPStatus, Technology, TechnologyStatus
from technologies.services import technologies_update_search_vector

LOADTEST_EMAIL = "loadtest@wiits.example"
LOADTEST_ORGANISATION = "Load test organisation"
ORGANISATION_POOL_SIZE = 200

# --- Word lists ----------------------------------------------------------------------------

# Per sector: what the technology is, and what it is for.
SECTOR_WORDS: dict[str, tuple[list[str], list[str]]] = {
    "agro-food-processing": (
        ["solar dryer", "cold-chain unit", "milling line", "hermetic silo", "fermentation reactor", "oil press"],
        ["cassava", "mango", "cocoa beans", "coffee cherries", "fish landing sites", "dairy cooperatives"],
    ),
    "renewable-energy": (
        [
            "biogas digester",
            "solar pump",
            "micro-hydro turbine",
            "biomass gasifier",
            "wind-solar hybrid",
            "PV mini-grid",
        ],
        ["agro-industrial residues", "rural irrigation", "off-grid villages", "sawmills", "tea factories", "clinics"],
    ),
    "energy-efficiency": (
        [
            "heat recovery system",
            "kiln retrofit",
            "variable-speed drive",
            "steam trap monitor",
            "heat pump",
            "LED retrofit",
        ],
        ["brick kilns", "boiler houses", "foundries", "dairies", "compressed-air networks", "textile dyehouses"],
    ),
    "water-wastewater": (
        ["membrane filter", "constructed wetland", "electrocoagulation unit", "UV disinfection unit", "fog collector"],
        [
            "tannery effluent",
            "household drinking water",
            "palm oil mill effluent",
            "municipal sewage",
            "arid villages",
        ],
    ),
    "waste-circular-economy": (
        ["pyrolysis plant", "sorting line", "composting system", "solvolysis process", "upcycling process"],
        ["end-of-life tyres", "plastic packaging", "e-waste", "market waste", "rice straw", "wind turbine blades"],
    ),
    "advanced-materials": (
        ["bio-based composite", "nanocellulose coating", "silica filler", "bioplastic resin", "aerogel insulation"],
        ["food packaging", "automotive parts", "cable insulation", "building panels", "agricultural films"],
    ),
    "chemicals": (
        ["enzymatic process", "green solvent", "bio-based adhesive", "catalytic converter", "biostimulant"],
        ["plywood mills", "pharmaceutical intermediates", "vegetable farms", "paint makers", "leather tanning"],
    ),
    "advanced-manufacturing": (
        ["collaborative robot", "vision-guided sorter", "3D-printing cell", "CNC retrofit kit", "laser cladding unit"],
        ["cashew shelling", "garment sewing", "spare-part repair", "small machine shops", "electronics assembly"],
    ),
    "industrial-digital": (
        ["predictive maintenance platform", "digital twin", "energy dashboard", "IoT sensor kit", "MES for SMEs"],
        ["rotating machines", "spinning mills", "cement plants", "food factories", "water utilities"],
    ),
    "transport-mobility": (
        ["battery swapping station", "electric three-wheeler", "route optimiser", "hydrogen fuel cell", "e-bike kit"],
        ["urban deliveries", "public transport", "last-mile logistics", "port operations", "school transport"],
    ),
    "construction-materials": (
        ["earth block press", "low-clinker binder", "bamboo panel", "recycled aggregate", "insulating plaster"],
        ["affordable housing", "rural schools", "road building", "hot climates", "post-disaster shelters"],
    ),
    "textiles-leather": (
        ["dye recovery system", "waterless dyeing machine", "chrome-free tanning", "fibre recycling line"],
        ["cotton knits", "denim finishing", "leather goods", "garment offcuts", "wool scouring"],
    ),
    "pharma-health": (
        ["paper-based rapid test", "oxygen concentrator", "vaccine cold box", "sterilisation unit", "telemetry patch"],
        ["rural health posts", "maternal care", "malaria screening", "district hospitals", "mobile clinics"],
    ),
    "environmental-monitoring": (
        ["air quality sensor network", "methane leak detector", "water quality probe", "noise mapping system"],
        ["industrial parks", "landfills", "rivers and lakes", "mining areas", "city centres"],
    ),
    "mining-metals": (
        ["bioleaching process", "tailings dewatering unit", "mercury-free gold concentrator", "slag valorisation"],
        ["low-grade copper ore", "artisanal gold mining", "steel plants", "old tailings dams", "bauxite residue"],
    ),
    "electronics": (
        ["smart meter", "mini-grid controller", "solar inverter", "battery management system", "power-line modem"],
        ["village mini-grids", "rooftop solar", "telecom towers", "cold rooms", "electric vehicles"],
    ),
}
GENERIC_WORDS = (
    ["modular system", "process", "compact unit", "monitoring kit"],
    ["small and medium enterprises", "industrial parks", "developing economies"],
)
ADJECTIVES = [
    "Low-cost",
    "Modular",
    "Solar-powered",
    "Compact",
    "Containerised",
    "High-efficiency",
    "Low-carbon",
    "Smart",
    "Portable",
    "Open-source",
    "Water-saving",
    "Scalable",
]
BENEFITS = [
    "cuts energy use by {n} %",
    "reduces water consumption by {n} %",
    "lowers operating costs by {n} %",
    "halves the waste sent to landfill",
    "avoids {n} t of CO₂ a year per unit",
    "raises yields by {n} %",
    "pays back in under {y} years",
    "creates local jobs in maintenance and assembly",
]
FEATURES = [
    "built from locally available parts",
    "operated after two days of training",
    "monitored remotely by mobile phone",
    "certified to international standards",
    "installed in less than a week",
    "designed for hot and dusty climates",
    "able to run without a grid connection",
    "maintained by local technicians",
]
PLACES = ["Suzhou", "Nairobi", "Dakar", "Pune", "Recife", "Hamburg", "Uppsala", "Lyon", "Leeds", "Da Nang"]
PLACES += ["Addis Ababa", "Alexandria", "Cusco", "Surabaya", "Marrakesh", "Accra", "Lahore", "Quito", "Tunis"]
PLACES += ["Kampala", "Chengdu", "Hanoi", "Bogotá", "Arusha", "Rabat"]
ORGANISATION_STEMS = ["Green", "Clean", "Sun", "Eco", "Blue", "Terra", "Agri", "Hydro", "Circular", "Smart"]
ORGANISATION_STEMS += ["Bright", "Future", "Delta", "Savanna", "River", "Summit"]
ORGANISATION_KINDS = ["Technologies", "Engineering", "Industries", "Solutions", "Systems", "Innovations", "Labs"]
COUNTRIES = ["CN", "KE", "SN", "IN", "BR", "DE", "SE", "FR", "GB", "VN", "ET", "EG", "PE", "ID", "MA", "NG", "GH"]
COUNTRIES += ["ZA", "TZ", "UG", "BD", "PK", "TH", "PH", "MX", "CO", "CL", "AR", "TR", "IT", "ES", "NL", "JP", "KR"]
COUNTRIES += ["TN", "CI", "RW", "LK", "NP", "MY"]
IP_STATUSES = [status.value for status in IPStatus]
# TRL weights: listings cluster around demonstration and early deployment.
TRL_WEIGHTS = [1, 2, 4, 6, 9, 12, 14, 12, 10]


def organisation_pool_names(size: int = ORGANISATION_POOL_SIZE) -> list[str]:
    """A fixed list of fictional organisation names (the same whatever the seed)."""
    names = [
        f"{place} {stem} {kind} (load test)"
        for place in PLACES
        for stem in ORGANISATION_STEMS
        for kind in ORGANISATION_KINDS
    ]
    random.Random(2020).shuffle(names)  # noqa: S311 (test data, not cryptography)
    return names[:size]


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:]


def generate_rows(rng: random.Random, count: int, sector_slugs: list[str], cooperation_slugs: list[str]):
    """Yield `count` dicts of listing content, drawn from `rng` in a fixed order.

    Only content, never database ids, so a seed gives the same listings on any database.
    """
    for _index in range(count):
        sector = rng.choice(sector_slugs)
        things, uses = SECTOR_WORDS.get(sector, GENERIC_WORDS)
        thing, use = rng.choice(things), rng.choice(uses)
        title = f"{rng.choice(ADJECTIVES)} {thing} for {use}"
        benefit_a, benefit_b = (
            benefit.format(n=rng.randint(10, 60), y=rng.randint(2, 5)) for benefit in rng.sample(BENEFITS, 2)
        )
        feature_a, feature_b, feature_c = rng.sample(FEATURES, 3)
        summary = f"{_sentence(thing)} for {use} that {benefit_a}. It is {feature_a}."
        description = (
            f"Most solutions for {use} are costly, energy-hungry or imported. This {thing} "
            f"{benefit_a} and {benefit_b}.\n\n"
            f"- {_sentence(feature_a)}\n- {_sentence(feature_b)}\n- {_sentence(feature_c)}\n\n"
            f"Pilots have run for {rng.randint(1, 6)} years at {rng.randint(2, 80)} sites."
        )
        advantages = f"Compared with conventional solutions, it {benefit_b}. It is {feature_c}."
        country = rng.choice(COUNTRIES)
        yield {
            "title": title,
            "summary": summary,
            "description": description,
            "advantages": advantages,
            "sector": sector,
            "sdgs": sorted(rng.sample(range(1, 18), rng.randint(1, 4))),
            "trl": rng.choices(range(1, 10), weights=TRL_WEIGHTS)[0],
            "ip_status": rng.choice(IP_STATUSES),
            "country_developed": country,
            "countries_deployed": rng.sample(COUNTRIES, rng.randint(0, 3)),
            "cooperation": rng.sample(cooperation_slugs, min(rng.randint(1, 3), len(cooperation_slugs))),
            "organisation_index": rng.randrange(ORGANISATION_POOL_SIZE),
            "nag_evaluated": rng.random() < 0.15,
            "published_days_ago": rng.uniform(0, 3 * 365),
            "submitted_days_before": rng.uniform(3, 60),
            "created_days_before": rng.uniform(1, 90),
            "valid_days_left": rng.randint(30, 365),
        }


class Command(BaseCommand):
    help = "Create --count published technologies quickly, for load tests (reproducible with --seed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, required=True, help="How many technologies to create.")
        parser.add_argument("--seed", type=int, default=0, help="Random seed; the same seed gives the same rows.")
        parser.add_argument("--batch-size", type=int, default=2000, help="Rows per INSERT batch (default 2000).")

    def handle(self, *args, count: int, seed: int, batch_size: int, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        started = time.monotonic()
        created = generate_technologies(
            count=count, seed=seed, batch_size=batch_size, progress=self._progress(count, started)
        )
        elapsed = time.monotonic() - started
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Created {created} published technologies in {elapsed:.1f} s (seed {seed}).")
        )

    def _progress(self, total: int, started: float):
        def report(done: int) -> None:
            width = 40
            filled = width * done // total
            bar = "#" * filled + "." * (width - filled)
            self.stdout.write(f"\r[{bar}] {done}/{total} {time.monotonic() - started:.1f} s", ending="")
            self.stdout.flush()

        return report


def _loadtest_owner() -> User:
    owner = User.objects.filter(email=LOADTEST_EMAIL).first()
    if owner is None:
        owner = User(
            email=LOADTEST_EMAIL,
            name="Load test",
            organisation=organisation_get_or_create(name=LOADTEST_ORGANISATION),
            stakeholder_type=StakeholderType.TECHNOLOGY_INNOVATOR,
        )
        owner.set_unusable_password()
        owner.save()
    return owner


def _organisation_pool() -> list[Organisation]:
    """The pool's organisations, in the pool's order; the missing ones are created."""
    names = organisation_pool_names()
    existing = {organisation.name: organisation for organisation in Organisation.objects.filter(name__in=names)}
    return [existing.get(name) or organisation_get_or_create(name=name) for name in names]


def generate_technologies(*, count: int, seed: int, batch_size: int = 2000, progress=None) -> int:
    """Create `count` published technologies from `seed`; return how many were created.

    Each batch is its own transaction. Raises CommandError, before writing any listing of
    the batch, if a slug of it exists already (the seed was used before).
    """
    sectors = {sector.slug: sector for sector in Sector.objects.order_by("slug")}
    sdgs = set(SustainableDevelopmentGoal.objects.values_list("number", flat=True))
    cooperation = dict(CooperationType.objects.order_by("slug").values_list("slug", "pk"))
    if not sectors or len(sdgs) != 17 or not cooperation:
        raise CommandError("The reference data (sectors, SDGs, cooperation types) is missing: run migrate first.")
    with transaction.atomic():
        owner = _loadtest_owner()
        organisations = _organisation_pool()

    sdg_through = Technology.sdgs.through
    cooperation_through = Technology.cooperation.through
    sdg_field = Technology._meta.get_field("sdgs")
    sdg_columns = (sdg_field.m2m_field_name() + "_id", sdg_field.m2m_reverse_field_name() + "_id")
    cooperation_field = Technology._meta.get_field("cooperation")
    cooperation_columns = (
        cooperation_field.m2m_field_name() + "_id",
        cooperation_field.m2m_reverse_field_name() + "_id",
    )

    rng = random.Random(seed)  # noqa: S311 (reproducible test data, not cryptography)
    rows = generate_rows(rng, count, list(sectors), list(cooperation))
    now = timezone.now()
    today = timezone.localdate()
    created = 0
    while created < count:
        size = min(batch_size, count - created)
        batch = [next(rows) for _ in range(size)]
        technologies = []
        for offset, row in enumerate(batch):
            published_at = now - timedelta(days=row["published_days_ago"])
            submitted_at = published_at - timedelta(days=row["submitted_days_before"])
            technologies.append(
                Technology(
                    slug=f"{slugify(row['title'])[:180].rstrip('-')}-s{seed}-{created + offset}",
                    title=row["title"],
                    summary=row["summary"],
                    description=row["description"],
                    advantages=row["advantages"],
                    sector=sectors[row["sector"]],
                    trl=row["trl"],
                    ip_status=row["ip_status"],
                    country_developed=row["country_developed"],
                    countries_deployed=row["countries_deployed"],
                    owner=owner,
                    organisation=organisations[row["organisation_index"] % len(organisations)],
                    status=TechnologyStatus.PUBLISHED,
                    nag_evaluated=row["nag_evaluated"],
                    created_at=submitted_at - timedelta(days=row["created_days_before"]),
                    submitted_at=submitted_at,
                    published_at=published_at,
                    valid_until=today + timedelta(days=row["valid_days_left"]),
                )
            )
        slugs = [technology.slug for technology in technologies]
        with transaction.atomic():
            taken = list(Technology.objects.filter(slug__in=slugs).values_list("slug", flat=True)[:3])
            if taken:
                raise CommandError(
                    f"Slugs made with seed {seed} exist already (for example {', '.join(taken)}): "
                    "use another --seed, or delete the earlier load-test listings first."
                )
            Technology.objects.bulk_create(technologies, batch_size=batch_size)
            if any(technology.pk is None for technology in technologies):  # a backend without RETURNING
                ids = dict(Technology.objects.filter(slug__in=slugs).values_list("slug", "pk"))
                for technology in technologies:
                    technology.pk = ids[technology.slug]
            sdg_through.objects.bulk_create(
                [
                    sdg_through(**{sdg_columns[0]: technology.pk, sdg_columns[1]: number})
                    for technology, row in zip(technologies, batch, strict=True)
                    for number in row["sdgs"]
                ],
                batch_size=batch_size * 2,
            )
            cooperation_through.objects.bulk_create(
                [
                    cooperation_through(
                        **{cooperation_columns[0]: technology.pk, cooperation_columns[1]: cooperation[slug]}
                    )
                    for technology, row in zip(technologies, batch, strict=True)
                    for slug in row["cooperation"]
                ],
                batch_size=batch_size * 2,
            )
            technologies_update_search_vector(
                queryset=Technology.objects.filter(pk__in=[technology.pk for technology in technologies])
            )
        created += size
        if progress:
            progress(created)
    return created
