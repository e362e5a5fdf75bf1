"""What the two machines must show, each over real HTTP through the one address.

Each check returns a line saying what it saw, or raises CheckFailed saying what it saw
instead. They run in order: the upload needs the session, the publication needs the upload.
"""

import io
import itertools
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test.utils import override_settings
from django.utils.crypto import get_random_string
from PIL import Image

from accounts.models import StakeholderType, User
from accounts.selectors import consent_due
from accounts.services import consent_record
from devtools.checklist import complete_listing_form
from technologies.models import Technology
from technologies.services import technology_publish, technology_screen

from .client import Browser
from .machines import Machine

WRONG_PASSWORD = "The email address and/or password you specified are not correct."  # noqa: S105 (allauth's message)
TOO_MANY = "Too many failed login attempts"


class CheckFailed(AssertionError):
    pass


def said(page) -> str:
    """The errors a page shows (form errors, alerts), to say why a step failed."""
    found = re.findall(
        r'class="(?:error-summary-list|alert alert-danger|invalid-feedback[^"]*)"[^>]*>(.*?)</', page.text, re.S
    )
    return " | ".join(re.sub(r"<[^>]+>|\s+", " ", text).strip() for text in found) or page.text[:200]


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


@dataclass
class Run:
    proxy_port: int
    machines: dict[str, Machine]
    s3: object
    bucket: str
    endpoint: str
    token: str
    fragments_seconds: float
    password: str = "two-machines-passphrase-5172"  # noqa: S105 (the run's throw-away members)
    people: dict[str, User] = field(default_factory=dict)
    browsers: dict[str, Browser] = field(default_factory=dict)
    technology: Technology | None = None

    def browser(self, name: str) -> Browser:
        return self.browsers.setdefault(name, Browser(self.proxy_port))


