"""The privacy notice and the terms of use: their pages and versions, consent at sign-up,
accepting a new version (accounts/middleware.py), the record in the data download and
account deletion."""

import datetime
import json

import pytest
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from mailer.models import Message

from accounts import middleware, selectors
from accounts.models import Consent, LegalDocument, User
from accounts.services import consent_record, member_delete
from tests.accounts.test_signup import signup_data
from tests.factories import PASSWORD
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def document(kind="privacy", version=1, days_ago=30, **fields) -> LegalDocument:
    defaults = {
        "title": f"{'Privacy notice' if kind == 'privacy' else 'Terms of use'} v{version}",
        "body": f"## Section\n\nThe text of {kind} version {version}.",
    }
    return LegalDocument.objects.create(
        kind=kind,
        version=version,
        effective_date=TODAY - datetime.timedelta(days=days_ago),
        **{**defaults, **fields},
    )


@pytest.fixture
def in_force():
    """Version 1 of both texts, the privacy notice replaced by a version 2 today, and a
    version 3 that takes effect next month."""
    return {
        "privacy_v1": document("privacy", 1, days_ago=400, title="Privacy notice", title_i18n_fr="Avis (v1)"),
        "privacy_v2": document(
            "privacy",
            2,
            days_ago=0,
            title="Privacy notice",
            body="## Who we are\n\nThe ITPO Shanghai team. <script>alert(1)</script>",
            changes="We now say where the data is stored.",
            title_i18n_fr="Avis de confidentialité",
            body_i18n_fr="## Qui nous sommes\n\nL'équipe de l'ITPO Shanghai.",
            changes_i18n_fr="Nous indiquons désormais où les données sont conservées.",
        ),
        "privacy_v3": document("privacy", 3, days_ago=-30, title="Future notice", body="Not yet."),
        "terms_v1": document("terms", 1, days_ago=400, title="Terms of use"),
    }


