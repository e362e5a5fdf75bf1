from django import forms
from django.utils.translation import get_language, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from common.reference.models import CooperationType, Sector, SustainableDevelopmentGoal
from common.text import validate_single_line
from common.translated import i18n_field_name

from .models import DeclineReason, Inquiry, Outcome, Technology
from .uploads import check_brochure, reencode_image

MAX_IMAGES_PER_UPLOAD = 6


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several images in one input; each is checked and re-encoded."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "class": "form-control"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_IMAGES_PER_UPLOAD:
            raise forms.ValidationError(
                ngettext_lazy(
                    "Upload at most %(count)d image at a time.", "Upload at most %(count)d images at a time.", "count"
                ),
                params={"count": MAX_IMAGES_PER_UPLOAD},
            )
        return [reencode_image(super(MultipleImageField, self).clean(upload, initial)) for upload in files]


def language_of_the_text(form) -> None:
    """The language the owner writes in: by default the page's, for a new text."""
    field = form.fields["original_language"]
    field.required = False
    field.label = _("Language of this text")
    if not form.instance.pk:
        form.initial.setdefault("original_language", get_language())


class TechnologyForm(forms.ModelForm):
    """The owner's form. Only these fields can be set: never status, owner or slug."""

    new_images = MultipleImageField(
        label=_("Add images"), required=False, help_text=_("JPEG, PNG or WebP, up to 5 MB each.")
    )
    remove_brochure = forms.BooleanField(label=_("Remove the current brochure"), required=False)

    class Meta:
        model = Technology
        fields = [
            "original_language",
            "title",
            "summary",
            "description",
            "advantages",
            "sector",
            "sdgs",
            "trl",
            "ip_status",
            "country_developed",
            "countries_deployed",
            "cooperation",
            "brochure",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 10}),
            "advantages": forms.Textarea(attrs={"rows": 4}),
            "sdgs": forms.CheckboxSelectMultiple,
            "cooperation": forms.CheckboxSelectMultiple,
            "brochure": forms.FileInput(attrs={"accept": "application/pdf"}),
            "countries_deployed": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "original_language": _("The language you write this listing in. You can add translations afterwards."),
            "brochure": _("A PDF of at most 10 MB."),
            "countries_deployed": _("Hold Ctrl (or ⌘ on a Mac) to choose several."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.active()
        self.fields["sdgs"].queryset = SustainableDevelopmentGoal.objects.all()
        self.fields["cooperation"].queryset = CooperationType.objects.all()
        language_of_the_text(self)
        if not (self.instance.pk and self.instance.brochure):
            del self.fields["remove_brochure"]

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_original_language(self) -> str:
        return self.cleaned_data.get("original_language") or (
            self.instance.original_language if self.instance.pk else get_language()
        )

    def clean_brochure(self):
        upload = self.files.get("brochure")
        if upload:
            check_brochure(upload)
        return self.cleaned_data.get("brochure")

    def service_kwargs(self) -> dict:
        """The form's data as keyword arguments of technology_create/technology_update."""
        data = self.cleaned_data
        fields = {name: data[name] for name in self.Meta.fields if name not in ("sdgs", "cooperation", "brochure")}
        return {
            "fields": fields,
            "sdgs": data["sdgs"],
            "cooperation": data["cooperation"],
            "images": data.get("new_images") or [],
            "brochure": self.files.get("brochure") or None,
        }


class InquiryForm(forms.ModelForm):
    class Meta:
        model = Inquiry
        fields = ["cooperation", "organisation_name", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}
        labels = {"cooperation": _("Kind of cooperation you seek"), "organisation_name": _("Your organisation")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cooperation"].queryset = CooperationType.objects.all()


class OutcomeForm(forms.ModelForm):
    """The recipient of an inquiry records how it went."""

    outcome = forms.ChoiceField(
        label=_("How did it go?"),
        choices=[choice for choice in Outcome.choices if choice[0]],
        widget=forms.RadioSelect,
    )
    decline_reason = forms.ChoiceField(
        label=_("If declined, why?"), choices=[("", "---------"), *DeclineReason.choices], required=False
    )

    class Meta:
        model = Inquiry
        fields = ["outcome", "agreement_type", "decline_reason", "outcome_note", "feature_consent", "story"]
        labels = {
            "agreement_type": _("If an agreement was reached, what kind?"),
            "feature_consent": _("WiiTs may feature this cooperation on its home page as a success story"),
            "story": _("A sentence or two WiiTs may publish about it"),
        }
        widgets = {"outcome_note": forms.Textarea(attrs={"rows": 2}), "story": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "outcome_note": _("For you and WiiTs staff only."),
            "story": _("Featured only if the sender agrees too; they are asked on their dashboard."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement_type"].queryset = CooperationType.objects.all()

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if outcome == Outcome.AGREEMENT and not data.get("agreement_type"):
            self.add_error("agreement_type", _("Say what kind of agreement was reached."))
        if outcome == Outcome.DECLINED and not data.get("decline_reason"):
            self.add_error("decline_reason", _("Say why the cooperation was declined."))
        if data.get("feature_consent") and outcome != Outcome.AGREEMENT:
            self.add_error("feature_consent", _("Only an agreement can be featured."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "outcome": data["outcome"],
            "agreement_type": data.get("agreement_type"),
            "decline_reason": data.get("decline_reason") or "",
            "note": data.get("outcome_note") or "",
            "feature_consent": data.get("feature_consent", False),
            "story": data.get("story") or "",
        }


class ContentTranslationForm(forms.Form):
    """A translation of a listing's or a need's texts into one language. Empty fields
    remove the translation (the page then shows the original)."""

    def __init__(self, *args, obj, fields: dict[str, forms.Field], language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.language = language
        for name, field in fields.items():
            field.required = False
            field.initial = getattr(obj, i18n_field_name(name, language), "") or ""
            # What is typed is in `language`; the labels stay in the page's.
            field.widget.attrs.update({"lang": language, "dir": "auto"})
            self.fields[name] = field

    def clean(self):
        data = super().clean()
        return {name: " ".join(value.split()) if name == "title" else value.strip() for name, value in data.items()}


def technology_translation_fields() -> dict[str, forms.Field]:
    return {
        "title": forms.CharField(label=_("Title"), max_length=200, validators=[validate_single_line]),
        "summary": forms.CharField(
            label=_("Non-confidential summary"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
        ),
        "description": forms.CharField(
            label=_("Description"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 10}),
            help_text=_("Markdown: headings, lists, links."),
        ),
        "advantages": forms.CharField(
            label=_("Advantages over existing solutions"), max_length=5_000, required=False,
            widget=forms.Textarea(attrs={"rows": 5}), help_text=_("Markdown: headings, lists, links."),
        ),
    }  # fmt: skip
