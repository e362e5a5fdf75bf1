"""Translations of events (django-modeltranslation): see common/translated.py."""

from modeltranslation.translator import TranslationOptions, register

from .models import Event


@register(Event)
class EventTranslationOptions(TranslationOptions):
    fields = ("title_i18n", "summary_i18n", "description_i18n")