# --- The pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["privacy", "terms"])
def test_without_any_version_the_pages_say_the_text_is_coming(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "This text will be published here once staff have entered it." in response.content.decode()


def test_the_privacy_page_shows_the_version_in_force_and_lists_the_earlier_ones(client, in_force):
    page = client.get(reverse("privacy")).content.decode()
    assert "Version 2, in force since" in page
    assert "The ITPO Shanghai team." in page
    assert "<script>alert(1)</script>" not in page  # Markdown is cleaned (common/text.py)
    assert "We now say where the data is stored." in page
    assert f'href="{reverse("privacy")}?version=1"' in page  # the history
    assert "Future notice" not in page and "version=3" not in page  # not in force yet
    assert "Terms of use" in page  # the footer links every page to the texts
    assert f'href="{reverse("contact")}"' in page


def test_the_privacy_page_in_french_falls_back_to_english_where_untranslated(client, in_force):
    page = client.get("/fr/privacy/").content.decode()
    assert '<html lang="fr"' in page
    assert '<bdi lang="fr">Avis de confidentialité</bdi>' in page
    assert "L&#x27;équipe de l&#x27;ITPO Shanghai." in page or "L'équipe de l'ITPO Shanghai." in page
    assert "Nous indiquons désormais" in page
    # Arabic has no translation: the English text, marked as English.
    arabic = client.get("/ar/privacy/").content.decode()
    assert '<html lang="ar" dir="rtl"' in arabic
    assert '<bdi lang="en">Privacy notice</bdi>' in arabic and "The ITPO Shanghai team." in arabic


def test_an_earlier_version_is_readable_and_says_it_was_replaced(client, in_force):
    response = client.get(reverse("privacy"), {"version": 1})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The text of privacy version 1." in page
    replaced = in_force["privacy_v2"].effective_date
    assert f"until {date_format(replaced)}. It has been replaced." in page
    assert "Read the version in force" in page
    assert client.get("/fr/privacy/", {"version": 1}).content.decode().count("Avis (v1)") >= 1


@pytest.mark.parametrize("version", ["3", "4", "0", "abc", "-1", "99999999999999999999", "²", "\u0661", " 1", ""])
def test_a_version_not_in_force_or_not_a_version_is_not_found(client, in_force, version):
    assert client.get(reverse("privacy"), {"version": version}).status_code == 404


def test_the_terms_page_shows_the_terms(client, in_force):
    page = client.get(reverse("terms")).content.decode()
    assert "Terms of use" in page and "The text of terms version 1." in page
    assert "Version 1, in force since" in page
    assert "All versions" not in page  # a single version: no history to list


def test_the_legal_pages_refuse_posts(client, in_force):
    assert client.post(reverse("privacy")).status_code == 405


# --- Consent at sign-up ------------------------------------------------------------------------


def test_with_nothing_in_force_sign_up_asks_no_consent(client):
    assert 'name="accept_legal"' not in client.get(reverse("account_signup")).content.decode()
    assert client.post(reverse("account_signup"), signup_data()).status_code == 302
    assert User.objects.filter(email="chen.jie@example.org").exists()
    assert not Consent.objects.exists()


def test_the_sign_up_box_links_both_texts(client, in_force):
    page = client.get(reverse("account_signup")).content.decode()
    assert 'name="accept_legal"' in page and "required" in page
    assert f'I accept the <a href="{reverse("terms")}">terms of use</a>' in page
    assert f'I have read the <a href="{reverse("privacy")}">privacy notice</a>' in page


def test_sign_up_without_the_box_is_refused_and_creates_nothing(client, in_force):
    response = client.post(reverse("account_signup"), signup_data())
    assert response.status_code == 200
    assert (
        "Please accept the terms of use and confirm that you have read the privacy notice."
        in response.content.decode()
    )
    assert not User.objects.filter(email="chen.jie@example.org").exists()
    assert not Consent.objects.exists() and not Message.objects.exists()  # no verification email either


def test_sign_up_with_the_box_records_the_versions_in_force(client, in_force, django_capture_on_commit_callbacks):
    before = timezone.now()
    with django_capture_on_commit_callbacks():
        response = client.post(reverse("account_signup"), signup_data(accept_legal="on"))
    assert response.status_code == 302
    user = User.objects.get(email="chen.jie@example.org")
    consents = list(Consent.objects.filter(user=user).order_by("document__kind"))
    assert [consent.document for consent in consents] == [in_force["privacy_v2"], in_force["terms_v1"]]
    assert all(before <= consent.accepted_at <= timezone.now() for consent in consents)


def test_with_only_the_terms_in_force_the_box_names_only_them(client):
    terms = document("terms", 1)
    page = client.get(reverse("account_signup")).content.decode()
    assert f'I accept the <a href="{reverse("terms")}">terms of use</a>.' in page and "privacy notice" not in page
    response = client.post(reverse("account_signup"), signup_data())
    assert "Please accept the terms of use." in response.content.decode()
    client.post(reverse("account_signup"), signup_data(accept_legal="on"))
    assert list(Consent.objects.values_list("document", flat=True)) == [terms.pk]


# --- Accepting a new version ----------------------------------------------------------------------


@pytest.fixture
def behind(in_force, member):
    """A member who accepted the first versions, before the privacy notice changed today."""
    consent_record(user=member, documents=[in_force["privacy_v1"], in_force["terms_v1"]])
    return member


def test_a_member_behind_is_sent_to_accept_then_back_to_the_page(client, behind, in_force):
    client.force_login(behind)
    wanted = reverse("technologies:catalogue") + "?q=solar"
    response = client.get(wanted)
    assert response.status_code == 302
    consent_url = response["Location"]
    assert consent_url == reverse("accounts:consent") + "?next=%2Ftechnologies%2F%3Fq%3Dsolar"
    page = client.get(consent_url).content.decode()
    assert "We now say where the data is stored." in page  # the summary of the changes
    assert f'href="{reverse("privacy")}?version=2"' in page
    assert "Terms of use" not in page.split("<footer")[0].split("</h1>", 1)[1]  # accepted already: not asked
    assert not Consent.objects.filter(document=in_force["privacy_v2"]).exists()  # GET records nothing

    token = str(in_force["privacy_v2"].pk)
    response = client.post(reverse("accounts:consent"), {"documents": token, "next": wanted})
    assert response.status_code == 302 and response["Location"] == wanted
    consent = Consent.objects.get(user=behind, document=in_force["privacy_v2"])
    assert consent.accepted_at <= timezone.now()
    assert client.get(wanted).status_code == 200


def test_a_member_sees_the_consent_page_in_their_language(client, behind, in_force):
    client.force_login(behind)
    response = client.get("/fr/dashboard/")
    assert response["Location"].startswith("/fr/accounts/profile/consent/")
    page = client.get(response["Location"]).content.decode()
    assert "Nous indiquons désormais où les données sont conservées." in page


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""])
def test_accepting_never_leaves_the_site(client, behind, in_force, next_url):
    client.force_login(behind)
    response = client.post(
        reverse("accounts:consent"), {"documents": str(in_force["privacy_v2"].pk), "next": next_url}
    )
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_a_version_that_took_effect_while_the_page_was_open_is_not_accepted_unseen(client, behind, in_force):
    client.force_login(behind)
    stale = str(in_force["privacy_v2"].pk)
    newer = document("terms", 2, days_ago=0, title="Terms of use")
    response = client.post(reverse("accounts:consent"), {"documents": stale, "next": "/"})
    assert response.status_code == 400
    assert "The texts to accept have changed since this page was opened." in response.content.decode()
    assert not Consent.objects.filter(document__in=[in_force["privacy_v2"], newer]).exists()


