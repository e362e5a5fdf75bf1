"""Development demo data: four accounts to try every role, then the catalogue, the
advisory group, the events, needs, inquiries, translations and calls for solutions of
devtools/demo/ (their content is YAML in devtools/demo/data/). Refuses to run outside
DEBUG and does nothing the second time."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from mailer.models import Message

from accounts.models import StakeholderType, User
from accounts.services import organisation_get_or_create
from common.reference.models import Sector
from devtools.demo.advisors import load_demo_advisors
from devtools.demo.calls import load_demo_calls
from devtools.demo.events import load_demo_events, mark_demo_attendance
from devtools.demo.legal import load_demo_legal
from devtools.demo.matchmaking import load_demo_matchmaking, load_demo_translations
from devtools.demo.technologies import load_demo_technologies

DEMO_PASSWORD = "wiits-demo-2020"

DEMO_ACCOUNTS = [
    {
        "email": "staff@wiits.example",
        "name": "Lin Yue",
        "role": "staff (ITPO Shanghai)",
        "organisation": "UNIDO ITPO Shanghai",
        "stakeholder_type": StakeholderType.TECHNICAL_PARTNER,
        "country": "CN",
        "sectors": [],
        "is_staff": True,
    },
    {
        "email": "adviser@wiits.example",
        "name": "Huang Feng",
        "role": "adviser (chair of the National Advisory Group, with a review waiting)",
        "organisation": "Shanghai Foreign Investment Association",
        "stakeholder_type": StakeholderType.TECHNICAL_PARTNER,
        "country": "CN",
        "sectors": ["advanced-manufacturing", "industrial-digital"],
        "is_staff": False,
    },
    {
        "email": "innovator@wiits.example",
        "name": "Chen Jie",
        "role": "innovator",
        "organisation": "Suzhou Green Materials Co. (fictional)",
        "stakeholder_type": StakeholderType.TECHNOLOGY_INNOVATOR,
        "country": "CN",
        "sectors": ["advanced-materials", "waste-circular-economy"],
        "is_staff": False,
    },
    {
        "email": "member@wiits.example",
        "name": "Amina Diallo",
        "role": "member (industrial manufacturer)",
        "organisation": "Dakar Agro-Processing SA (fictional)",
        "stakeholder_type": StakeholderType.INDUSTRIAL_MANUFACTURER,
        "country": "SN",
        "sectors": ["agro-food-processing", "renewable-energy"],
        "is_staff": False,
    },
]


class Command(BaseCommand):
    help = "Load the development demo data (DEBUG only; does nothing if already loaded)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is for development only (DJANGO_DEBUG=true); refusing to load it.")
        if User.objects.filter(email=DEMO_ACCOUNTS[0]["email"]).exists():
            self.stdout.write("Demo data already loaded; nothing to do.")
        else:
            self._load()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        # Also into a demo loaded before the privacy notice and terms existed.
        if legal := load_demo_legal():
            self.stdout.write(f"Demo privacy notice and terms of use: {legal} texts, accepted by every account.")
        self._print_accounts()

    @transaction.atomic
    def _load(self) -> None:
        for account in DEMO_ACCOUNTS:
            user = User.objects.create_user(
                email=account["email"],
                password=DEMO_PASSWORD,
                name=account["name"],
                organisation=organisation_get_or_create(name=account["organisation"]),
                stakeholder_type=account["stakeholder_type"],
                country=account["country"],
                is_staff=account["is_staff"],
                is_superuser=account["is_staff"],
            )
            user.sectors.set(Sector.objects.filter(slug__in=account["sectors"]))
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        staff = User.objects.get(email="staff@wiits.example")
        innovator = User.objects.get(email="innovator@wiits.example")
        listings = load_demo_technologies(staff=staff, innovator=innovator)
        group = load_demo_advisors(staff=staff, chair_user=User.objects.get(email="adviser@wiits.example"))
        manufacturer = User.objects.get(email="member@wiits.example")
        events = load_demo_events(staff=staff, members=[manufacturer])
        matchmaking = load_demo_matchmaking(staff=staff, manufacturer=manufacturer, innovator=innovator)
        attended = mark_demo_attendance()
        translations = load_demo_translations()
        calls = load_demo_calls(staff=staff)
        # The workflow queued its notifications; nobody should receive thirty demo emails.
        Message.objects.all().delete()
        self.stdout.write(f"Demo catalogue: {listings} technologies in every state of the workflow.")
        self.stdout.write(
            f"Demo advisory group: {group['advisers']} advisers, the charter, {group['assignments']} review "
            f"assignments and {group['reviews']} submitted reviews."
        )
        self.stdout.write(f"Demo events: {events}, the Wuzhen plenary of 2020 and upcoming ones (one nearly full).")
        inquiries = matchmaking["inquiries"] + matchmaking["answers"]
        self.stdout.write(
            f"Demo matchmaking: {matchmaking['needs']} technology needs, {inquiries} inquiries and answers over "
            f"a year, {matchmaking['agreements']} agreements ({matchmaking['success_stories']} featured), "
            f"{matchmaking['views']} listing views, {attended} attendances: see /needs/ and, as staff, /reports/."
        )
        self.stdout.write(f"Demo translations: {translations} (see /fr/needs/ and /zh-hans/technologies/).")
        self.stdout.write(
            f"Demo calls for solutions: {calls}, one closed with its results published and one open to "
            "innovator@wiits.example: see /calls/."
        )

    def _print_accounts(self) -> None:
        lines = [
            "",
            "WiiTs is ready at http://127.0.0.1:8000/  (sign in: http://127.0.0.1:8000/accounts/login/)",
            f"Demo accounts, development only, all with the password {DEMO_PASSWORD!r}:",
        ]
        lines += [f"  {account['email']:<26} {account['role']}" for account in DEMO_ACCOUNTS]
        if not settings.WIITS_STAFF_REQUIRE_MFA:
            lines.append("Two-factor authentication is not required for /admin/ in development (it is in production).")
        lines.append("Emails the portal sends are written as files under var/mail/.")
        self.stdout.write("\n".join(lines) + "\n")
