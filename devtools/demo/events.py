"""Demo events: the real First Plenary of the National Advisory Group (Wuzhen, 18 September
2020) and five fictional upcoming events, with registrations made through the services
exactly as members and staff would.

The Wuzhen entry keeps to the press release of that evening: its description paraphrases
what the release says, without invented quotes. The release gives no times: the evening
schedule (18:30 to 21:30 local time) and the times of its agenda are indicative. Every
upcoming event, venue, organisation and person in them is invented, except the demo
advisers (devtools.demo.advisors), whose fictional members are reused as speakers.
`load_demo_events` runs inside the caller's transaction and leaves the emails the services
queue to the caller. `mark_demo_attendance` then records who came to the past events.
"""

import zoneinfo
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import StakeholderType
from advisors.models import Adviser
from devtools.demo.advisors import ADVISERS
from events import services
from events.models import AgendaItem, Event, EventKind, Registration, RegistrationMode, RegistrationStatus, Speaker

SHANGHAI = "Asia/Shanghai"

# --- The real event: the press release of 18 September 2020 -------------------------------

WUZHEN_DATE = date(2020, 9, 18)
WUZHEN_SLUG = "unido-night-wiits-workshop-wuzhen-2020"
WUZHEN_TITLE = "UNIDO Night: WiiTs Workshop & First Plenary of the WiiTs National Advisory Group"

WUZHEN_SUMMARY = (
    "On the occasion of the 2nd Global Industrial Internet Conference, ITPO Shanghai of UNIDO, the School of "
    "International and Public Affairs of SJTU and the ISID Joint Institute of SJTU launched the WiiTs website "
    "and held the First Plenary of the WiiTs National Advisory Group in Wuzhen."
)

WUZHEN_DESCRIPTION = """\
On the occasion of the 2020 2nd Global Industrial Internet Conference, the Investment and Technology \
Promotion Office (ITPO) Shanghai of the United Nations Industrial Development Organization (UNIDO), the \
School of International and Public Affairs of Shanghai Jiao Tong University (SJTU) and the ISID Joint \
Institute of SJTU co-organised *UNIDO Night: WiiTs Workshop & First Plenary of the WiiTs National Advisory \
Group* on 18 September 2020 in Wuzhen, Tongxiang, Zhejiang. The evening aimed to advance the World \
Industrial Innovative Technology Cooperations (WiiTs) initiative and the global application of \
sustainable technology.

WiiTs was jointly initiated by UNIDO ITPO Shanghai and Shanghai Jiao Tong University during the 2020 \
World Artificial Intelligence Conference. It brings together industrial technology innovators, \
industrial manufacturers, product-globalisation users, finance service providers and technical partners \
in an ecosystem of industrial technology innovation and international cooperation, for inclusive and \
sustainable industrial development.

## Opening remarks and speech

**Zhou Cheng**, Deputy Secretary of the Party Committee of Shanghai Jiao Tong University, opened the \
evening. He observed that the new global technology revolution and industrial transformation are \
accelerating and that Shanghai, as a global science and innovation centre, must seize their \
opportunities. He described the ISID Joint Institute as the model of close cooperation between SJTU and \
UNIDO, promoting green industrial growth and eco-industrial parks in the Yangtze River Delta, from \
research and development to global linkage and sustainable development.

**Zhou Yiping**, Dean of the International Silk Road Academy of the Shanghai Academy of Social Sciences, \
former UN Secretary-General's Special Envoy for South-South Cooperation and Director of the UN Office for \
South-South Cooperation, recalled that 2020 marked the 75th anniversary of the United Nations and the \
global warnings issued days earlier by Secretary-General António Guterres. He called for global unity and \
cooperation: the countries where the alarm sounds most urgently need infrastructure investment and \
technology transfer in transportation, irrigation, energy, health, education and communications. This \
calls for a new type of partnership and a fair, open and non-profit platform for industrial technology \
innovation and technology transfer. He welcomed joining the WiiTs initiative and platform launched by \
UNIDO and SJTU.

## Closed-door workshop

As the first plenary since the initiative began, the closed-door WiiTs Workshop held the **WiiTs website \
launching ceremony**, the **First Plenary of the WiiTs National Advisory Group** and a discussion on \
**Global Technology Cooperation During Digital Era**, marking the start of the implementation of the \
WiiTs plan for global cooperation on sustainable technology.

Three overseas National Advisers joined online: Marcel Dridje (France), President Emeritus of Sophia \
Business Angels and EBAN Board Member; Karl Östen Ekengren (Sweden), Chairman of Stockholm Clean Tech and \
Vice President of IVL Swedish Environmental Research Institute; and Helen Wang (United Kingdom), CEO of \
BGTA International Accelerator, Cambridge Innovative Academy.

The First Plenary was presided over by **Huang Feng**, first chairman of the WiiTs National Advisory \
Group and Chairman of the Shanghai Foreign Investment Association. The plenary unanimously approved the \
charter of the Group, clarified the responsibilities and obligations of National Advisers, and all \
participants agreed to the conveners recommended by Huang Feng.

In the discussion, 36 experts from government, academia and business examined the trends, \
characteristics and bottlenecks of global technological cooperation and innovative applications, and \
made suggestions for the implementation and future planning of the WiiTs initiative.

## Summary

**Xiong Meng**, Secretary of the Party Committee, Executive Vice President and Secretary-General of the \
China Federation of Industrial Economics, summed up the meeting: innovative models, technologies, \
subjects and projects are important components of the innovation ecosystem, and joint efforts from many \
directions will promote the overall upgrading and coordinated development of China's industry.

WiiTs aims to lay a solid foundation for global industrial technology cooperation and to contribute to an \
inclusive, green and innovative economic recovery after the pandemic. The platform will be built around \
global, cross-industry, collaborative-innovation and technology-oriented cooperation, in line with the \
2030 Agenda for Sustainable Development of the United Nations.
"""

