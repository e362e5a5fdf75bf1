"""The request's Host header decides nothing (issue 19), tried against a real server
(pytest-django's live_server) with the Host headers a visitor can send."""

import json
import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from accounts.models import User
from tests.accounts.test_signup import signup_data
from tests.helpers import RawHTTP

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SITE = "https://wiits.example.org"
LINK = re.compile(r"https?://[^\s\"'<>]+")
NAMESPACES = ("http://www.w3.org/", "http://www.sitemaps.org/")  # XML namespaces, not links


@pytest.fixture
def site(settings, live_server):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    return live_server


def _port(live_server) -> int:
    return urlsplit(live_server.url).port


def _links(message) -> set[str]:
    texts = [message.body, *(content for content, _mimetype in getattr(message, "alternatives", []))]
    return {link.rstrip(".,)") for text in texts for link in LINK.findall(text)}


def test_a_password_reset_link_is_on_the_site_address_in_the_members_language(site, member, mailoutbox):
    member.preferred_language = "fr"
    member.save()
    client = RawHTTP(site.url)
    response = client.post(reverse("account_reset_password"), {"email": member.email}, host="localhost:9999")
    assert response.status == 302
    (message,) = mailoutbox
    links = _links(message)
    reset = [link for link in links if "/password/reset/key/" in link]
    assert reset and all(link.startswith(f"{SITE}/fr/accounts/password/reset/key/") for link in reset)
    assert all(link.startswith(SITE) for link in links), links
    assert "localhost" not in message.body and "9999" not in message.body


def test_sign_up_emails_name_the_site_not_the_host(site, member, mailoutbox):
    new = RawHTTP(site.url).post(
        reverse("account_signup"), signup_data(email="new.person@example.org"), host="127.0.0.1:1"
    )
    taken = RawHTTP(site.url).post(reverse("account_signup"), signup_data(email=member.email), host="localhost:2")
    assert new.status == taken.status == 302
    confirmation, already_exists = mailoutbox
    assert confirmation.to == ["new.person@example.org"] and already_exists.to == [member.email]
    for message in (confirmation, already_exists):
        assert all(link.startswith(SITE) for link in _links(message)), _links(message)
        assert "127.0.0.1" not in message.body and "localhost" not in message.body
    assert f"register an account on {SITE}." in confirmation.body


def test_a_port_the_site_does_not_serve_is_refused(site, settings):
    port = _port(site)
    settings.ALLOWED_HOST_PORTS = [str(port)]
    client = RawHTTP(site.url)
    assert client.get("/", host=f"localhost:{port}").status == 200
    assert client.get("/", host="localhost").status == 200  # no port: the one it came in on
    for host in ("localhost:1", f"127.0.0.1:{port + 1}", "localhost:9999"):
        assert client.get("/", host=host).status == 400, host


def test_wrong_passwords_count_for_the_mailbox_whatever_the_host_or_the_spelling(site, member, password):
    port = _port(site)
    attempts = [
        ("localhost", member.email),
        (f"localhost:{port}", member.email.upper()),
        ("127.0.0.1:1", "Amina@Example.org"),
        ("127.0.0.1:8200", "amina+wiits@example.org"),
        ("localhost:9999", " amina@example.org "),
    ]
    for host, login in attempts:
        response = RawHTTP(site.url).post(reverse("account_login"), {"login": login, "password": "wrong"}, host=host)
        assert response.status == 200 and "not correct" in response.text, (host, login)
    client = RawHTTP(site.url)
    response = client.post(reverse("account_login"), {"login": member.email, "password": password}, host="127.0.0.1:2")
    assert response.status == 200
    assert "Too many failed login attempts" in response.text
    assert "sessionid" not in client.cookies


def _page_after(client, response, host) -> str:
    """The page a redirect leads to, with what differs between any two visits masked."""
    assert response.status == 302, response.status
    page = client.get(response.getheader("Location"), host=host).text
    page = re.sub(r'value="[A-Za-z0-9]{32,}"', 'value="token"', page)
    page = re.sub(r'nonce="[^"]+"', 'nonce=""', page)
    return page.replace("new.person@example.org", "ADDRESS").replace("amina@example.org", "ADDRESS")


def test_sign_up_answers_the_same_for_a_known_address_also_inside_the_email_cooldown(site, member, mailoutbox):
    host = "localhost"
    pages = []
    for email in ("new.person@example.org", member.email, member.email, member.email):
        client = RawHTTP(site.url)
        response = client.post(reverse("account_signup"), signup_data(email=email), host=host)
        pages.append(_page_after(client, response, host))
    assert pages[0] == pages[1] == pages[2] == pages[3]
    assert "ADDRESS" in pages[0]  # "We have sent an email to … for verification"
    # The known address was told three times in a minute that it has an account.
    assert [message.to for message in mailoutbox] == [["new.person@example.org"]] + [[member.email]] * 3


def test_account_emails_to_one_mailbox_are_limited_silently(site, member, mailoutbox):
    client = RawHTTP(site.url)
    addresses = [f"amina+{n}@example.org" for n in range(1, 7)] + ["AMINA+7@Example.org"]
    statuses = [
        client.post(reverse("account_reset_password"), {"email": email}, host="localhost").status
        for email in addresses
    ]
    assert statuses == [302] * 7  # the page says the same every time...
    assert len(mailoutbox) == 5  # ...but the mailbox gets no more than ACCOUNT_RATE_LIMITS["account_mail"]


def test_a_name_with_a_line_break_is_refused_at_sign_up(site, mailoutbox):
    data = signup_data(email="bob@example.org", name="Bob\r\nBcc: victim@example.org")
    response = RawHTTP(site.url).post(reverse("account_signup"), data, host="localhost")
    assert response.status == 200
    assert "Write this on one line, without line breaks or control characters." in response.text
    assert not User.objects.filter(email="bob@example.org").exists()
    assert mailoutbox == []


def test_healthz_tells_the_public_only_ok(site):
    response = RawHTTP(site.url).get("/healthz", host="localhost")
    assert response.status == 200
    assert json.loads(response.text) == {"status": "ok"}


def test_the_feed_and_the_sitemap_link_to_the_site_address(site):
    from tests.factories import TechnologyFactory

    technology = TechnologyFactory(status="published")
    client = RawHTTP(site.url)
    sitemap = reverse("sitemap_section", kwargs={"section": "technologies"})
    for path in (reverse("technologies:feed"), "/fr/technologies/feed/", sitemap):
        response = client.get(path, host="localhost:9999")
        assert response.status == 200, path
        links = {link for link in LINK.findall(response.text) if not link.startswith(NAMESPACES)}
        assert links and all(link.startswith(SITE) for link in links), (path, links)
        assert f"{SITE}{'/fr' if '/fr/' in path else ''}/technologies/{technology.slug}/" in response.text
    index = client.get(reverse("sitemap"), host="localhost:9999").text
    assert f"<loc>{SITE}{sitemap}</loc>" in index
