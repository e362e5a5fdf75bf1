from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.translation import gettext_lazy as _

from common.countries import country_choices
from common.reference.models import Sector

from .models import Recommendation
from .services import Decision


class AdviserFilterForm(forms.Form):
    sector = forms.ModelChoiceField(
        label=_("Expertise"), queryset=Sector.objects.active(), to_field_name="slug", required=False,
        empty_label=_("All sectors"),
    )  # fmt: skip
    # Read at each request, in its language (common/countries.py), not once at import.
    country = forms.ChoiceField(
        label=_("Country"), choices=lambda: [("", _("All countries")), *country_choices()], required=False
    )


class DeclarationForm(forms.Form):
    NO_CONFLICT, RECUSE = "none", "recuse"
    declaration = forms.ChoiceField(
        label=_("Conflict of interest"),
        widget=forms.RadioSelect,
        choices=[
            (NO_CONFLICT, _("I have no conflict of interest with this technology or its organisation.")),
            (RECUSE, _("I have a conflict of interest and recuse myself.")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason for recusal"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("declaration") == self.RECUSE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say briefly why you recuse yourself."))
        return data


class ReviewForm(forms.Form):
    """A 1-5 score per active criterion (with its guidance), a recommendation and comments.

    Fields are optional so a draft can be saved; submitting checks completeness in the service.
    """

    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=[("", "---------"), *Recommendation.choices], required=False
    )
    comments_for_innovator = forms.CharField(
        label=_("Comments for the innovator"), required=False, max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}), help_text=_("Shared with the innovator without your name."),
    )  # fmt: skip
    confidential_comments = forms.CharField(
        label=_("Confidential comments for staff"), required=False, max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}), help_text=_("Never shown to the innovator."),
    )  # fmt: skip

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        score_fields = {}
        for criterion in self.criteria:
            score_fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=_("%(name)s (weight %(weight)s %%)") % {"name": criterion.name, "weight": criterion.weight},
                # Staff's text from the admin: escaped, as help texts are rendered as HTML.
                help_text=conditional_escape(criterion.guidance),
                choices=[(str(n), str(n)) for n in range(1, 6)],
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect(attrs={"class": "score-scale"}),
            )
        self.fields = {**score_fields, **self.fields}

    def scores(self) -> dict[int, int]:
        return {
            criterion.pk: self.cleaned_data[f"score_{criterion.pk}"]
            for criterion in self.criteria
            if self.cleaned_data.get(f"score_{criterion.pk}") is not None
        }


class AssignForm(forms.Form):
    adviser = forms.ModelChoiceField(label=_("Adviser"), queryset=None)
    due_date = forms.DateField(label=_("Review due by"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, suggestions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adviser"].queryset = suggestions
        self.fields["due_date"].initial = timezone.localdate() + timedelta(days=settings.WIITS_REVIEW_DAYS)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.CHOICES, widget=forms.RadioSelect)
    message = forms.CharField(
        label=_("Message to the innovator"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Required to request changes or reject. The advisers' comments for the innovator are added below it, "
            "without their names."
        ),
    )  # fmt: skip
