from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.countries import country_choices
from common.reference.models import Sector
from common.text import validate_single_line

from . import services
from .models import ContactTopic, LegalDocumentKind, StakeholderType, User


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


def legal_acceptance_field(documents: dict) -> forms.BooleanField:
    """The required box by which a member accepts the terms of use and acknowledges the
    privacy notice in force (`documents`: {kind: document}), its label linking to both."""
    privacy, terms = reverse("privacy"), reverse("terms")
    if LegalDocumentKind.PRIVACY in documents and LegalDocumentKind.TERMS in documents:
        label = format_html(
            gettext(
                'I accept the <a href="{terms}">terms of use</a> and I have read the '
                '<a href="{privacy}">privacy notice</a>.'
            ),
            terms=terms,
            privacy=privacy,
        )
        required = gettext("Please accept the terms of use and confirm that you have read the privacy notice.")
    elif LegalDocumentKind.TERMS in documents:
        label = format_html(gettext('I accept the <a href="{terms}">terms of use</a>.'), terms=terms)
        required = gettext("Please accept the terms of use.")
    else:
        label = format_html(gettext('I have read the <a href="{privacy}">privacy notice</a>.'), privacy=privacy)
        required = gettext("Please confirm that you have read the privacy notice.")
    return forms.BooleanField(label=label, required=True, error_messages={"required": required})


class SignupForm(MemberDetailsMixin):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS); the box to accept
    the privacy notice and terms is added by accounts.signup_forms (ACCOUNT_FORMS)."""

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


class ConsentForm(forms.Form):
    """Accepting the versions in force that the page showed: `documents` names them, so a
    version that took effect while the page was open is not accepted unseen."""

    documents = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, due: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.due = due
        self.fields["documents"].initial = self.token(due)

    @staticmethod
    def token(documents) -> str:
        return ",".join(str(document.pk) for document in sorted(documents, key=lambda document: document.pk))

    def clean_documents(self) -> str:
        if self.cleaned_data["documents"] != self.token(self.due):
            raise forms.ValidationError(
                _("The texts to accept have changed since this page was opened. Please read them again below.")
            )
        return self.cleaned_data["documents"]


class ContactForm(forms.Form):
    """A message to the WiiTs team: single-line name and subject (they go into the email's
    headers and subject), a valid address to reply to."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        validators=[validate_single_line],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We reply to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", "---------"), *ContactTopic.choices])
    subject = forms.CharField(label=_("Subject"), max_length=150, validators=[validate_single_line])
    message = forms.CharField(
        label=_("Message"),
        min_length=10,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_subject(self) -> str:
        return " ".join(self.cleaned_data["subject"].split())
