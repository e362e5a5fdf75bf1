"""A browser for the check: one set of cookies, no redirects followed, every request to
the one address (the proxy), optionally pinned to a machine."""

import http.client
import secrets
from dataclasses import dataclass

from devtools.checklist import CSRF_INPUT, form_body, keep_cookies

from .proxy import PIN_HEADER, SERVED_BY


@dataclass
class Page:
    status: int
    headers: dict[str, str]
    body: bytes
    served_by: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class Browser:
    """Each browser connects from an address of its own in 127.0.0.0/8, which the proxy
    passes on as the client's (X-Forwarded-For): per-address rate limits count per browser,
    as they would per visitor, and never carry over from an earlier run."""

    def __init__(self, port: int):
        self.port = port
        self.host = f"127.0.0.1:{port}"
        self.address = f"127.{secrets.randbelow(254) + 1}.{secrets.randbelow(254) + 1}.{secrets.randbelow(254) + 1}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, on: str | None = None, body=None, content_type=None) -> Page:
        headers = {"Host": self.host, "User-Agent": "wiits-two-machines", "Accept-Language": "en"}
        if on:
            headers[PIN_HEADER] = on
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = content_type
            # What a browser sends with a form posted on this site (the proxy says HTTPS).
            headers["Origin"] = f"https://{self.host}"
            headers["Referer"] = f"https://{self.host}{path}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30, source_address=(self.address, 0))
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            content = answer.read()
            keep_cookies(self.cookies, answer)
            headers = {key.lower(): value for key, value in answer.getheaders()}
            return Page(answer.status, headers, content, headers.get(SERVED_BY.lower(), "?"))
        finally:
            connection.close()

    def get(self, path: str, *, on: str | None = None) -> Page:
        return self.request("GET", path, on=on)

    def post_form(self, path: str, data: dict, *, on: str, files: list | None = None, page: str = "") -> Page:
        """GET `page` (default: `path`) on machine `on` for its CSRF token, then POST the form
        there, as a browser does."""
        form = self.get(page or path, on=on)
        match = CSRF_INPUT.search(form.text)
        if form.status != 200 or not match:
            raise AssertionError(f"no form at {page or path} on {on} (HTTP {form.status})")
        data = {**data, "csrfmiddlewaretoken": match[1]}
        body, content_type = form_body(data, files)
        return self.request("POST", path, on=on, body=body, content_type=content_type)
