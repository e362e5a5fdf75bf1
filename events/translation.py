"""Translations of events (django-modeltranslation): see common/translated.py."""

from modeltranslation.translator import TranslationOptions, register

from .models import AgendaItem, Event, RegistrationQuestion, Speaker


@register(Event)
class EventTranslationOptions(TranslationOptions):
    fields = ("title_i18n", "summary_i18n", "description_i18n")


@register(AgendaItem)
class AgendaItemTranslationOptions(TranslationOptions):
    fields = ("title_i18n", "description_i18n")


@register(Speaker)
class SpeakerTranslationOptions(TranslationOptions):
    fields = ("title_i18n", "biography_i18n")


@register(RegistrationQuestion)
class RegistrationQuestionTranslationOptions(TranslationOptions):
    fields = ("text_i18n", "choices_i18n")
