"""The form of /embed/, where staff or a partner chooses what a partner site's frame shows:
its answer is the embed's address (in the chosen language) and the HTML to copy."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from common.countries import country_choices
from common.reference.models import Sector, SustainableDevelopmentGoal
from common.site import site_url
from common.widgets import PrewrittenSelect
from events.models import EventKind

TECHNOLOGIES, EVENTS = "technologies", "events"
FRAME_HEIGHT = 600
# How many items an embed lists: `?limit=`, at most MAX_LIMIT.
DEFAULT_LIMIT, MAX_LIMIT = 10, 50


def embed_limit(value: str | None) -> int:
    """The number of items of `?limit=`: the default when it is not a number, capped to 1..MAX_LIMIT."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()):
        return DEFAULT_LIMIT
    # A number of many digits is large (and int() refuses more than 4300 of them).
    return MAX_LIMIT if len(value) > 3 else min(max(int(value), 1), MAX_LIMIT)


def _countries() -> list[tuple[str, str]]:
    return [("", gettext("All countries")), *country_choices()]


class EmbedForm(forms.Form):
    show = forms.ChoiceField(
        label=_("List"),
        choices=[(TECHNOLOGIES, _("Newest technologies")), (EVENTS, _("Events"))],
        widget=forms.RadioSelect,
        required=False,
    )
    language = forms.ChoiceField(
        label=_("Language of the list"), choices=settings.LANGUAGES, widget=PrewrittenSelect, required=False
    )
    limit = forms.IntegerField(
        label=_("Number of items"),
        min_value=1,
        max_value=MAX_LIMIT,
        required=False,
        help_text=_("From 1 to 50; 10 when empty."),
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.active(),
        to_field_name="slug",
        empty_label=_("All sectors"),
        required=False,
    )
    sdg = forms.ModelChoiceField(
        label=_("SDG"),
        queryset=SustainableDevelopmentGoal.objects.all(),
        to_field_name="number",
        empty_label=_("All goals"),
        required=False,
    )
    country = forms.ChoiceField(label=_("Country"), choices=_countries, required=False, widget=PrewrittenSelect)
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("Its name as shown on WiiTs."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *EventKind.choices], required=False)
    past = forms.BooleanField(label=_("Past events instead of upcoming ones"), required=False)

    @classmethod
    def defaults(cls) -> dict[str, str]:
        """What /embed/ shows first: the newest technologies, in the page's language."""
        language = translation.get_language() or settings.LANGUAGE_CODE
        return {"show": TECHNOLOGIES, "language": language, "limit": str(DEFAULT_LIMIT)}

    def clean_show(self) -> str:
        return self.cleaned_data["show"] or TECHNOLOGIES

    def clean_organisation(self) -> str:
        name = self.cleaned_data["organisation"]
        if name and not Organisation.objects.filter(name__iexact=name).exists():
            raise ValidationError(_("No organisation of this name is on WiiTs."), code="unknown")
        return name

    def clean_language(self) -> str:
        return self.cleaned_data["language"] or translation.get_language() or settings.LANGUAGE_CODE

    def _params(self) -> dict[str, str]:
        data = self.cleaned_data
        params: dict[str, str] = {}
        if data["show"] == TECHNOLOGIES:
            if data["sector"]:
                params["sector"] = data["sector"].slug
            if data["sdg"]:
                params["sdg"] = str(data["sdg"].number)
            if data["country"]:
                params["country"] = data["country"]
            if data["organisation"]:
                params["organisation"] = data["organisation"]
        else:
            if data["past"]:
                params["past"] = "1"
            if data["kind"]:
                params["kind"] = data["kind"]
        if data["limit"] and data["limit"] != DEFAULT_LIMIT:
            params["limit"] = str(data["limit"])
        return params

    def embed_path(self) -> str:
        """The embed's path on the site, in the chosen language, with its filters."""
        data = self.cleaned_data
        with translation.override(data["language"]):
            path = reverse(f"embed:{data['show']}")
        params = self._params()
        return f"{path}?{urlencode(params)}" if params else path

    def frame_title(self) -> str:
        """The frame's title, for screen readers on the partner's page, in the list's language."""
        data = self.cleaned_data
        with translation.override(data["language"]):
            if data["show"] == TECHNOLOGIES:
                return gettext("Newest technologies on WiiTs")
            return gettext("Past events on WiiTs") if data["past"] else gettext("Upcoming events on WiiTs")

    def snippet(self) -> SafeString:
        return format_html(
            '<iframe src="{}" title="{}" width="100%" height="{}" loading="lazy"></iframe>',
            site_url(self.embed_path()),
            self.frame_title(),
            FRAME_HEIGHT,
        )