# key: (name, title, affiliation, biography)
WUZHEN_SPEAKERS = {
    "zhou-cheng": (
        "Zhou Cheng",
        "Deputy Secretary of the Party Committee",
        "Shanghai Jiao Tong University",
        "Delivered the opening remarks.",
    ),
    "zhou-yiping": (
        "Zhou Yiping",
        "Dean of the International Silk Road Academy; former UN Secretary-General's Special Envoy for "
        "South-South Cooperation and Director of the UN Office for South-South Cooperation",
        "Shanghai Academy of Social Sciences",
        "Gave a speech on global cooperation and technology transfer.",
    ),
    "huang-feng": (
        "Huang Feng",
        "First Chairman of the WiiTs National Advisory Group; Chairman of the Shanghai Foreign Investment Association",
        "Shanghai Foreign Investment Association",
        "Presided over the First Plenary of the WiiTs National Advisory Group.",
    ),
    "xiong-meng": (
        "Xiong Meng",
        "Secretary of the Party Committee, Executive Vice President and Secretary-General",
        "China Federation of Industrial Economics",
        "Summed up the meeting.",
    ),
    "marcel-dridje": (
        "Marcel Dridje",
        "President Emeritus, Sophia Business Angels; EBAN Board Member",
        "Sophia Business Angels",
        "National Adviser from France; joined the WiiTs Workshop online.",
    ),
    "karl-osten-ekengren": (
        "Karl Östen Ekengren",
        "Chairman, Stockholm Clean Tech; Vice President, IVL Swedish Environmental Research Institute",
        "Stockholm Clean Tech",
        "National Adviser from Sweden; joined the WiiTs Workshop online.",
    ),
    "helen-wang": (
        "Helen Wang",
        "CEO, BGTA International Accelerator, Cambridge Innovative Academy",
        "BGTA International Accelerator",
        "National Adviser from the United Kingdom; joined the WiiTs Workshop online.",
    ),
}

# (local time, title, description, speaker keys)
WUZHEN_AGENDA = [
    (time(18, 30), "Opening remarks", "", ["zhou-cheng"]),
    (time(18, 45), "Speech", "Global cooperation, partnership and technology transfer.", ["zhou-yiping"]),
    (time(19, 5), "WiiTs website launching ceremony", "", []),
    (
        time(19, 20),
        "First Plenary of the WiiTs National Advisory Group",
        "Presided over by Huang Feng. The charter of the Group was unanimously approved, the responsibilities "
        "and obligations of National Advisers were clarified, and the conveners recommended by the chair were "
        "agreed by all participants.",
        ["huang-feng"],
    ),
    (
        time(20, 10),
        "Discussion: Global Technology Cooperation During Digital Era",
        "36 experts from government, academia and business on the trends, characteristics and bottlenecks of "
        "global technological cooperation, with suggestions for the WiiTs initiative.",
        [],
    ),
    (time(21, 10), "Summary of the meeting", "", ["xiong-meng"]),
]

