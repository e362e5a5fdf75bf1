"""The admin of translated models: one tab per language for each translated text
(django-modeltranslation's tabbed admin, with jQuery UI vendored in static/vendor rather
than its default CDN: the portal must work in China), and the tab of the object's original
language marked (static/js/admin-original-language.js): its text is the field above the
tabs, and a translation into it is never shown."""

from django.utils.translation import gettext
from modeltranslation.admin import (
    TabbedDjangoJqueryTranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

MEDIA_CSS = {"all": ("vendor/jquery-ui/jquery-ui.min.css",)}
MEDIA_JS = ("js/admin-original-language.js",)


def _mark_original_language(form):
    field = form.base_fields.get("original_language")
    if field is not None:
        field.widget.attrs["data-original-label"] = gettext("original: the text above")
    return form


class TranslatedAdmin(TabbedDjangoJqueryTranslationAdmin):
    class Media:
        css = MEDIA_CSS
        js = MEDIA_JS

    def get_form(self, request, obj=None, change=False, **kwargs):
        return _mark_original_language(super().get_form(request, obj, change=change, **kwargs))


class TranslatedStackedInline(TranslationStackedInline):
    """Texts of an object written in its parent's original language (an event's speakers)."""


class TranslatedTabularInline(TranslationTabularInline):
    """Texts of an object written in its parent's original language (an event's agenda)."""
