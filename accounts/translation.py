"""Translations of the privacy notice and the terms of use (django-modeltranslation): see
common/translated.py."""

from modeltranslation.translator import TranslationOptions, register

from .models import LegalDocument


@register(LegalDocument)
class LegalDocumentTranslationOptions(TranslationOptions):
    fields = ("title_i18n", "changes_i18n", "body_i18n")
