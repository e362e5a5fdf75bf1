"""Members simulated over HTTP: the real sign-up form and the real inquiry form.

The portal runs with production settings behind an imagined TLS-terminating proxy: each
request says `X-Forwarded-Proto: https` (so secure cookies and the CSRF origin check
apply as in production) and `X-Forwarded-For: <the member's own address>`, which the
portal trusts because the fault run sets ALLAUTH_TRUSTED_PROXY_COUNT=1, as a deployment
behind one proxy does. allauth's per-address sign-up limit (20 a minute) therefore
applies to each simulated member's address, as it would to real members; it is not
raised or switched off.
"""

import http.client
import itertools
import re
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_addresses = itertools.count(1)
_address_lock = threading.Lock()


def next_address() -> str:
    with _address_lock:
        n = next(_addresses)
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str


class Browser:
    """One member's browser: its cookies, its address, no redirects followed."""

    def __init__(self, port: int, *, address: str | None = None, timeout: float = 45):
        self.port = port
        self.host = f"127.0.0.1:{port}"
        self.address = address or next_address()
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        headers = {
            "Host": self.host,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "User-Agent": "wiits-faults",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{self.host}"
            headers["Referer"] = f"https://{self.host}{path}"
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            content = raw.read().decode("utf-8", "replace")
            for value in raw.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(value)
                for name, morsel in cookie.items():
                    self.cookies[name] = morsel.value
            return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, content)
        finally:
            connection.close()

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post_form(self, page: str, action: str, data: dict) -> Response:
        """GET the page for its CSRF token, then POST the form, as a browser does."""
        page_response = self.get(page)
        if page_response.status != 200:
            return page_response
        match = CSRF_INPUT.search(page_response.body)
        if not match:
            return Response(599, {}, "no CSRF token on the page")
        return self.request("POST", action, {**data, "csrfmiddlewaretoken": match[1]})


@dataclass
class Outcome:
    kind: str  # "signup" or "inquiry"
    key: str  # the email signed up with, or the token written in the inquiry
    result: str  # "ok", "refused" (a clear error page), "error" (5xx) or "no answer"
    status: int | None
    seconds: float
    started: float = field(default=0.0)


def classify(response: Response | None, expected_location: str) -> str:
    if response is None:
        return "no answer"
    if response.status == 302 and urlsplit(response.headers.get("location", "")).path == expected_location:
        return "ok"
    if response.status >= 500:
        return "error"
    return "refused"


def timed(kind: str, key: str, expected_location: str, action) -> Outcome:
    started = time.monotonic()
    try:
        response = action()
    except (OSError, http.client.HTTPException):
        response = None
    return Outcome(
        kind=kind,
        key=key,
        result=classify(response, expected_location),
        status=response.status if response else None,
        seconds=time.monotonic() - started,
        started=started,
    )


def sign_up(port: int, *, email: str, stakeholder_type: str) -> Outcome:
    browser = Browser(port)
    data = {
        "email": email,
        "password1": "fault-run-passphrase-7319",
        "password2": "fault-run-passphrase-7319",
        "name": "Fault Run",
        "organisation": "Fault Injection Lab",
        "stakeholder_type": stakeholder_type,
        "country": "KE",
    }
    return timed(
        "signup",
        email,
        "/accounts/confirm-email/",
        lambda: browser.post_form("/accounts/signup/", "/accounts/signup/", data),
    )


def inquire(browser: Browser, *, slug: str, cooperation: int, token: str) -> Outcome:
    page = f"/technologies/{slug}/"
    data = {"cooperation": cooperation, "organisation_name": "Fault Injection Lab", "message": f"Inquiry {token}."}
    return timed("inquiry", token, page, lambda: browser.post_form(page, f"{page}inquire/", data))
