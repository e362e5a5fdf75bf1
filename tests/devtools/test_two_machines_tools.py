"""The parts of `make two-machines` (devtools/twomachines/): the proxy that stands for the load
balancer, the check's browser, and what each machine is given. The check itself runs in CI
(.ci/run: `make two-machines`) against real gunicorn processes."""

import http.client
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from devtools.checklist import form_body
from devtools.management.commands.two_machines import Command
from devtools.twomachines.client import Browser
from devtools.twomachines.machines import Machine
from devtools.twomachines.proxy import Proxy


class Echo(BaseHTTPRequestHandler):
    """A machine that answers with what it received, and sets a cookie."""

    protocol_version = "HTTP/1.1"
    name = "?"

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("latin-1") if length else ""
        content = json.dumps(
            {"machine": self.name, "path": self.path, "headers": dict(self.headers.items()), "body": body}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(content)))
        self.send_header("Set-Cookie", f"seen={self.name}; Path=/; Secure; HttpOnly")
        self.end_headers()
        self.wfile.write(content)

    do_GET = do_POST = _answer

    def log_message(self, format, *args):
        pass


@pytest.fixture
def machines():
    servers = {}
    for name in ("a", "b"):
        handler = type(f"Echo{name}", (Echo,), {"name": name})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers[name] = server
    yield {name: server.server_address[1] for name, server in servers.items()}
    for server in servers.values():
        server.shutdown()
        server.server_close()


def test_the_proxy_takes_turns_and_says_which_machine_answered(machines):
    with Proxy(machines) as proxy:
        browser = Browser(proxy.port)
        served = [browser.get("/x").served_by for _ in range(4)]
        assert served == ["a", "b", "a", "b"]
        pinned = [browser.get("/x", on="b") for _ in range(3)]
        assert [page.served_by for page in pinned] == ["b", "b", "b"]
        assert {json.loads(page.body)["machine"] for page in pinned} == {"b"}


def test_the_proxy_says_https_and_the_clients_address_and_drops_its_own_header(machines):
    with Proxy(machines) as proxy:
        browser = Browser(proxy.port)
        seen = json.loads(browser.get("/page/?q=1", on="a").body)
    headers = {key.lower(): value for key, value in seen["headers"].items()}
    assert seen["path"] == "/page/?q=1"
    assert headers["x-forwarded-proto"] == "https"
    assert headers["x-forwarded-for"] == browser.address and browser.address.startswith("127.")
    assert headers["host"] == f"127.0.0.1:{proxy.port}"  # one address for both machines
    assert "x-two-machines-backend" not in headers


def test_a_client_cannot_claim_another_address_through_the_proxy(machines):
    with Proxy(machines) as proxy:
        connection = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10, source_address=("127.0.0.9", 0))
        connection.request("GET", "/", headers={"X-Forwarded-For": "10.1.2.3", "X-Forwarded-Proto": "http"})
        seen = json.loads(connection.getresponse().read())
        connection.close()
    assert seen["headers"]["X-Forwarded-For"] == "127.0.0.9"
    assert seen["headers"]["X-Forwarded-Proto"] == "https"


def test_the_browser_keeps_cookies_and_posts_multipart_forms(machines):
    with Proxy(machines) as proxy:
        browser = Browser(proxy.port)
        browser.get("/", on="a")
        assert browser.cookies == {"seen": "a"}
        body, content_type = form_body(
            {"title": "Dryer", "sdgs": [7, 9]}, [("image", ("p.png", b"\x89PNG", "image/png"))]
        )
        seen = json.loads(browser.request("POST", "/new/", on="b", body=body, content_type=content_type).body)
    headers = {key.lower(): value for key, value in seen["headers"].items()}
    assert headers["cookie"] == "seen=a"
    assert headers["content-type"] == content_type and content_type.startswith("multipart/form-data; boundary=")
    assert headers["origin"] == f"https://127.0.0.1:{proxy.port}"
    assert 'name="sdgs"\r\n\r\n7\r\n' in seen["body"] and 'name="sdgs"\r\n\r\n9\r\n' in seen["body"]
    assert 'name="image"; filename="p.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n' in seen["body"]
    assert browser.cookies == {"seen": "b"}


def test_each_machine_has_its_own_folders_and_shares_everything_else(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wiits_two")
    monkeypatch.setenv("S3_BUCKET", "the-launchers-own")
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "tests.settings")
    monkeypatch.setenv("MEDIA_ROOT", "/somewhere/else")
    shared = Command.shared_env(8000, "redis://127.0.0.1:6379/3", "http://127.0.0.1:9000", "two-machines-x")
    a, b = (Machine(name, tmp_path / name, shared).env for name in ("a", "b"))
    for key in ("DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "S3_BUCKET", "S3_ENDPOINT_URL", "SITE_URL"):
        assert a[key] == b[key]
    assert a["S3_BUCKET"] == "two-machines-x" and a["DJANGO_SETTINGS_MODULE"] == "wiits.settings"
    assert (
        a["DJANGO_DEBUG"] == "false" and a["WIITS_DEV_TOOLS"] == "false" and a["SITE_URL"] == "https://127.0.0.1:8000"
    )
    assert len(a["DJANGO_SECRET_KEY"]) >= 50
    for key in ("STATIC_ROOT", "MEDIA_ROOT", "PRIVATE_MEDIA_ROOT"):
        assert a[key] != b[key] and Path(a[key]).is_relative_to(tmp_path / "a")