# --- Fictional upcoming events --------------------------------------------------------------

ATTENDEE_EMAIL = "demo.attendee.{}@wiits.example"
ATTENDEE_NAMES = [
    "Grace Achieng", "Tomás Ferreira", "Li Na", "Samuel Okafor", "Ana Lima", "Wang Hao", "Fatou Ndiaye",
    "Pham Minh Duc", "Joseph Kamau", "Elena Petrova", "Zhang Yu", "Aisha Bello", "Carlos Mendes",
    "Tran Thi Mai", "Peter Mutua", "Sara Haddad", "Liu Yang", "Kofi Mensah", "Nadia Rahman", "David Njoroge",
    "Chen Xi", "Mariam Yusuf", "Rafael Souza", "Nguyen Van An", "Esther Wambui", "Omar Farouk",
    "Zhao Lei", "Beatrice Atieno", "Hannah Schultz", "Ibrahim Diallo", "Yuki Tanaka", "Lucia Rossi",
    "Michael Otieno", "Huang Jing", "Priya Nair", "Abebe Tesfaye", "Jin Wei", "Ngozi Eze", "Le Hoang Nam",
    "Miguel Torres",
]  # fmt: skip

# Speakers who are fictional demo advisers: their titles come from devtools.demo.advisors.
_ADVISER_ENTRIES = {entry["name"]: entry for entry in ADVISERS}

