"""English without a prefix, Chinese under /zh-hans/, the choice remembered."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_in_english_and_chinese(client):
    english = client.get("/")
    assert english.status_code == 200
    assert '<html lang="en" dir="ltr">' in english.content.decode()
    assert "World Industrial Innovative Technology Cooperations" in english.content.decode()

    chinese = client.get("/zh-hans/")
    assert chinese.status_code == 200
    page = chinese.content.decode()
    assert '<html lang="zh-hans" dir="ltr">' in page
    assert "世界工业创新技术合作" in page
    assert "World Industrial Innovative Technology Cooperations" not in page


def test_sign_in_and_sign_up_pages_in_chinese(client):
    assert "登录" in client.get("/zh-hans/accounts/login/").content.decode()
    signup = client.get("/zh-hans/accounts/signup/").content.decode()
    assert "关注的行业领域" in signup
    assert "农产品加工" in signup  # sector names are translated too


def test_language_bar_lists_languages_in_the_un_order(client):
    page = client.get("/").content.decode()
    assert page.index('value="zh-hans"') < page.index('value="en"')
    assert 'lang="zh-hans"' in page


def test_choosing_chinese_is_remembered(client):
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/accounts/login/"
    assert client.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"

    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/"


def test_choosing_english_again_stops_the_redirect(client):
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    response = client.post(reverse("set_language"), {"language": "en", "next": "/zh-hans/accounts/login/"})
    assert response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 200


def test_set_language_refuses_a_foreign_next(client):
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "https://evil.example/"})
    assert response["Location"] == "/zh-hans/"


def test_member_choice_is_saved_for_emails_and_other_devices(client, member):
    client.force_login(member)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/dashboard/"})
    member.refresh_from_db()
    assert member.preferred_language == "zh-hans"

    other_device = client.__class__()
    other_device.force_login(member)
    response = other_device.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/dashboard/"


def test_unknown_language_is_ignored(client, member):
    client.force_login(member)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    member.refresh_from_db()
    assert member.preferred_language == "en"
    assert client.get("/").status_code == 200


def test_set_language_is_post_only(client):
    assert client.get(reverse("set_language")).status_code == 405
