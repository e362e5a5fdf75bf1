"""Translations of members' texts (django-modeltranslation): see common/translated.py.

The needs' fields are registered here too: they are columns of this app's tables, in its
migrations, so they must not depend on the needs app being installed."""

from modeltranslation.translator import TranslationOptions, register

from .models import Need, Technology


@register(Technology)
class TechnologyTranslationOptions(TranslationOptions):
    fields = ("title_i18n", "summary_i18n", "description_i18n", "advantages_i18n")


@register(Need)
class NeedTranslationOptions(TranslationOptions):
    fields = ("title_i18n", "problem_i18n")
