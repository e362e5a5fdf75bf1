"""The data download holds every field of every section, exactly (issue 24: the mutation
run found the export's keys and values unpinned: a renamed key or a dropped value went
unnoticed by the test that checks a few fields, tests/accounts/test_profile.py)."""

import datetime
import json

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils import timezone

from accounts.models import Consent, LegalDocument
from accounts.services import consent_record
from common.reference.models import CooperationType, Sector
from events.services import registration_create
from technologies.models import Inquiry
from tests.factories import EventFactory, InquiryFactory, NeedFactory, TechnologyFactory, UserFactory

pytestmark = pytest.mark.django_db


def iso(moment):
    return moment.isoformat() if moment else None


def test_the_data_download_holds_every_field_of_the_members_data(member_client, member, other_member):
    member.job_title = "Plant engineer"
    member.preferred_language = "fr"
    member.weekly_digest = True
    member.save()
    member.sectors.set(Sector.objects.filter(slug__in=["renewable-energy", "agro-food-processing"]))
    Authenticator.objects.create(user=member, type=Authenticator.Type.RECOVERY_CODES, data={})
    draft = TechnologyFactory(
        owner=member, title="Séchoir solaire", slug="sechoir", status="draft", summary="Pour les céréales.",
        original_language="fr", title_i18n_en="Solar dryer", summary_i18n_en="For cereals.",
    )  # fmt: skip
    published = TechnologyFactory(owner=member, title="Biogas digester", slug="biogas", summary="Gas from dung.")
    other_listing = TechnologyFactory(owner=other_member, title="Tunnel dryer", slug="tunnel")
    sent = InquiryFactory(
        sender=member, technology=other_listing, organisation_name="Diallo Agro", message="Could we license it?",
        cooperation=CooperationType.objects.get(slug="joint-venture"),
    )  # fmt: skip
    need = NeedFactory(owner=member, title="Cold room for fish", slug="cold-room", title_i18n_ru="Холодильник")
    received = InquiryFactory(sender=other_member, technology=published, need=need)
    Inquiry.objects.filter(pk=received.pk).update(
        outcome="agreement",
        agreement_type=CooperationType.objects.get(slug="licensing"),
        outcome_note="Signed in March.",
        feature_consent=True,
        story="Two plants built.",
    )
    InquiryFactory(sender=other_member, technology=published)  # no outcome: not in the export
    event = EventFactory(title="Shanghai workshop")
    registration = registration_create(event=event, user=member)
    terms = LegalDocument.objects.create(
        kind="terms", version=1, title="Terms of use", body="T.", effective_date=datetime.date(2026, 1, 1)
    )
    consent_record(user=member, documents=[terms])
    consent_record(user=other_member, documents=[terms])
    registration_create(event=EventFactory(title="Not mine"), user=other_member)
    member.refresh_from_db()
    draft.refresh_from_db()
    published.refresh_from_db()
    sent.refresh_from_db()
    need.refresh_from_db()
    registration.refresh_from_db()

    response = member_client.get(reverse("data_export"), follow=True)  # to /fr/, their language
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    data = json.loads(response.content)

    exported_at = datetime.datetime.fromisoformat(data.pop("exported_at"))
    assert abs(timezone.now() - exported_at) < datetime.timedelta(minutes=1)
    assert data == {
        "account": {
            "email": "amina@example.org",
            "name": "Amina Diallo",
            "organisation": member.organisation.name,
            "job_title": "Plant engineer",
            "stakeholder_type": member.stakeholder_type,
            "country": "KE",
            "sectors_of_interest": list(  # in the sectors' own order
                Sector.objects.filter(slug__in=["renewable-energy", "agro-food-processing"]).values_list(
                    "slug", flat=True
                )
            ),
            "preferred_language": "fr",
            "weekly_digest": True,
            "date_joined": iso(member.date_joined),
            "last_login": iso(member.last_login),
            "email_addresses": [{"email": "amina@example.org", "verified": True, "primary": True}],
            "two_factor_methods": ["recovery_codes"],
        },
        "consents": [
            {
                "document": "terms",
                "version": 1,
                "title": "Terms of use",
                "effective_date": "2026-01-01",
                "accepted_at": iso(Consent.objects.get(user=member).accepted_at),
            }
        ],
        "technologies": [
            {
                "title": "Séchoir solaire",
                "slug": "sechoir",
                "status": "draft",
                "summary": "Pour les céréales.",
                "created_at": iso(draft.created_at),
                "published_at": None,
                "original_language": "fr",
                "translations": {"en": {"title": "Solar dryer", "summary": "For cereals.", "description": ""}},
            },
            {
                "title": "Biogas digester",
                "slug": "biogas",
                "status": "published",
                "summary": "Gas from dung.",
                "created_at": iso(published.created_at),
                "published_at": iso(published.published_at),
                "original_language": "en",
                "translations": {},
            },
        ],
        "inquiries_sent": [
            {
                "technology": "Tunnel dryer",
                "cooperation": "joint-venture",
                "organisation": "Diallo Agro",
                "message": "Could we license it?",
                "sent_at": iso(sent.created_at),
            }
        ],
        "outcomes_recorded": [
            {
                "technology": "Biogas digester",
                "need": "Cold room for fish",
                "outcome": "agreement",
                "agreement_type": "licensing",
                "decline_reason": "",
                "note": "Signed in March.",
                "feature_consent": True,
                "story": "Two plants built.",
            }
        ],
        "needs": [
            {
                "title": "Cold room for fish",
                "slug": "cold-room",
                "status": "published",
                "problem": need.problem,
                "country": "SN",
                "valid_until": need.valid_until.isoformat(),
                "created_at": iso(need.created_at),
                "original_language": "en",
                "translations": {"ru": {"title": "Холодильник", "problem": ""}},
            }
        ],
        "event_registrations": [
            {
                "event": "Shanghai workshop",
                "starts_at": iso(event.starts_at),
                "status": "registered",
                "since": iso(registration.queued_at),
                "answers": {},
                "visa_letter": None,
            }
        ],
        # What the audit trail recorded of the member's own requests: none here, the rows
        # were made by services outside a request (tests/common/test_audit.py fills it).
        "audit_trail": [],
    }


def test_an_account_without_data_exports_empty_sections(client):
    lonely = UserFactory(organisation=None, country="")
    client.force_login(lonely)
    data = json.loads(client.get(reverse("data_export")).content)
    assert data["account"]["organisation"] is None and data["account"]["country"] is None
    assert data["account"]["last_login"] is not None  # force_login records it
    assert data["account"]["sectors_of_interest"] == [] and data["account"]["two_factor_methods"] == []
    assert [data[key] for key in ("technologies", "inquiries_sent", "outcomes_recorded", "needs")] == [[]] * 4
    assert data["event_registrations"] == []
    assert data["consents"] == []


def test_an_outcome_without_a_need_and_a_member_who_never_signed_in_export_as_none(member, other_member):
    from accounts.selectors import member_export_data as account_data
    from technologies.selectors import member_export_data as technology_data

    listing = TechnologyFactory(owner=member)
    inquiry = InquiryFactory(sender=other_member, technology=listing)
    Inquiry.objects.filter(pk=inquiry.pk).update(outcome="in_discussion")
    (outcome,) = technology_data(user=member)["outcomes_recorded"]
    assert (outcome["need"], outcome["outcome"], outcome["agreement_type"]) == (None, "in_discussion", None)
    never = UserFactory()
    assert never.last_login is None and account_data(user=never)["last_login"] is None
