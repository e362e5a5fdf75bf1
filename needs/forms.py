from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from common.reference.models import CooperationType, Sector, SustainableDevelopmentGoal
from common.text import validate_single_line
from technologies.forms import language_of_the_text
from technologies.models import Need, Technology


class NeedForm(forms.ModelForm):
    """The owner's form for a technology need. Never status, owner or slug."""

    class Meta:
        model = Need
        fields = [
            "original_language",
            "title",
            "problem",
            "sector",
            "sdgs",
            "country",
            "trl_min",
            "cooperation",
            "valid_until",
        ]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 10}),
            "sdgs": forms.CheckboxSelectMultiple,
            "cooperation": forms.CheckboxSelectMultiple,
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "original_language": _("The language you write this need in. You can add translations afterwards."),
            "trl_min": _("The least mature technology you would consider, from 1 (idea) to 9 (proven in operation)."),
            "cooperation": _("What you can offer a technology owner."),
            "valid_until": _("The need leaves the list after this date; at most a year ahead."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.active()
        self.fields["sdgs"].queryset = SustainableDevelopmentGoal.objects.all()
        self.fields["cooperation"].queryset = CooperationType.objects.all()
        language_of_the_text(self)

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_original_language(self) -> str:
        return self.cleaned_data.get("original_language") or (
            self.instance.original_language if self.instance.pk else get_language()
        )

    def clean_valid_until(self):
        value = self.cleaned_data["valid_until"]
        today = timezone.localdate()
        if value <= today:
            raise forms.ValidationError(_("Choose a date in the future."))
        if value > today + timedelta(days=366):
            raise forms.ValidationError(_("Choose a date at most a year ahead; you can post the need again later."))
        return value

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in self.Meta.fields if name not in ("sdgs", "cooperation")}
        return {"fields": fields, "sdgs": data["sdgs"], "cooperation": data["cooperation"]}


class NeedAnswerForm(forms.Form):
    """A technology owner proposes one of their published technologies for a need."""

    technology = forms.ModelChoiceField(label=_("Your technology"), queryset=Technology.objects.none())
    cooperation = forms.ModelChoiceField(
        label=_("Kind of cooperation you propose"), queryset=CooperationType.objects.none()
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Say how your technology meets the need."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["technology"].queryset = (
            Technology.objects.published().filter(owner=user).order_by("title")
            if user.is_authenticated
            else Technology.objects.none()
        )
        self.fields["cooperation"].queryset = CooperationType.objects.all()


class NeedModerationForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the owner"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to return the need: say what to change."),
    )


def need_translation_fields() -> dict[str, forms.Field]:
    return {
        "title": forms.CharField(label=_("Title"), max_length=200, validators=[validate_single_line]),
        "problem": forms.CharField(
            label=_("The problem to solve"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 10}),
            help_text=_("Markdown: headings, lists, links."),
        ),
    }  # fmt: skip
