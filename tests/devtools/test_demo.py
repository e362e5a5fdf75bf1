import pytest
from django.core.management import CommandError, call_command
from mailer.models import Message

from accounts.models import User
from technologies.models import Technology

pytestmark = pytest.mark.django_db


def test_load_demo_creates_accounts_and_catalogue_once_and_sends_nothing(settings, capsys, mailoutbox):
    settings.DEBUG = True
    call_command("load_demo")
    first = capsys.readouterr().out
    assert "Demo catalogue: 30 technologies" in first
    assert "staff@wiits.example" in first and "wiits-demo-2020" in first
    demo_accounts = ["staff@wiits.example", "adviser@wiits.example", "innovator@wiits.example", "member@wiits.example"]
    assert User.objects.filter(email__in=demo_accounts).count() == 4
    assert Technology.objects.count() == 30
    assert Technology.objects.published().count() == 22
    assert Technology.objects.nag_evaluated().count() == 8
    assert not Message.objects.exists()
    assert mailoutbox == []
    assert "Demo translations: 4" in first
    dryer = Technology.objects.get(title="Solar-assisted tunnel dryer for fruit and cassava")
    assert dryer.title_i18n_fr and dryer.title_i18n_zh_hans and dryer.title_i18n_ar

    call_command("load_demo")
    assert "Demo data already loaded; nothing to do." in capsys.readouterr().out
    assert Technology.objects.count() == 30


def test_load_demo_refuses_outside_development(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="development only"):
        call_command("load_demo")
    assert not User.objects.exists()
