"""What the deployment recipe must show, over HTTP(S) through the run's nginx (and, for the
redirect, straight to gunicorn). Each check returns a line saying what it saw, or raises
CheckFailed saying what it saw instead."""

import gzip
import hashlib
import http.client
import io
import json
import ssl
import struct
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from accounts.models import StakeholderType, User
from devtools.checklist import complete_listing_form
from devtools.twomachines.checks import CheckFailed, expect, member_create, said
from technologies.forms import MAX_IMAGES_PER_UPLOAD
from technologies.models import Technology
from technologies.uploads import MAX_BROCHURE_BYTES, MAX_IMAGE_BYTES

from .client import Browser
from .recipe import HOST

__all__ = ["CHECKS", "CheckFailed", "Run"]

NGINX_IMMUTABLE = "public, max-age=31536000, immutable"
TOO_LARGE = "413 Request Entity Too Large"  # nginx's own page


@dataclass
class Run:
    http_port: int
    https_port: int
    gunicorn_port: int
    cafile: Path
    static_root: Path
    media_root: Path
    private_root: Path
    monitoring: str  # the client address given WIITS_MONITORING_ADDRESSES
    api_rate: int  # API_RATE_ANONYMOUS, per minute
    logs: dict[str, Path]
    token: str
    password: str = "deploy-recipe-passphrase-8214"  # noqa: S105 (the run's throw-away members)
    people: dict[str, User] = field(default_factory=dict)

    def browser(self, address: str | None = None, *, host: str = HOST) -> Browser:
        return Browser(port=self.https_port, host=host, cafile=self.cafile, address=address)

    def plain(self, port: int, address: str | None = None, host_port: int | None = None) -> Browser:
        return Browser(port=port, host=HOST, cafile=None, address=address, host_port=host_port)