UPCOMING = [
    {
        "slug": "financing-clean-industrial-technologies-webinar",
        "title": "Financing Clean Industrial Technologies: What Investors Look For",
        "kind": EventKind.WEBINAR,
        "mode": RegistrationMode.OPEN,
        "time_zone": "Europe/Vienna",
        "days_ahead": 12,
        "starts": time(14, 0),
        "ends": time(15, 30),
        "online_url": "https://meet.example.org/wiits-financing-clean-tech",
        "capacity": None,
        "registrations": 12,
        "summary": (
            "Impact investors and a National Adviser explain how they assess clean industrial technologies, "
            "and what innovators should prepare before asking for finance. Online, open to all members."
        ),
        "description": (
            "Many sustainable technologies listed on WiiTs are ready to scale but lack the finance to do it. "
            "In this webinar, investors describe what they look for in a technology and its team, and how a "
            "listing can answer their first questions.\n\n"
            "- Stages of finance, from grants to equity and trade finance\n"
            "- The evidence investors expect: performance data, costs, intellectual property\n"
            "- Questions from participants\n\n"
            "The link to join is shown on this page to registered participants."
        ),
        "speakers": [
            ("Katharina Hofer", "Investment Manager", "Danube Impact Capital (fictional)"),
            ("Mona Abdel-Rahman", None, None),
        ],
        "agenda": [
            (time(14, 0), "Welcome and introduction", []),
            (time(14, 10), "Panel: what makes a clean technology investable", [0, 1]),
            (time(15, 0), "Questions from participants", [0, 1]),
        ],
    },
    {
        "slug": "solar-drying-cold-storage-workshop-nairobi",
        "title": "Solar Drying and Cold Storage for Agro-Processors",
        "kind": EventKind.WORKSHOP,
        "mode": RegistrationMode.OPEN,
        "time_zone": "Africa/Nairobi",
        "days_ahead": 26,
        "starts": time(9, 0),
        "ends": time(16, 0),
        "venue": "Kilimani Innovation Centre (fictional)",
        "city": "Nairobi",
        "country": "KE",
        "capacity": 30,
        "registrations": 29,  # one place left
        "summary": (
            "A hands-on workshop for food processors and cooperatives: solar dryers and off-grid cold rooms "
            "that cut post-harvest losses, with the innovators who build them. Limited to 30 participants."
        ),
        "description": (
            "Up to a third of fruit, vegetables and fish in East Africa is lost between harvest and market. "
            "This workshop presents solar drying and off-grid cold storage listed on WiiTs, with live "
            "demonstrations and time to meet the innovators.\n\n"
            "- Choosing a dryer or cold room for your products and volumes\n"
            "- Costs, maintenance and financing\n"
            "- Visits to the demonstration units\n\n"
            "Lunch is provided. Places are limited: please cancel your registration if you cannot come."
        ),
        "speakers": [
            ("Wanjiru Mwangi", None, None),
            ("Daniel Otieno", "Founder", "Jua Dry Solutions (fictional)"),
        ],
        "agenda": [
            (time(9, 0), "Welcome and introductions", [0]),
            (time(9, 30), "Solar drying in practice", [1]),
            (time(11, 30), "Off-grid cold storage: options and costs", [0]),
            (time(14, 0), "Demonstrations and matchmaking", [0, 1]),
        ],
    },
    {
        "slug": "green-manufacturing-matchmaking-conference-shanghai",
        "title": "WiiTs Green Manufacturing Matchmaking Conference",
        "kind": EventKind.CONFERENCE,
        "mode": RegistrationMode.APPROVAL,
        "time_zone": SHANGHAI,
        "days_ahead": 40,
        "starts": time(9, 0),
        "ends": time(17, 30),
        "venue": "Huangpu Riverside Convention Hall (fictional)",
        "city": "Shanghai",
        "country": "CN",
        "capacity": 200,
        "registrations": 8,  # requests; staff approve the first three
        "approve": 3,
        "summary": (
            "A day of presentations and one-to-one meetings between technology owners, manufacturers and "
            "investors on cleaner processes, circular materials and low-carbon production. Places are "
            "confirmed by WiiTs staff."
        ),
        "description": (
            "The conference brings together innovators whose technologies are listed on WiiTs and the "
            "manufacturers, industrial parks and investors who could adopt them.\n\n"
            "- Morning: keynotes on cleaner processes and circular materials\n"
            "- Afternoon: pitches and pre-arranged one-to-one meetings\n\n"
            "Registration is by approval: WiiTs staff confirm places so that every sector is represented."
        ),
        "speakers": [
            ("Luísa Carvalho Prado", None, None),
            ("Jonas Becker", None, None),
            ("Zhang Min", "Head of Technology Transfer", "Yangtze Delta Green Industry Park (fictional)"),
        ],
        "agenda": [
            (time(9, 0), "Opening", [2]),
            (time(9, 30), "Keynote: cleaner processes for the process industries", [0]),
            (time(10, 30), "Keynote: low-carbon building materials from industrial residues", [1]),
            (time(13, 30), "Technology pitches and one-to-one meetings", [2]),
        ],
    },
    {
        "slug": "wiits-roadshow-viet-nam-hanoi",
        "title": "WiiTs Roadshow Viet Nam: Food Processing and the Circular Economy",
        "kind": EventKind.ROADSHOW,
        "mode": RegistrationMode.OPEN,
        "time_zone": "Asia/Ho_Chi_Minh",
        "days_ahead": 58,
        "starts": time(13, 30),
        "ends": time(17, 30),
        "venue": "Hoan Kiem Business Forum Hall (fictional)",
        "city": "Hanoi",
        "country": "VN",
        "capacity": 80,
        "registrations": 6,
        "summary": (
            "The WiiTs roadshow comes to Hanoi: technologies that help food processors automate, save energy "
            "and turn by-products into income, presented to Vietnamese manufacturers and investors."
        ),
        "description": (
            "The roadshow presents a selection of WiiTs technologies to manufacturers and investors in Viet Nam, "
            "with a focus on food processing and the reuse of rice, fruit and seafood by-products.\n\n"
            "- How WiiTs works and how to list a technology\n"
            "- Short presentations of selected technologies\n"
            "- Networking with interpretation in Vietnamese and English"
        ),
        "speakers": [
            ("Nguyen Thu Ha", None, None),
            ("Lin Yue", "Programme Officer, WiiTs secretariat", "UNIDO ITPO Shanghai"),
        ],
        "agenda": [
            (time(13, 30), "Welcome and introduction to WiiTs", [1]),
            (time(14, 0), "Technologies for food processors", [0]),
            (time(16, 0), "Networking", []),
        ],
    },
    {
        "slug": "second-plenary-wiits-national-advisory-group",
        "title": "Second Plenary of the WiiTs National Advisory Group",
        "kind": EventKind.PLENARY,
        "mode": RegistrationMode.INVITATION,
        "time_zone": SHANGHAI,
        "days_ahead": 80,
        "starts": time(14, 0),
        "ends": time(17, 30),
        "venue": "WiiTs secretariat, UNIDO ITPO Shanghai (meeting room to be confirmed)",
        "city": "Shanghai",
        "country": "CN",
        "capacity": None,
        "registrations": 0,
        "summary": (
            "A closed-door plenary of the National Advisory Group: reports of the working groups, a review of "
            "the evaluation criteria and the work plan for the coming year. By invitation only."
        ),
        "description": (
            "The plenary brings the advisers together, in Shanghai and online, to take stock of the reviews "
            "since the last plenary and to plan the year ahead.\n\n"
            "- Reports of the conveners' working groups\n"
            "- Review of the evaluation criteria and their weights\n"
            "- Work plan and events for the coming year\n\n"
            "Closed-door: advisers receive a personal invitation link by email."
        ),
        "speakers": [
            ("Wanjiru Mwangi", None, None),
            ("Luísa Carvalho Prado", None, None),
        ],
        "agenda": [
            (time(14, 0), "Opening and adoption of the agenda", []),
            (time(14, 20), "Reports of the working groups", [0, 1]),
            (time(15, 45), "Review of the evaluation criteria", []),
            (time(16, 45), "Work plan for the coming year", []),
        ],
    },
]


