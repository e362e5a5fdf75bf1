"""The rules of saving a translation (technologies.services.save_translation, shared by
listings and needs), each pinned: the refused languages, the columns written, the history
row. (Issue 24: the mutation run found all of them unpinned.)"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from needs import services as need_services
from technologies import services
from technologies.models import Technology
from tests.factories import NeedFactory, TechnologyFactory

pytestmark = pytest.mark.django_db

REFUSAL = "Choose a language other than the one the text is written in."


@pytest.mark.parametrize("language", ["fr", "de", "zh_hans", ""])
def test_a_translation_into_the_original_language_or_an_unknown_one_is_refused(innovator, language):
    draft = TechnologyFactory(owner=innovator, status="draft", original_language="fr", title="Séchoir")
    with pytest.raises(ValidationError) as refused:
        services.technology_translate(technology=draft, by=innovator, language=language, values={"title": "X"})
    assert refused.value.messages == [REFUSAL] and refused.value.code == "language"
    assert not draft.transitions.exists()
    assert Technology.objects.get(pk=draft.pk).title_i18n_fr in ("", None)


def test_a_translation_writes_each_field_and_empties_those_left_out(innovator):
    draft = TechnologyFactory(owner=innovator, status="draft", title="Solar dryer", summary="Dries mangoes.")
    Technology.objects.filter(pk=draft.pk).update(
        summary_i18n_es="Antiguo resumen", updated_at=timezone.now() - datetime.timedelta(days=3)
    )
    services.technology_translate(technology=draft, by=innovator, language="es", values={"title": "Secador solar"})
    saved = Technology.objects.get(pk=draft.pk)
    assert (saved.title_i18n_es, saved.summary_i18n_es, saved.description_i18n_es) == ("Secador solar", "", "")
    assert saved.title_i18n_fr in ("", None)  # other languages untouched
    assert timezone.now() - saved.updated_at < datetime.timedelta(minutes=1)
    (history,) = draft.transitions.all()
    assert (history.from_status, history.to_status, history.by, history.note, history.note_values) == (
        "draft", "draft", innovator, "translation_saved", {"language": "es"},
    )  # fmt: skip
    assert history.portal_note == "Translation into Spanish saved."


def test_a_needs_translation_follows_the_same_rules(member):
    need = NeedFactory(owner=member, status="draft", original_language="es", title="Secadores")
    with pytest.raises(ValidationError) as refused:
        need_services.need_translate(need=need, by=member, language="es", values={"title": "Dryers"})
    assert refused.value.messages == [REFUSAL]
    need_services.need_translate(need=need, by=member, language="en", values={"title": "Dryers"})
    need.refresh_from_db()
    assert (need.title_i18n_en, need.problem_i18n_en) == ("Dryers", "")
    (history,) = need.transitions.all()
    assert (history.from_status, history.to_status, history.by, history.note, history.note_values) == (
        "draft", "draft", member, "translation_saved", {"language": "en"},
    )  # fmt: skip