def png_of(size: int) -> bytes:
    """A real PNG of exactly `size` bytes: a small picture and a private chunk of padding
    (which readers skip), so the file is at the portal's limit but cheap to decode."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 140, 90)).save(buffer, format="PNG")
    data = buffer.getvalue()
    iend = data.rindex(b"IEND") - 4  # the IEND chunk's length field
    padding = size - len(data) - 12
    if padding < 0:
        raise ValueError(f"a PNG cannot be as small as {size} bytes")
    kind = b"wiTs"  # ancillary, private, safe to copy
    chunk = struct.pack(">I", padding) + kind + b"\0" * padding
    chunk += struct.pack(">I", zlib.crc32(kind + b"\0" * padding) & 0xFFFFFFFF)
    return data[:iend] + chunk + data[iend:]


def pdf_of(size: int) -> bytes:
    head = b"%PDF-1.4\n% make deploy-recipe\n"
    return head + b"%" * (size - len(head))


def listing_form(run: Run, title: str) -> dict:
    return complete_listing_form(title, "Dries crops with the sun; uploaded through nginx.")


def no_answer(send) -> str:
    """What happened to a request that must get no answer: '' if it got one."""
    try:
        answer = send()
    except (http.client.RemoteDisconnected, ConnectionResetError) as error:
        return f"closed without an answer ({type(error).__name__})"
    except ssl.SSLError as error:
        return f"TLS refused ({error.reason})"
    return "" if answer is not None else "nothing"


# --- The checks -----------------------------------------------------------------------------


def https_redirect(run: Run) -> str:
    plain = run.plain(run.http_port).get("/technologies/?q=dryer")
    expect(
        plain.status == 301 and plain.header("location") == f"https://{HOST}/technologies/?q=dryer",
        f"plain HTTP to nginx answered {plain.status} {plain.header('location')!r}",
    )
    page = run.browser().get("/")
    expect(page.status == 200, f"the home page over HTTPS answered {page.status}")
    hsts = page.header("strict-transport-security")
    expect(hsts.startswith("max-age="), f"the portal sent no HSTS over HTTPS (it did not see HTTPS): {hsts!r}")
    direct = run.plain(run.gunicorn_port, address="127.0.0.1", host_port=run.https_port)  # the Host nginx passes on
    told_http = direct.request(
        "GET", "/technologies/", headers={"X-Forwarded-Proto": "http", "X-Forwarded-For": "127.0.0.1"}
    )
    told_https = direct.request(
        "GET", "/technologies/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}
    )
    expect(
        told_http.status == 301 and told_http.header("location").startswith(f"https://{HOST}:"),
        f"gunicorn told X-Forwarded-Proto: http answered {told_http.status} {told_http.header('location')!r}",
    )
    expect(told_https.status == 200, f"gunicorn told X-Forwarded-Proto: https answered {told_https.status}")
    return (
        f"http:// to nginx: 301 to {plain.header('location')}; over HTTPS the portal answers 200 with HSTS "
        f"({hsts}); gunicorn itself: X-Forwarded-Proto http gives 301 to https://, https gives 200"
    )


def other_hosts(run: Run) -> str:
    by_name = no_answer(lambda: run.browser(host="elsewhere.example.org").get("/"))
    expect(bool(by_name), "nginx answered a TLS connection for another name")
    spoofed = run.browser()
    by_host = no_answer(lambda: spoofed.request("GET", "/", headers={"Host": "elsewhere.example.org"}))
    expect(bool(by_host), "nginx passed on a request for another Host")
    plain = run.plain(run.http_port)
    by_plain = no_answer(lambda: plain.request("GET", "/", headers={"Host": "elsewhere.example.org"}))
    expect(bool(by_plain), "nginx answered plain HTTP for another Host")
    return f"TLS for another name: {by_name}; another Host over HTTPS: {by_host}; over HTTP: {by_plain}"


def static_files(run: Run) -> str:
    manifest = json.loads((run.static_root / "staticfiles.json").read_text())["paths"]
    hashed = manifest["css/site.css"]
    browser = run.browser()
    answer = browser.get(f"/static/{hashed}")
    on_disk = (run.static_root / hashed).read_bytes()
    expect(answer.status == 200, f"/static/{hashed} answered {answer.status}")
    expect(answer.body == on_disk, "the stylesheet served differs from STATIC_ROOT's")
    expect(
        answer.header("cache-control") == NGINX_IMMUTABLE,
        f"/static/{hashed}: Cache-Control {answer.header('cache-control')!r} (nginx's is {NGINX_IMMUTABLE!r})",
    )
    expect("set-cookie" not in answer.headers, "a static file came with a cookie")
    packed = browser.get(f"/static/{hashed}", Accept_Encoding="gzip")
    expect(
        packed.header("content-encoding") == "gzip" and gzip.decompress(packed.body) == on_disk,
        f"with Accept-Encoding: gzip, Content-Encoding {packed.header('content-encoding')!r}",
    )
    expect(
        (run.static_root / f"{hashed}.gz").exists() and packed.header("etag") != answer.header("etag"),
        "the gzip answer is not collectstatic's .gz file",
    )
    original = browser.get("/static/css/site.css")
    expect(
        original.status == 200 and original.header("cache-control") == "max-age=3600",
        f"/static/css/site.css (no hash) answered {original.status}, {original.header('cache-control')!r}",
    )
    missing = browser.get("/static/css/nothing-here.0123456789ab.css")
    expect(missing.status == 404, f"a missing static file answered {missing.status}")
    return (
        f"/static/{hashed}: 200, the bytes of STATIC_ROOT, Cache-Control: {NGINX_IMMUTABLE} (nginx's, not "
        f"WhiteNoise's), gzip from its .gz ({len(packed.body)} of {len(on_disk)} bytes); the unhashed name: "
        "max-age=3600; a missing file: 404"
    )


def media_files(run: Run) -> str:
    picture = png_of(2048)
    target = run.media_root / "events" / f"deploy-recipe-{run.token}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(picture)
    target.chmod(0o644)
    answer = run.browser().get(f"/media/events/{target.name}")
    expect(answer.status == 200 and answer.body == picture, f"/media/events/{target.name} answered {answer.status}")
    csp = answer.header("content-security-policy")
    expect("sandbox" in csp and answer.header("x-content-type-options") == "nosniff", f"media headers: {csp!r}")
    return f"a public upload in MEDIA_ROOT answers 200 from nginx, sandboxed ({csp})"


def compression(run: Run) -> str:
    page = run.browser().get("/", Accept_Encoding="gzip")
    expect(page.status == 200 and page.header("content-encoding") == "gzip", "the home page did not come gzipped")
    size = len(gzip.decompress(page.body))
    api = run.browser().get("/api/v1/sdgs/", Accept_Encoding="gzip")
    expect(api.header("content-encoding") == "gzip", f"the API's JSON did not come gzipped ({api.status})")
    return f"the home page: {len(page.body)} bytes gzipped for {size}; the API's JSON gzipped too"


def healthz(run: Run) -> str:
    anyone = run.browser().get("/healthz")
    expect(anyone.status == 200 and json.loads(anyone.body) == {"status": "ok"}, f"/healthz: {anyone.status}")
    monitor = run.browser(run.monitoring).get("/healthz")
    details = json.loads(monitor.body)
    expect(
        monitor.status == 200 and details.get("checks", {}).get("database") == "ok",
        f"/healthz from the monitoring address {run.monitoring} gave no details: {details}",
    )
    expect(details["checks"].get("broker") == "ok", f"the broker is not ok: {details['checks']}")
    spoofer = run.browser()
    claimed = json.loads(spoofer.get("/healthz", X_Forwarded_For=run.monitoring).body)
    expect("checks" not in claimed, f"{spoofer.address} claiming {run.monitoring} in X-Forwarded-For got details")
    return (
        f'200 {{"status": "ok"}} through nginx; the monitoring address {run.monitoring} sees '
        f"{details['checks']}; another client claiming that address in X-Forwarded-For does not"
    )


def client_addresses(run: Run) -> str:
    first, second = run.browser(), run.browser()
    seen = [first.get("/api/v1/sectors/").status for _ in range(run.api_rate)]
    refused = first.get("/api/v1/sectors/")
    expect(seen == [200] * run.api_rate, f"{first.address}'s first {run.api_rate} API requests: {seen}")
    expect(refused.status == 429 and refused.header("retry-after"), f"the next answered {refused.status}")
    # The second client claims to be the first (a forged X-Forwarded-For): nginx appends the
    # address it sees, the portal counts that one.
    others = [second.get("/api/v1/sectors/", X_Forwarded_For=first.address).status for _ in range(run.api_rate)]
    expect(others == [200] * run.api_rate, f"{second.address} (claiming {first.address}) got {others}")
    last = second.get("/api/v1/sectors/")
    expect(last.status == 429, f"{second.address}'s request past the limit answered {last.status}")
    return (
        f"{first.address}: {run.api_rate} API requests 200, the next 429 (Retry-After {refused.header('retry-after')}"
        f" s); {second.address}, forging X-Forwarded-For: {first.address}: its own {run.api_rate} allowed, then 429"
    )


def uploads(run: Run) -> str:
    owner = member_create(run, "owner", stakeholder_type=StakeholderType.TECHNOLOGY_INNOVATOR)
    browser = run.browser()
    signed_in = browser.post_form("/accounts/login/", {"login": owner.email, "password": run.password})
    expect(signed_in.status == 302, f"signing in answered {signed_in.status}: {said(signed_in)}")

    # The largest form the portal takes: every image and the brochure at their limits.
    title = f"Deploy recipe dryer {run.token}"
    image, brochure = png_of(MAX_IMAGE_BYTES), pdf_of(MAX_BROCHURE_BYTES)
    files = [("new_images", (f"photo-{n}.png", image, "image/png")) for n in range(MAX_IMAGES_PER_UPLOAD)]
    files.append(("brochure", ("brochure.pdf", brochure, "application/pdf")))
    started = time.monotonic()
    accepted = browser.post_form("/technologies/new/", listing_form(run, title), files=files)
    took = time.monotonic() - started
    technology = Technology.objects.filter(owner=owner, title=title).first()
    expect(
        accepted.status == 302 and technology is not None,
        f"the largest form answered {accepted.status}: {said(accepted)}",
    )
    expect(technology.images.count() == MAX_IMAGES_PER_UPLOAD, f"{technology.images.count()} images stored")
    # Stored by gunicorn in the run's PRIVATE_MEDIA_ROOT (this process has other settings).
    stored = (run.private_root / technology.brochure.name).read_bytes()
    expect(hashlib.sha256(stored).digest() == hashlib.sha256(brochure).digest(), "the brochure stored differs")
    size = sum(len(content) for _name, (_filename, content, _type) in files)

    over = browser.post_form(
        "/technologies/new/",
        listing_form(run, f"{title} too large"),
        files=[
            ("new_images", ("photo.png", png_of(MAX_IMAGE_BYTES + 1), "image/png")),
            ("brochure", ("brochure.pdf", pdf_of(MAX_BROCHURE_BYTES + 1), "application/pdf")),
        ],
    )
    expect(
        over.status == 200
        and "The image is too large" in over.text
        and "The brochure is too large" in over.text
        and not Technology.objects.filter(title=f"{title} too large").exists(),
        f"files 1 byte over the limits answered {over.status}: {said(over)}",
    )

    absurd = browser.announce("POST", "/technologies/new/", 200 * 1024 * 1024)
    expect(
        absurd.status == 413 and TOO_LARGE in absurd.text,
        f"a 200 MB body answered {absurd.status}: {absurd.text[:120]!r}",
    )
    return (
        f"{MAX_IMAGES_PER_UPLOAD} images of {MAX_IMAGE_BYTES} bytes and a {MAX_BROCHURE_BYTES}-byte brochure "
        f"({size / 2**20:.1f} MiB) accepted in {took:.1f} s (302, all stored); 1 byte over: the portal's own "
        f'messages ("The image is too large", "The brochure is too large"); a 200 MiB body: nginx\'s 413'
    )


def worker_and_beat(run: Run) -> str:
    worker = run.logs["worker"].read_text(errors="replace")
    beat = run.logs["beat"].read_text(errors="replace")
    expect(" ready." in worker, f"the worker (wiits-worker.service's ExecStart) is not ready: {worker[-300:]!r}")
    expect("beat: Starting..." in beat, f"beat (wiits-beat.service's ExecStart) did not start: {beat[-300:]!r}")
    return "the worker from wiits-worker.service's ExecStart is ready; beat from wiits-beat.service's started"


CHECKS = [
    ("plain HTTP goes to HTTPS; the portal sees HTTPS through nginx", https_redirect),
    ("other host names get no answer", other_hosts),
    ("static files from STATIC_ROOT by nginx, cached for a year", static_files),
    ("public uploads from MEDIA_ROOT by nginx", media_files),
    ("pages and JSON compressed", compression),
    ("/healthz through nginx, details for the monitoring address only", healthz),
    ("each client's own address reaches the rate limit", client_addresses),
    ("uploads: the largest form passes, 1 byte over gets the portal's message, absurd gets 413", uploads),
    ("the worker and beat start from their units", worker_and_beat),
]
