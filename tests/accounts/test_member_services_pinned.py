"""The members' small services, pinned (issue 24's mutation run found them unchecked):
the digest's unsubscribe token names one active member, unsubscribing says so on the
object in hand too, a chosen language is stored."""

import pytest
from django.core import signing

from accounts import services
from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_unsubscribe_token_names_its_active_member_and_nobody_else():
    member = UserFactory()
    UserFactory()  # another active member, who must never be the answer
    assert services.digest_member_from_token(services.digest_unsubscribe_token(user=member)) == member
    gone = UserFactory(is_active=False)
    assert services.digest_member_from_token(services.digest_unsubscribe_token(user=gone)) is None
    not_a_member = signing.dumps("x", salt=services.DIGEST_UNSUBSCRIBE_SALT)  # signed, but not a key
    assert services.digest_member_from_token(not_a_member) is None
    assert services.digest_member_from_token("forged:token") is None


def test_unsubscribing_stops_the_digest_in_the_database_and_on_the_object():
    member = UserFactory(weekly_digest=True)
    services.digest_unsubscribe(user=member)
    assert member.weekly_digest is False
    assert User.objects.get(pk=member.pk).weekly_digest is False


def test_a_chosen_language_is_stored():
    member = UserFactory(preferred_language="en")
    services.member_set_language(user=member, language="ar")
    assert User.objects.get(pk=member.pk).preferred_language == "ar"