def _at(day: date, clock: time, tz: zoneinfo.ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=tz)


def _create_event(**fields) -> Event:
    event = Event(is_published=True, **fields)
    event.full_clean()
    event.save()
    return event


def _load_wuzhen() -> Event:
    tz = zoneinfo.ZoneInfo(SHANGHAI)
    event = _create_event(
        kind=EventKind.PLENARY,
        title=WUZHEN_TITLE,
        slug=WUZHEN_SLUG,
        summary=WUZHEN_SUMMARY,
        description=WUZHEN_DESCRIPTION,
        starts_at=_at(WUZHEN_DATE, time(18, 30), tz),
        ends_at=_at(WUZHEN_DATE, time(21, 30), tz),
        time_zone=SHANGHAI,
        venue="Wuzhen",
        city="Tongxiang",
        country="CN",
        registration_mode=RegistrationMode.INVITATION,
    )
    advisers = {
        "huang-feng": Adviser.objects.filter(user__email="adviser@wiits.example").first(),
        **{
            key: Adviser.objects.filter(user__name=WUZHEN_SPEAKERS[key][0]).first()
            for key in ("marcel-dridje", "karl-osten-ekengren", "helen-wang")
        },
    }
    speakers = {}
    for order, (key, (name, title, affiliation, biography)) in enumerate(WUZHEN_SPEAKERS.items()):
        speakers[key] = Speaker.objects.create(
            event=event,
            name=name,
            title=title,
            affiliation=affiliation,
            biography=biography,
            adviser=advisers.get(key),
            order=order,
        )
    for clock, title, description, keys in WUZHEN_AGENDA:
        item = AgendaItem.objects.create(
            event=event, starts_at=_at(WUZHEN_DATE, clock, tz), title=title, description=description
        )
        item.speakers.set([speakers[key] for key in keys])
    return event


def _speaker(event: Event, order: int, name: str, title: str | None, affiliation: str | None) -> Speaker:
    adviser = None
    if title is None:  # a demo adviser: their entry, and their Adviser row if it exists
        entry = _ADVISER_ENTRIES[name]
        title, affiliation = entry["title"], entry["affiliation"]
        adviser = Adviser.objects.filter(user__name=name).first()
    return Speaker.objects.create(
        event=event, name=name, title=title, affiliation=affiliation, adviser=adviser, order=order
    )


def _load_upcoming(plan: dict, *, now: datetime) -> Event:
    tz = zoneinfo.ZoneInfo(plan["time_zone"])
    day = timezone.localtime(now, tz).date() + timedelta(days=plan["days_ahead"])
    starts_at = _at(day, plan["starts"], tz)
    event = _create_event(
        kind=plan["kind"],
        title=plan["title"],
        slug=plan["slug"],
        summary=plan["summary"],
        description=plan["description"],
        starts_at=starts_at,
        ends_at=_at(day, plan["ends"], tz),
        time_zone=plan["time_zone"],
        venue=plan.get("venue", ""),
        city=plan.get("city", ""),
        country=plan.get("country", ""),
        online_url=plan.get("online_url", ""),
        capacity=plan["capacity"],
        registration_mode=plan["mode"],
        registration_opens_at=now,
        registration_closes_at=starts_at - timedelta(days=2),
    )
    speakers = [_speaker(event, order, *entry) for order, entry in enumerate(plan["speakers"])]
    for clock, title, indexes in plan["agenda"]:
        item = AgendaItem.objects.create(event=event, starts_at=_at(day, clock, tz), title=title)
        item.speakers.set([speakers[index] for index in indexes])
    return event


