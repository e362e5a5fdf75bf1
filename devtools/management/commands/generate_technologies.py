"""Generate many published technologies, fast, for load tests.

    manage.py generate_technologies --count 100000 --seed 1

Rows are written with bulk_create in batches (and their SDG and cooperation rows through
the many-to-many tables), then the batch's search vectors are refreshed in one UPDATE on
PostgreSQL. The same seed gives the same listings; slugs carry the seed
(`...-s<seed>-<n>`), so runs with different seeds never collide, and a second run with
the same seed stops before writing anything. Nothing is emailed and no history rows are
written: these listings never went through the workflow.

The texts are in the six languages of the portal (devtools/bench/texts): about a fifth
written in Chinese, 8 % each in Arabic, Russian, French and Spanish, the rest in English
(ORIGINAL_LANGUAGES); a third carry translations into one or two other languages in the
`<field>_i18n_<language>` columns, the original's own language column staying empty.
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
from common.translated import i18n_field_name
from devtools.bench.texts import draw_concept, render
from technologies.models import IPStatus, Technology, TechnologyStatus
from technologies.services import technologies_update_search_vector

LOADTEST_EMAIL = "loadtest@wiits.example"
LOADTEST_ORGANISATION = "Load test organisation"
ORGANISATION_POOL_SIZE = 200

# --- Texts ---------------------------------------------------------------------------------

# The language each listing is written in (weights in percent): the portal's members write
# in all six languages of the UN, about a fifth in Chinese.
ORIGINAL_LANGUAGES = {"zh-hans": 20, "ar": 8, "ru": 8, "fr": 8, "es": 8, "en": 48}
TRANSLATED_SHARE = 1 / 3  # listings that carry translations, into one or two other languages
TWO_TRANSLATIONS_SHARE = 0.4  # of those, the share with two
ENGLISH_FIRST_SHARE = 0.6  # a translated listing not written in English is translated into it first
TRANSLATED_FIELDS = ("title", "summary", "description")  # `advantages` has no translation columns

# --- Organisations and figures -------------------------------------------------------------

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


def _translation_languages(rng: random.Random, original: str) -> list[str]:
    """No language, or one or two other than `original`, drawn from `rng`."""
    if rng.random() >= TRANSLATED_SHARE:
        return []
    count = 2 if rng.random() < TWO_TRANSLATIONS_SHARE else 1
    others = [code for code in ORIGINAL_LANGUAGES if code != original]
    if original != "en" and rng.random() < ENGLISH_FIRST_SHARE:
        return ["en", *rng.sample([code for code in others if code != "en"], count - 1)]
    return rng.sample(others, count)


def generate_rows(rng: random.Random, count: int, sector_slugs: list[str], cooperation_slugs: list[str]):
    """Yield `count` dicts of listing content, drawn from `rng` in a fixed order.

    Only content, never database ids, so a seed gives the same listings on any database.
    The texts are those of a concept (devtools/bench/texts) in the listing's language; its
    translations are the same concept in other languages.
    """
    languages, weights = list(ORIGINAL_LANGUAGES), list(ORIGINAL_LANGUAGES.values())
    for _index in range(count):
        language = rng.choices(languages, weights=weights)[0]
        concept = draw_concept(rng, sector_slugs)
        texts = render(concept, language)
        translations = {}
        for other in _translation_languages(rng, language):
            rendered = render(concept, other)
            translations[other] = {field: rendered[field] for field in TRANSLATED_FIELDS}
        country = rng.choice(COUNTRIES)
        yield {
            "original_language": language,
            **texts,  # title, summary, description, advantages
            "translations": translations,  # {language: {title, summary, description}}
            "sector": concept.sector,
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


def slug_base(title: str) -> str:
    """The start of a generated listing's address, ASCII as every slug: the title's Latin
    letters, or "technology" for a title without any (Chinese, Arabic, most Russian ones),
    as the portal's own slugs do. The seed and the row's number make it unique."""
    return slugify(title)[:180].rstrip("-") or "technology"


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
                    slug=f"{slug_base(row['title'])}-s{seed}-{created + offset}",
                    original_language=row["original_language"],
                    title=row["title"],
                    summary=row["summary"],
                    description=row["description"],
                    advantages=row["advantages"],
                    **{
                        i18n_field_name(field, language): text
                        for language, texts in row["translations"].items()
                        for field, text in texts.items()
                    },
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