def test_with_nothing_to_accept_the_consent_page_says_so(member_client):
    response = member_client.get(reverse("accounts:consent"))
    assert response.status_code == 200
    assert "You have accepted the versions in force." in response.content.decode()
    assert member_client.post(reverse("accounts:consent"), {"next": "/needs/"})["Location"] == "/needs/"
    assert not Consent.objects.exists()


def test_the_consent_page_needs_a_member_and_get_or_post(client, member):
    response = client.get(reverse("accounts:consent"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    client.force_login(member)
    assert client.put(reverse("accounts:consent")).status_code == 405


@pytest.mark.parametrize(
    "url_name", ["privacy", "terms", "contact", "data_export", "account_logout", "accounts:consent", "healthz"]
)
def test_the_pages_needed_without_accepting_stay_open(client, behind, url_name):
    client.force_login(behind)
    response = client.get(reverse(url_name))
    assert response.status_code in (200, 503), (url_name, response.status_code, response.get("Location"))


def test_deleting_ones_account_stays_possible_without_accepting(client, behind):
    client.force_login(behind)
    assert "Delete my account permanently" in client.get(reverse("accounts:delete")).content.decode()
    # The password asked again before it, when the sign-in is not recent, is open too.
    assert client.get(reverse("account_reauthenticate")).status_code == 200
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.post(reverse("accounts:delete"))["Location"] == reverse("home")
    assert not User.objects.filter(pk=behind.pk).exists()


def test_staff_reach_the_admin_without_accepting(client, in_force, staff, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    client.force_login(staff)
    assert client.get(reverse("admin:accounts_legaldocument_changelist")).status_code == 200
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("accounts:consent"))


def test_only_html_page_views_are_sent_to_the_consent_page(client, behind):
    client.force_login(behind)
    assert client.get(reverse("dashboard"), HTTP_ACCEPT="image/avif,image/webp,*/*").status_code == 200
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert client.get(reverse("dashboard"), HTTP_ACCEPT=browser).status_code == 302
    # Posts are not redirected: the language switch still works.
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/fr/"


def test_members_up_to_date_anonymous_visitors_and_an_empty_site_are_not_asked(client, in_force, member):
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("account_login"))
    assert client.get(reverse("home")).status_code == 200
    consent_record(user=member, documents=[in_force["privacy_v2"], in_force["terms_v1"]])
    client.force_login(member)
    assert client.get(reverse("dashboard")).status_code == 200
    Consent.objects.all().delete()
    LegalDocument.objects.all().delete()
    client.force_login(member)
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_check_costs_no_query_on_a_page(client, member, other_member):
    """The answer is read at sign-in and kept in the session: a page makes the same queries
    whether texts are in force or not (the pinned counts elsewhere hold)."""
    client.force_login(other_member)
    without_texts = count_queries(client, reverse("accounts:profile"))
    privacy, terms = document("privacy", 1), document("terms", 1)
    consent_record(user=member, documents=[privacy, terms])
    client.force_login(member)
    assert count_queries(client, reverse("accounts:profile")) == without_texts


def test_a_version_taking_effect_during_a_session_is_asked_at_the_next_check(client, in_force, member, monkeypatch):
    consent_record(user=member, documents=[in_force["privacy_v2"], in_force["terms_v1"]])
    client.force_login(member)
    document("terms", 2, days_ago=0, title="Terms of use", changes="Arbitration clause added.")
    assert client.get(reverse("dashboard")).status_code == 200  # the session's answer is recent
    monkeypatch.setattr(middleware, "CHECK_EVERY_SECONDS", 0)  # ... and then it is not
    response = client.get(reverse("dashboard"))
    assert response["Location"].startswith(reverse("accounts:consent"))
    assert "Arbitration clause added." in client.get(response["Location"]).content.decode()


def test_a_session_without_an_answer_reads_it_once(client, behind):
    client.force_login(behind)
    session = client.session
    del session[middleware.SESSION_KEY]
    session.save()
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("accounts:consent"))
    assert client.session[middleware.SESSION_KEY]["due"] is True


