"""Generate members, advisers and events with registrations, fast, for load tests.

    manage.py generate_community --members 20000 --advisers 1000 --events 2000 --seed 1

Members are written with bulk_create and share one unusable password (nobody signs in
as them but through a session the benchmark makes); the first --advisers members become
advisers of the National Advisory Group; events are published, three in four of them
past, each with up to 40 registrations of random members. Emails, slugs and titles
carry the seed, so runs with different seeds never collide, and a second run with the
same seed stops before writing anything. Nothing is emailed and no history is written.
"""

import random
import time
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from accounts.models import StakeholderType, User
from advisors.models import Adviser, AdviserRole
from common.reference.models import Sector
from events.models import Event, EventKind, Registration, RegistrationStatus

FIRST_NAMES = ["Amina", "Wei", "Carlos", "Olga", "Fatima", "Kwame", "Lena", "Hiroshi", "Priya", "Jean", "Mei", "Omar"]
LAST_NAMES = ["Okafor", "Zhang", "García", "Ivanova", "Haddad", "Mensah", "Schmidt", "Tanaka", "Sharma", "Dupont"]
CITIES = [("Shanghai", "CN"), ("Nairobi", "KE"), ("Vienna", "AT"), ("Lima", "PE"), ("Hanoi", "VN"), ("Cairo", "EG")]
TOPICS = [
    "solar drying",
    "biogas",
    "water reuse",
    "circular plastics",
    "green hydrogen",
    "energy audits",
    "cold chains",
]
MEMBER_STAKEHOLDERS = [
    StakeholderType.TECHNOLOGY_INNOVATOR,
    StakeholderType.INDUSTRIAL_MANUFACTURER,
    StakeholderType.FINANCE_PROVIDER,
    StakeholderType.TECHNICAL_PARTNER,
]


def member_email(seed: int, n: int) -> str:
    return f"member-s{seed}-{n}@bench.wiits.example"


def generate_community(*, members: int, advisers: int, events: int, seed: int, batch_size: int = 5000) -> dict:
    """Create the rows; return how many of each. Raises CommandError if the seed was used."""
    if advisers > members:
        raise CommandError("--advisers cannot exceed --members: advisers are members.")
    if User.objects.filter(email=member_email(seed, 0)).exists():
        raise CommandError(f"Members made with seed {seed} exist already: use another --seed.")
    rng = random.Random(seed)  # noqa: S311 (reproducible test data, not cryptography)
    password = make_password(None)  # unusable, and hashed once rather than 20 000 times
    now = timezone.now()
    sectors = list(Sector.objects.active())
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(
                    email=member_email(seed, n),
                    name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    stakeholder_type=rng.choice(MEMBER_STAKEHOLDERS),
                    password=password,
                    date_joined=now - timedelta(days=rng.uniform(0, 3 * 365)),
                )
                for n in range(members)
            ],
            batch_size=batch_size,
        )
        sector_through = User.sectors.through
        sector_through.objects.bulk_create(
            [
                sector_through(user_id=user.pk, sector_id=sector.pk)
                for user in users
                for sector in rng.sample(sectors, rng.randint(0, 2))
            ],
            batch_size=batch_size,
        )
        Adviser.objects.bulk_create(
            [
                Adviser(
                    user=user,
                    slug=f"adviser-s{seed}-{n}",
                    role=AdviserRole.MEMBER,
                    title=f"Professor of {rng.choice(TOPICS)}",
                    affiliation=f"University {n % 97}",
                    biography=f"Works on {rng.choice(TOPICS)} and {rng.choice(TOPICS)}.",
                    order=100 + n,
                )
                for n, user in enumerate(users[:advisers])
            ],
            batch_size=batch_size,
        )
        new_events = []
        for n in range(events):
            past = n % 4 != 0
            starts_at = now + timedelta(days=-rng.uniform(1, 3 * 365) if past else rng.uniform(3, 365))
            city, country = rng.choice(CITIES)
            topic = rng.choice(TOPICS)
            new_events.append(
                Event(
                    kind=rng.choice(EventKind.values),
                    title=f"Workshop on {topic} in {city} ({seed}-{n})",
                    slug=f"workshop-{topic.replace(' ', '-')}-s{seed}-{n}",
                    summary=f"Practitioners and innovators share what works in {topic}.",
                    description=f"A day on **{topic}**: site visits, talks and matchmaking.",
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(hours=rng.choice([3, 8, 32])),
                    city=city,
                    country=country,
                    venue=f"Conference centre {n % 50}",
                    is_published=True,
                )
            )
        new_events = Event.objects.bulk_create(new_events, batch_size=batch_size)
        registrations = [
            Registration(event=event, user=user, status=RegistrationStatus.REGISTERED, attended=event.starts_at < now)
            for event in new_events
            for user in rng.sample(users, min(len(users), rng.randint(0, 40)))
        ]
        Registration.objects.bulk_create(registrations, batch_size=batch_size)
    return {
        "members": len(users),
        "advisers": advisers,
        "events": len(new_events),
        "registrations": len(registrations),
    }


class Command(BaseCommand):
    help = "Create members, advisers and events with registrations, for load tests (reproducible with --seed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=int, default=20_000)
        parser.add_argument("--advisers", type=int, default=1_000)
        parser.add_argument("--events", type=int, default=2_000)
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, members: int, advisers: int, events: int, seed: int, **options):
        if min(members, advisers, events) < 0:
            raise CommandError("Counts cannot be negative.")
        started = time.monotonic()
        counts = generate_community(members=members, advisers=advisers, events=events, seed=seed)
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Created {summary} in {time.monotonic() - started:.1f} s."))
