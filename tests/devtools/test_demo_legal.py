"""The demo's privacy notice and terms of use (devtools/demo/legal.py, data/legal.yaml)."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Consent, LegalDocument
from common.translated import i18n_field_name
from devtools.demo.legal import DEMO_LEGAL, load_demo_legal
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_both_texts_are_in_six_languages_and_say_they_are_drafts():
    assert set(DEMO_LEGAL) == {"privacy", "terms"}
    for entry in DEMO_LEGAL.values():
        assert entry["body"].startswith("> **Draft for legal review.**")
        assert set(entry["translations"]) == {code for code, _name in settings.LANGUAGES} - {"en"}
        for translation in entry["translations"].values():
            assert translation["title"] and translation["body"].startswith("> **")
            assert translation["body"].count("\n## ") == entry["body"].count("\n## ")  # every section translated
            assert "(/contact/)" in translation["body"]


def test_the_texts_are_loaded_once_in_force_today_and_accepted_by_every_account(client):
    members = UserFactory.create_batch(2)
    assert load_demo_legal() == 2
    privacy = LegalDocument.objects.get(kind="privacy")
    assert (privacy.version, privacy.effective_date, privacy.original_language) == (1, timezone.localdate(), "en")
    assert getattr(privacy, i18n_field_name("title", "zh-hans")) == "隐私声明"
    assert getattr(privacy, i18n_field_name("body", "ar")).startswith("> **مشروع")
    assert Consent.objects.count() == 4
    assert load_demo_legal() == 0 and LegalDocument.objects.count() == 2
    client.force_login(members[0])
    assert client.get(reverse("dashboard")).status_code == 200  # nobody of the demo is asked again
    assert "UNIDO Investment and Technology Promotion Office" in client.get(reverse("privacy")).content.decode()


def test_load_demo_loads_them_and_a_demo_loaded_before_gets_them(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    assert "Demo privacy notice and terms of use: 2 texts" in capsys.readouterr().out
    assert not Consent.objects.exclude(document__version=1).exists()
    assert Consent.objects.filter(user__email="member@wiits.example").count() == 2
    Consent.objects.all().delete()
    LegalDocument.objects.all().delete()  # as in a demo loaded before the texts existed
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "Demo data already loaded; nothing to do." in out and "2 texts" in out
    assert LegalDocument.objects.count() == 2
