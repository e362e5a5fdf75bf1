"""The weekly digest: once a week, only to members who asked, with an unsubscribe link
that needs no sign-in and cannot be guessed."""

import datetime

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from accounts.services import digest_unsubscribe_token
from common.reference.models import Sector
from technologies import digest
from technologies.tasks import send_weekly_digest
from tests.factories import NeedFactory, TechnologyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agro():
    return Sector.objects.get(slug="agro-food-processing")


@pytest.fixture
def subscriber(agro):
    member = UserFactory(name="Amina Diallo", weekly_digest=True)
    member.sectors.set([agro])
    return member


@pytest.fixture
def news(agro):
    """Published this week: two in the subscriber's sector, one elsewhere, one old."""
    return {
        "technology": TechnologyFactory(title="Solar tunnel dryer", sector=agro),
        "need": NeedFactory(title="Cold room for mangoes", sector=agro),
        "elsewhere": TechnologyFactory(
            title="Textile dye recovery", sector=Sector.objects.get(slug="waste-circular-economy")
        ),
        "old": TechnologyFactory(
            title="Old cassava peeler", sector=agro, published_at=timezone.now() - datetime.timedelta(days=30)
        ),
    }


def run_digest(django_capture_on_commit_callbacks, now=None):
    with django_capture_on_commit_callbacks(execute=True):
        return digest.digest_send_weekly(now=now)


def test_only_members_who_asked_get_it_with_what_is_new_in_their_sectors(
    subscriber, news, agro, django_capture_on_commit_callbacks, mailoutbox
):
    not_asked = UserFactory()
    not_asked.sectors.set([agro])
    UserFactory(weekly_digest=True, is_active=False)
    assert run_digest(django_capture_on_commit_callbacks) == 1
    (email,) = mailoutbox
    assert email.to == [subscriber.email]
    assert email.subject == "[WiiTs] New this week in your sectors"
    assert "Solar tunnel dryer" in email.body and "Cold room for mangoes" in email.body
    assert "Textile dye recovery" not in email.body and "Old cassava peeler" not in email.body
    html = email.alternatives[0][0]
    assert "Solar tunnel dryer" in html and "Unsubscribe" in html


def test_once_a_week_however_often_the_task_runs(subscriber, news, django_capture_on_commit_callbacks, mailoutbox):
    now = timezone.now()
    assert run_digest(django_capture_on_commit_callbacks, now) == 1
    assert run_digest(django_capture_on_commit_callbacks, now + datetime.timedelta(hours=1)) == 0
    assert run_digest(django_capture_on_commit_callbacks, now + datetime.timedelta(days=5)) == 0
    # A week later, with something new, the next one goes out; with nothing new, none.
    TechnologyFactory(
        title="Solar milk chiller", sector=subscriber.sectors.get(), published_at=now + datetime.timedelta(days=3)
    )
    assert run_digest(django_capture_on_commit_callbacks, now + datetime.timedelta(days=7)) == 1
    assert "Solar milk chiller" in mailoutbox[-1].body
    assert "Solar tunnel dryer" not in mailoutbox[-1].body  # already in the first digest
    assert run_digest(django_capture_on_commit_callbacks, now + datetime.timedelta(days=14)) == 0
    assert len(mailoutbox) == 2


def test_the_celery_task_runs_the_same_service(subscriber, news, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        assert send_weekly_digest.apply().get() == 1
        assert send_weekly_digest.apply().get() == 0
    assert len(mailoutbox) == 1


def test_own_listings_are_left_out_and_members_without_sectors_get_everything(
    news, django_capture_on_commit_callbacks, mailoutbox
):
    everything = UserFactory(weekly_digest=True)
    TechnologyFactory(title="My own dryer", owner=everything)
    run_digest(django_capture_on_commit_callbacks)
    (email,) = mailoutbox
    assert "Textile dye recovery" in email.body and "Solar tunnel dryer" in email.body
    assert "My own dryer" not in email.body


def test_digest_is_in_the_members_language(subscriber, news, django_capture_on_commit_callbacks, mailoutbox):
    subscriber.preferred_language = "zh-hans"
    subscriber.save()
    run_digest(django_capture_on_commit_callbacks)
    assert "本周" in mailoutbox[0].subject


def _unsubscribe_url(email):
    (line,) = [line for line in email.body.splitlines() if "/digest/unsubscribe/" in line]
    return line.strip().removeprefix("http://testserver")


def test_unsubscribe_link_works_without_sign_in_in_one_post(
    client, subscriber, news, django_capture_on_commit_callbacks, mailoutbox, settings
):
    run_digest(django_capture_on_commit_callbacks)
    (email,) = mailoutbox
    url = _unsubscribe_url(email)
    assert url.startswith(settings.SITE_URL)
    path = url.removeprefix(settings.SITE_URL)
    # The header mail clients use for their own one-click button (RFC 8058).
    assert email.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Opening the link changes nothing (mail scanners open links); it shows one button.
    page = client.get(path)
    assert page.status_code == 200 and "Unsubscribe" in page.content.decode()
    assert subscriber.email not in page.content.decode()  # masked: a•••@example.org
    subscriber.refresh_from_db()
    assert subscriber.weekly_digest
    # The button, or the mail client's one-click POST (no CSRF token, no session).
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "will no longer receive" in response.content.decode()
    subscriber.refresh_from_db()
    assert not subscriber.weekly_digest
    assert client.post(path).status_code == 200  # twice is harmless
    mailoutbox.clear()
    TechnologyFactory(title="Another dryer", sector=subscriber.sectors.get())
    assert run_digest(django_capture_on_commit_callbacks, timezone.now() + datetime.timedelta(days=8)) == 0


def test_unsubscribe_tokens_cannot_be_guessed_or_moved_to_someone_else(client, subscriber):
    victim = UserFactory(weekly_digest=True)
    token = digest_unsubscribe_token(user=subscriber)
    victim_payload = digest_unsubscribe_token(user=victim).split(":")[0]
    forged = [
        "1",
        str(victim.pk),
        token[:-1] + ("A" if token[-1] != "A" else "B"),
        # The victim's payload with the subscriber's signature.
        victim_payload + token[len(token.split(":")[0]) :],
        signing.dumps(victim.pk, salt="another-salt"),
        signing.dumps(victim.pk),
    ]  # fmt: skip
    for bad in forged:
        response = client.post(reverse("accounts:digest_unsubscribe", args=[bad]))
        assert response.status_code == 404
        assert "not valid" in response.content.decode()
    victim.refresh_from_db()
    assert victim.weekly_digest


def test_the_profile_turns_the_digest_on_and_off(client, subscriber):
    client.force_login(subscriber)
    form = client.get(reverse("accounts:profile")).context["form"]
    assert form.initial["weekly_digest"] is True
    data = {key: value for key, value in form.initial.items() if value not in (None, "")}
    data["sectors"] = [sector.pk for sector in data["sectors"]]
    data.pop("weekly_digest")
    assert client.post(reverse("accounts:profile"), data).status_code == 302
    subscriber.refresh_from_db()
    assert not subscriber.weekly_digest