def test_accepting_on_another_device_is_not_undone_by_this_sessions_stale_answer(client, behind):
    client.force_login(behind)
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("accounts:consent"))
    consent_record(user=behind, documents=list(selectors.consent_due(user=behind)))  # on their phone
    # The consent page finds nothing due and says so to the middleware: no loop back to it.
    assert client.get(reverse("accounts:consent")).status_code == 200
    assert client.get(reverse("dashboard")).status_code == 200


# --- The record: data download, deletion, the admin -------------------------------------------------


def test_the_data_download_lists_the_members_consents_only(client, in_force, member, other_member):
    consent_record(user=member, documents=[in_force["privacy_v1"], in_force["terms_v1"]])
    consent_record(user=other_member, documents=[in_force["privacy_v2"]])
    first = Consent.objects.get(user=member, document=in_force["privacy_v1"])
    Consent.objects.filter(pk=first.pk).update(accepted_at=timezone.now() - datetime.timedelta(days=300))
    client.force_login(member)
    data = json.loads(client.get(reverse("data_export"), follow=True).content)
    consents = {(c.document.kind, c.document.version): c for c in Consent.objects.filter(user=member)}
    assert data["consents"] == [
        {
            "document": kind,
            "version": version,
            "title": consents[kind, version].document.title,
            "effective_date": consents[kind, version].document.effective_date.isoformat(),
            "accepted_at": consents[kind, version].accepted_at.isoformat(),
        }
        for kind, version in [("privacy", 1), ("terms", 1)]
    ]


def test_deleting_an_account_deletes_its_consents_and_keeps_the_texts(in_force, member, other_member):
    consent_record(user=member, documents=[in_force["privacy_v2"], in_force["terms_v1"]])
    consent_record(user=other_member, documents=[in_force["privacy_v2"]])
    member_delete(user=member)
    assert list(Consent.objects.values_list("user__email", flat=True)) == ["outsider@example.org"]
    assert LegalDocument.objects.count() == 4


def test_an_accepted_version_cannot_be_deleted_nor_its_text_changed_in_the_admin(
    client, in_force, member, staff, settings
):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    consent_record(user=member, documents=[in_force["privacy_v2"]])
    with pytest.raises(ProtectedError):
        in_force["privacy_v2"].delete()
    client.force_login(staff)
    url = reverse("admin:accounts_legaldocument_change", args=[in_force["privacy_v2"].pk])
    page = client.get(url).content.decode()
    assert 'name="body"' not in page and 'name="body_i18n_fr"' in page  # translations may still be corrected
    unaccepted = reverse("admin:accounts_legaldocument_change", args=[in_force["privacy_v3"].pk])
    assert 'name="body"' in client.get(unaccepted).content.decode()


def test_recording_a_consent_twice_keeps_the_first_date(in_force, member):
    consent_record(user=member, documents=[in_force["terms_v1"]])
    first = Consent.objects.get().accepted_at
    consent_record(user=member, documents=[in_force["terms_v1"], in_force["privacy_v2"]])
    assert Consent.objects.get(document=in_force["terms_v1"]).accepted_at == first
    assert Consent.objects.count() == 2


def test_an_anonymous_client_never_gets_a_consent_answer_in_its_session(in_force):
    client = Client()
    client.get(reverse("home"))
    assert middleware.SESSION_KEY not in client.session
