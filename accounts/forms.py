from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from common.countries import country_choices
from common.reference.models import Sector
from common.text import validate_single_line

from . import services
from .models import StakeholderType, User


class MemberDetailsMixin(forms.Form):
    """The member details asked at sign-up and edited on the profile page."""

    name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        validators=[validate_single_line],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        validators=[validate_single_line],
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    stakeholder_type = forms.ChoiceField(label=_("I am a"), choices=[("", "---------"), *StakeholderType.choices])
    # A callable: the list is read in the language of each request, not once at import.
    country = forms.ChoiceField(label=_("Country"), choices=lambda: [("", "---------"), *country_choices()])
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors of interest"),
        queryset=Sector.objects.active(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Please enter your name."))
        return name

    def clean_organisation(self) -> str:
        return " ".join(self.cleaned_data["organisation"].split())


class SignupForm(MemberDetailsMixin):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    def signup(self, request, user: User) -> None:
        services.member_update_profile(
            user=user,
            name=self.cleaned_data["name"],
            organisation_name=self.cleaned_data["organisation"],
            job_title=user.job_title,
            stakeholder_type=self.cleaned_data["stakeholder_type"],
            country=self.cleaned_data["country"],
            sectors=self.cleaned_data["sectors"],
            preferred_language=request.LANGUAGE_CODE
            if request.LANGUAGE_CODE in dict(settings.LANGUAGES)
            else settings.LANGUAGE_CODE,
        )


class ProfileForm(MemberDetailsMixin):
    job_title = forms.CharField(
        label=_("Job title"), max_length=150, required=False, validators=[validate_single_line]
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=settings.LANGUAGES,
        help_text=_("Emails from the portal are written in this language."),
    )

    weekly_digest = forms.BooleanField(
        label=_("Send me a weekly digest"),
        required=False,
        help_text=_("Once a week, an email with the technologies and needs newly published in my sectors."),
    )

    field_order = [
        "name",
        "organisation",
        "job_title",
        "stakeholder_type",
        "country",
        "sectors",
        "weekly_digest",
        "preferred_language",
    ]

    @classmethod
    def initial_for(cls, user: User) -> dict:
        return {
            "name": user.name,
            "organisation": user.organisation.name if user.organisation else "",
            "job_title": user.job_title,
            "stakeholder_type": user.stakeholder_type,
            "country": user.country.code,
            "sectors": list(user.sectors.all()),
            "weekly_digest": user.weekly_digest,
            "preferred_language": user.preferred_language,
        }
