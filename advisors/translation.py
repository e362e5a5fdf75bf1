"""Translations of advisers' biographies and the charter (django-modeltranslation): see
common/translated.py."""

from modeltranslation.translator import TranslationOptions, register

from .models import Adviser, Charter


@register(Adviser)
class AdviserTranslationOptions(TranslationOptions):
    fields = ("biography_i18n",)


@register(Charter)
class CharterTranslationOptions(TranslationOptions):
    fields = ("title_i18n", "body_i18n")
