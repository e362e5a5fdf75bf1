"""Translations of calls (django-modeltranslation): see common/translated.py."""

from modeltranslation.translator import TranslationOptions, register

from .models import Call, CallCriterion, CallQuestion


@register(Call)
class CallTranslationOptions(TranslationOptions):
    fields = ("title_i18n", "theme_i18n", "description_i18n", "focus_i18n", "eligibility_rules_i18n")


@register(CallCriterion)
class CallCriterionTranslationOptions(TranslationOptions):
    fields = ("name_i18n",)


@register(CallQuestion)
class CallQuestionTranslationOptions(TranslationOptions):
    fields = ("text_i18n",)