def fetch(url: str) -> tuple[int, bytes, dict]:
    """GET `url` as a browser with no credentials would."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (the run's own S3 server)
            return answer.status, answer.read(), {k.lower(): v for k, v in answer.headers.items()}
    except urllib.error.HTTPError as error:
        return error.code, error.read(), {k.lower(): v for k, v in error.headers.items()}


def member_create(run: Run, role: str, **fields) -> User:
    """A member who can sign in: a verified address and the texts in force accepted."""
    user = User.objects.create_user(
        email=f"{role}-{run.token}@two-machines.example.org",
        # The dashboard greets a member by the first word of their name: one of this run's own.
        name=f"{role.title()}-{run.token} Two Machines",
        country="KE",
        **fields,
    )
    # Hashed as the machines hash (this process may run with the tests' faster hasher).
    User.objects.filter(pk=user.pk).update(password=PBKDF2PasswordHasher().encode(run.password, get_random_string(22)))
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    consent_record(user=user, documents=consent_due(user=user))
    run.people[role] = user
    return user


def png(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 140, 90)).save(buffer, format="PNG")
    return buffer.getvalue()


# --- The checks -----------------------------------------------------------------------------


def static_files(run: Run) -> str:
    a, b = run.machines["a"].static_manifest(), run.machines["b"].static_manifest()
    expect(a == b, f"the machines' static manifests differ in {len(set(a.items()) ^ set(b.items()))} entries")
    home = run.browser("visitor").get("/", on="a")
    stylesheet = next((name for name in a.values() if name.startswith("css/site.") and name.endswith(".css")), "")
    expect(f"/static/{stylesheet}" in home.text, f"the home page of a does not link /static/{stylesheet}")
    answer = run.browser("visitor").get(f"/static/{stylesheet}", on="b")
    expect(answer.status == 200, f"b answered {answer.status} for a's stylesheet /static/{stylesheet}")
    return (
        f"each collected {len(a)} files into its own STATIC_ROOT under the same names; "
        f"a's page links /static/{stylesheet}, b serves it"
    )


def session(run: Run) -> str:
    owner = member_create(run, "owner", stakeholder_type=StakeholderType.TECHNOLOGY_INNOVATOR)
    browser = run.browser("owner")
    signed_in = browser.post_form("/accounts/login/", {"login": owner.email, "password": run.password}, on="a")
    expect(
        signed_in.status == 302 and urlsplit(signed_in.location).path == "/dashboard/",
        f"signing in on a answered {signed_in.status} {signed_in.location!r}: {said(signed_in)}",
    )
    dashboard = browser.get("/dashboard/", on="b")
    expect(
        dashboard.status == 200 and dashboard.served_by == "b" and owner.get_short_name() in dashboard.text,
        f"b answered {dashboard.status} to a's session (served by {dashboard.served_by})",
    )
    return "signed in on a (302 to /dashboard/); b shows that member their dashboard (200)"


def upload(run: Run) -> str:
    browser, owner = run.browser("owner"), run.people["owner"]
    title = f"Two machines solar dryer {run.token}"
    data = complete_listing_form(title, "Dries crops with the sun; uploaded through one machine, shown by the other.")
    files = [
        ("new_images", ("photo.png", png(), "image/png")),
        ("brochure", ("brochure.pdf", f"%PDF-1.4 two machines {run.token}".encode(), "application/pdf")),
    ]
    created = browser.post_form("/technologies/new/", data, files=files, on="a")
    technology = Technology.objects.filter(owner=owner, title=title).first()
    expect(
        created.status == 302 and technology is not None,
        f"the upload on a answered {created.status}: {said(created)}",
    )
    run.technology = technology
    image = technology.images.get()
    key = f"private/{image.image.name}"
    stored = run.s3.get_object(Bucket=run.bucket, Key=key)["Body"].read()
    on_disk = [str(path) for machine in run.machines.values() for path in machine.local_uploads()]
    expect(not on_disk, f"uploads landed on a machine's own disk: {on_disk}")

    shown = browser.get(image.get_absolute_url(), on="b")
    expect(shown.status == 302, f"b answered {shown.status} to the owner for the image")
    query = parse_qs(urlsplit(shown.location).query)
    expect(shown.location.startswith(f"{run.endpoint}/{run.bucket}/{key}?"), f"b redirected to {shown.location!r}")
    expect("X-Amz-Signature" in query and query.get("X-Amz-Expires") == ["300"], "b's link is not signed for 300 s")
    status, body, _headers = fetch(shown.location)
    expect(status == 200 and body == stored, f"b's signed link answered {status}, {len(body)} bytes")
    with Image.open(io.BytesIO(body)) as picture:
        expect((picture.format, picture.size) == ("JPEG", (40, 30)), f"got {picture.format} {picture.size}")

    brochure = browser.get(f"/technologies/{technology.slug}/brochure/", on="b")
    status, body, headers = fetch(brochure.location) if brochure.status == 302 else (brochure.status, b"", {})
    expect(status == 200 and body.startswith(b"%PDF-1.4 two machines"), f"b's brochure link answered {status}")
    expect("attachment" in headers.get("content-disposition", ""), "the brochure is not offered as a download")

    visitor = run.browser("visitor").get(image.get_absolute_url(), on="b")
    expect(visitor.status == 404, f"b answered {visitor.status} to a visitor for a draft's image")
    plain = fetch(f"{run.endpoint}/{run.bucket}/{key}")[0]
    expect(plain == 403, f"the bucket answered {plain} to the plain address of a private object")
    return (
        f"uploaded on a (302), stored as {key} in the bucket (nothing on either machine's disk); b redirects "
        f"the owner to a link signed for 300 s that gives the same 40x30 JPEG, and the brochure; "
        f"b answers 404 to a visitor; the object's plain address answers {plain}"
    )


def rate_limit(run: Run) -> str:
    limited = member_create(run, "limited")
    browser = run.browser("limited")
    machines = ["a", "b", "a", "b", "a"]
    for attempt, machine in enumerate(machines, start=1):
        answer = browser.post_form("/accounts/login/", {"login": limited.email, "password": "wrong"}, on=machine)
        expect(
            answer.status == 200 and WRONG_PASSWORD in answer.text,
            f"wrong password {attempt} on {machine} answered {answer.status} without the usual error",
        )
    last = browser.post_form("/accounts/login/", {"login": limited.email, "password": run.password}, on="b")
    expect(last.status == 200 and TOO_MANY in last.text, f"the 6th attempt, on b, answered {last.status}")
    return (
        "5 wrong passwords for one mailbox (a, b, a, b, a), then the right one on b: refused "
        f'("{TOO_MANY}"); b alone had seen 2 of the 5 (the limit: 5 in 5 minutes, in the shared cache)'
    )


def publication(run: Run) -> str:
    technology, owner = run.technology, run.people["owner"]
    visitor = run.browser("visitor")
    submitted = run.browser("owner").post_form(
        f"/technologies/{technology.slug}/submit/", {}, on="a", page=f"/technologies/{technology.slug}/"
    )
    expect(submitted.status == 302, f"submitting on a answered {submitted.status}")
    staff = member_create(
        run, "staff", is_staff=True, is_superuser=True, stakeholder_type=StakeholderType.TECHNICAL_PARTNER
    )
    technology.refresh_from_db()
    # Staff move it along in the admin (here, in this process: a third machine); no email leaves.
    quiet = override_settings(MAILER_DELIVERY_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    with quiet:
        technology_screen(technology=technology, by=staff)
    for machine in ("a", "b", "a", "b"):  # both render the catalogue and keep its fragments
        page = visitor.get("/technologies/", on=machine)
        expect(page.status == 200 and technology.title not in page.text, f"{machine}'s catalogue: {page.status}")
    with quiet:
        technology_publish(technology=technology, by=staff)
    committed = time.monotonic()
    promise = run.fragments_seconds
    seen: dict[str, float] = {}
    # Any request that starts more than `promise` seconds after the commit must show it.
    promised: dict[str, bool] = {}
    while len(promised) < 2 and time.monotonic() - committed < promise + 10:
        for machine in ("a", "b"):
            if machine in promised:
                continue
            started = time.monotonic() - committed
            shown = technology.title in visitor.get("/technologies/", on=machine).text
            if shown and machine not in seen:
                seen[machine] = started
            if started > promise:
                promised[machine] = shown
        time.sleep(0.05)
    for machine in ("a", "b"):
        expect(promised.get(machine), f"{machine} still did not show it {promise:.1f} s after the commit")
    image = technology.images.get().get_absolute_url()
    for machine in ("a", "b"):
        answer = visitor.get(image, on=machine)
        expect(
            answer.status == 302 and answer.headers.get("cache-control", "").startswith("public, max-age="),
            f"{machine} answered {answer.status} to a visitor for the published image",
        )
    return (
        f"published (commit at 0.00 s); a's catalogue showed it from {seen['a']:.2f} s, b's from "
        f"{seen['b']:.2f} s, every request after {promise:.1f} s showed it; the image now goes to visitors "
        f"on both ({owner.get_short_name()}'s listing)"
    )


def one_address(run: Run) -> str:
    browser, owner = run.browser("owner"), run.people["owner"]
    served = []
    for _ in range(6):
        page = browser.get("/dashboard/")
        expect(
            page.status == 200 and owner.get_short_name() in page.text,
            f"{page.served_by} answered {page.status} {page.location!r} without the member's name: {said(page)}",
        )
        served.append(page.served_by)
    expect(
        set(served) == {"a", "b"} and all(x != y for x, y in itertools.pairwise(served)),
        f"served by {served}",
    )
    return f"6 requests to the one address, served by {', '.join(served)}: signed in on each"


def sign_out(run: Run) -> str:
    browser = run.browser("owner")
    out = browser.post_form("/accounts/logout/", {}, on="b")
    expect(out.status == 302, f"signing out on b answered {out.status}")
    after = browser.get("/dashboard/", on="a")
    expect(
        after.status == 302 and urlsplit(after.location).path == "/accounts/login/",
        f"a answered {after.status} {after.location!r} after signing out on b",
    )
    return "signed out on b; a then sends that browser to the sign-in page"


CHECKS = [
    ("static files on each machine", static_files),
    ("a session started on one is valid on the other", session),
    ("an image uploaded through one is shown by the other", upload),
    ("the rate limit counts across both", rate_limit),
    ("a published listing shows on both within the fragment cache's promise", publication),
    ("one address in front of both", one_address),
    ("signing out on one ends the session on both", sign_out),
]
