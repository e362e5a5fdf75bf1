"""A browser for the check: it connects to 127.0.0.1 from an address of its own in
127.0.0.0/8 (two browsers are two clients to nginx), names the site's host in TLS and in
the Host header, trusts only the run's certificate, keeps cookies, follows no redirect."""

import http.client
import secrets
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path

from devtools.checklist import CSRF_INPUT, form_body, keep_cookies


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


def random_loopback() -> str:
    """An address of 127.0.0.0/8 of its own: rate-limit counts of an earlier run (kept in
    the database's cache table) are never this one's."""
    return f"127.{secrets.randbelow(254) + 1}.{secrets.randbelow(254) + 1}.{secrets.randbelow(253) + 2}"


class Browser:
    def __init__(self, *, port: int, host: str, cafile: Path | None, address: str | None = None, host_port=None):
        self.port = port
        self.host = host
        # The port the Host header names: the connection's, unless told (gunicorn behind nginx).
        self.host_port = host_port or port
        self.address = address or random_loopback()
        self.cafile = cafile
        self.cookies: dict[str, str] = {}

    @property
    def origin(self) -> str:
        scheme = "https" if self.cafile else "http"
        return f"{scheme}://{self.host}:{self.host_port}"

    def connection(self, timeout: float = 60) -> http.client.HTTPConnection:
        if self.cafile is None:
            return http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=timeout, source_address=(self.address, 0)
            )
        context = ssl.create_default_context(cafile=str(self.cafile))
        return _TLSConnection(self.host, "127.0.0.1", self.port, context, timeout, (self.address, 0))

    def request(self, method: str, path: str, *, body=None, content_type=None, headers=None) -> Answer:
        sent = {"Host": f"{self.host}:{self.host_port}", "User-Agent": "wiits-deploy-recipe", "Accept-Language": "en"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            sent["Content-Type"] = content_type
            sent["Origin"] = self.origin
            sent["Referer"] = f"{self.origin}{path}"
        sent.update(headers or {})
        connection = self.connection()
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            content = answer.read()
            keep_cookies(self.cookies, answer)
            return Answer(answer.status, {k.lower(): v for k, v in answer.getheaders()}, content)
        finally:
            connection.close()

    def get(self, path: str, **headers) -> Answer:
        return self.request("GET", path, headers={k.replace("_", "-"): v for k, v in headers.items()})

    def post_form(self, path: str, data: dict, *, files: list | None = None, page: str = "") -> Answer:
        """GET `page` (default `path`) for its CSRF token, then POST the form, as a browser does."""
        form = self.get(page or path)
        match = CSRF_INPUT.search(form.text)
        if form.status != 200 or not match:
            raise AssertionError(f"no form at {page or path} (HTTP {form.status})")
        data = {**data, "csrfmiddlewaretoken": match[1]}
        body, content_type = form_body(data, files)
        return self.request("POST", path, body=body, content_type=content_type)

    def announce(self, method: str, path: str, length: int) -> Answer:
        """Send only a request's head, announcing a body of `length` bytes, and read what
        comes back: what a proxy refuses by size it refuses before the body."""
        connection = self.connection(timeout=20)
        try:
            connection.putrequest(method, path, skip_host=True)
            connection.putheader("Host", f"{self.host}:{self.host_port}")
            connection.putheader("Content-Type", "multipart/form-data; boundary=x")
            connection.putheader("Content-Length", str(length))
            connection.endheaders()
            answer = connection.getresponse()
            return Answer(answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read())
        finally:
            connection.close()


class _TLSConnection(http.client.HTTPSConnection):
    """HTTPS to `address`:`port`, naming (SNI) and verifying `server_name`."""

    def __init__(self, server_name, address, port, context, timeout, source_address):
        super().__init__(address, port, timeout=timeout, source_address=source_address, context=context)
        self.server_name = server_name

    def connect(self):
        sock = socket.create_connection((self.host, self.port), self.timeout, self.source_address)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.server_name)