def _attendees(count: int) -> list:
    """Fictional members with no usable password, created on first use."""
    User = get_user_model()
    users = []
    for n, name in enumerate(ATTENDEE_NAMES[:count], start=1):
        email = ATTENDEE_EMAIL.format(n)
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, password=None, name=name, stakeholder_type=StakeholderType.INDUSTRIAL_MANUFACTURER
        )
        users.append(user)
    return users


def load_demo_events(*, staff, members) -> int:
    """Create the Wuzhen plenary of 2020 and five upcoming events; return how many.

    Registrations go through events.services: the open workshop in Nairobi is left with
    exactly one place, taken by fictional attendees (created here, no usable password);
    staff approve some requests for the conference. `members` (e.g. the demo accounts)
    only ask for a place at the conference by approval, so they stay free to register for
    every open event. Advisers, if loaded, are invited to the Second Plenary by `staff`.
    Runs inside the caller's transaction; the emails the services queue are left to the caller.
    """
    now = timezone.now()
    events = [_load_wuzhen()]
    attendees = _attendees(max(plan["registrations"] for plan in UPCOMING))
    for plan in UPCOMING:
        event = _load_upcoming(plan, now=now)
        events.append(event)
        registrations = [
            services.registration_create(event=event, user=user) for user in attendees[: plan["registrations"]]
        ]
        for registration in registrations[: plan.get("approve", 0)]:
            services.registration_approve(registration=registration, by=staff)
        if event.registration_mode == RegistrationMode.APPROVAL:
            for user in members:
                services.registration_create(event=event, user=user)
        if event.registration_mode == RegistrationMode.INVITATION:
            for adviser in Adviser.objects.active().select_related("user"):
                services.invitation_create(event=event, email=adviser.user.email, by=staff)
    return len(events)


# --- Attendance at past events ----------------------------------------------------------------

# People named in the press release were there (in Wuzhen or online): never marked absent.
_PRESS_RELEASE_NAMES = {name for name, _title, _affiliation, _biography in WUZHEN_SPEAKERS.values()}
PAST_ATTENDEES = 14  # fictional attendees added to a past event that has no registrations
ABSENT_EVERY = 6  # one registration in six (not of a person named above) did not come


def _register_past(event: Event) -> None:
    """Register the advisers of the time and some fictional attendees for a past event, as
    staff would have recorded them (the services refuse registrations once an event began)."""
    users = [
        adviser.user
        for adviser in Adviser.objects.filter(active_from__lte=event.starts_at.date())
        .select_related("user")
        .order_by("order", "pk")
    ]
    users += [user for user in _attendees(PAST_ATTENDEES) if user not in users]
    Registration.objects.bulk_create(
        Registration(
            event=event,
            user=user,
            status=RegistrationStatus.REGISTERED,
            created_at=event.starts_at - timedelta(days=14 - n % 10),
            queued_at=event.starts_at - timedelta(days=14 - n % 10),
        )
        for n, user in enumerate(users)
    )


def mark_demo_attendance(*, today: date | None = None) -> int:
    """Record who came to the published events that are over: most registered members came, a
    few did not. A past event with nobody registered first gets registrations. Deterministic;
    returns how many registrations got their attendance recorded. Run after load_demo_events
    (and load_demo_advisors, whose advisers attend the Wuzhen plenary)."""
    now = timezone.now() if today is None else timezone.make_aware(datetime.combine(today, time.min))
    recorded = 0
    for event in Event.objects.published().past(now=now):
        registered = Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED)
        if not registered.exists():
            _register_past(event)
        registrations = list(registered.select_related("user").order_by("created_at", "pk"))
        others = 0
        for registration in registrations:
            if registration.user.name in _PRESS_RELEASE_NAMES:
                registration.attended = True
            else:
                others += 1
                registration.attended = others % ABSENT_EVERY != 0
        Registration.objects.bulk_update(registrations, ["attended"])
        recorded += len(registrations)
    return recorded
