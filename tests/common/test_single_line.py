"""Single-line fields (names, titles) refuse line breaks and control characters, and the
data migrations clean what was stored before (issue 19)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from accounts.models import Organisation, User
from common.text import as_single_line, validate_single_line
from technologies.models import Technology
from tests.factories import TechnologyFactory, UserFactory

REFUSED = [
    "Bob\r\nBcc: victim@example.org",
    "Bob\nSmith",
    "Bob\rSmith",
    "Bob\x00",
    "Bob\tSmith",
    "Bob\u2028Smith",
    "\u202eevil.exe",  # right-to-left override
    "Bob\u2066Smith\u2069",  # isolates
    "Bob\x85Smith",
]
ACCEPTED = ["Amina Diallo", "陈杰", "محمد الأمين", "Ольга Петрова", "José Núñez", "👩\u200d🔬 Lab", "O'Brien-Smith"]


@pytest.mark.parametrize("value", REFUSED)
def test_control_characters_are_refused(value):
    with pytest.raises(ValidationError) as error:
        validate_single_line(value)
    assert error.value.code == "control_characters"


@pytest.mark.parametrize("value", ACCEPTED)
def test_names_in_every_script_are_accepted(value):
    validate_single_line(value)


def test_stored_text_keeps_its_visible_characters():
    assert as_single_line("Bob\r\nBcc: victim@example.org") == "Bob Bcc: victim@example.org"
    assert as_single_line("\u202eevil\u202c name\x00") == "evil name"
    assert as_single_line("陈杰\n") == "陈杰"


@pytest.mark.django_db
def test_the_profile_refuses_a_name_with_a_line_break_and_saves_nothing(client, member):
    client.force_login(member)
    response = client.post(
        reverse("accounts:profile"),
        {"name": "Amina\r\nBcc: victim@example.org", "organisation": "Org", "stakeholder_type": "other"},
    )
    assert response.status_code == 200
    assert "Write this on one line, without line breaks or control characters." in response.content.decode()
    member.refresh_from_db()
    assert member.name == "Amina Diallo"


@pytest.mark.django_db
def test_an_inquiry_with_a_line_break_in_the_organisation_is_refused(client, member, mailoutbox):
    technology = TechnologyFactory()
    client.force_login(member)
    response = client.post(
        reverse("technologies:inquire", args=[technology.slug]),
        {"cooperation": technology.cooperation.first().pk, "organisation_name": "Org\nBcc: x", "message": "Hello"},
    )
    assert response.status_code == 400
    assert "Write this on one line" in response.content.decode()
    assert not technology.inquiries.exists() and mailoutbox == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_data_migrations_clean_what_was_stored_before():
    # Rows as they could be stored before the clean-up (written with today's models, whose
    # columns a later migration may have added), then back to before it and forward again.
    user = UserFactory(name="Bob\r\nBcc: victim@example.org", job_title="Chief\u2028Engineer")
    organisation = Organisation.objects.create(name="Evil\u202e Corp")
    technology = TechnologyFactory(title="Solar\ndryer")
    Technology.objects.filter(pk=technology.pk).update(title_i18n_fr="Séchoir\r\nsolaire")
    untouched = UserFactory(name="Amina Diallo")
    before = Technology.objects.get(pk=technology.pk).updated_at
    try:
        executor = MigrationExecutor(connection)
        executor.migrate([("accounts", "0005_single_line_fields"), ("technologies", "0011_single_line_fields")])
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    user.refresh_from_db()
    assert (user.name, user.job_title) == ("Bob Bcc: victim@example.org", "Chief Engineer")
    assert Organisation.objects.get(pk=organisation.pk).name == "Evil Corp"
    technology = Technology.objects.get(pk=technology.pk)
    assert (technology.title, technology.title_i18n_fr) == ("Solar dryer", "Séchoir solaire")
    assert technology.updated_at == before
    assert User.objects.get(pk=untouched.pk).name == "Amina Diallo"
