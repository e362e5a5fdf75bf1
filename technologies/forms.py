from django import forms
from django.utils.translation import gettext_lazy as _

from wiits.reference.models import CooperationType, Sector, SustainableDevelopmentGoal

from .models import Inquiry, Technology
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
                _("Upload at most %(count)d images at a time."), params={"count": MAX_IMAGES_PER_UPLOAD}
            )
        return [reencode_image(super(MultipleImageField, self).clean(upload, initial)) for upload in files]


class TechnologyForm(forms.ModelForm):
    """The owner's form. Only these fields can be set: never status, owner or slug."""

    new_images = MultipleImageField(
        label=_("Add images"), required=False, help_text=_("JPEG, PNG or WebP, up to 5 MB each.")
    )
    remove_brochure = forms.BooleanField(label=_("Remove the current brochure"), required=False)

    class Meta:
        model = Technology
        fields = [
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
            "brochure": _("A PDF of at most 10 MB."),
            "countries_deployed": _("Hold Ctrl (or ⌘ on a Mac) to choose several."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.active()
        self.fields["sdgs"].queryset = SustainableDevelopmentGoal.objects.all()
        self.fields["cooperation"].queryset = CooperationType.objects.all()
        if not (self.instance.pk and self.instance.brochure):
            del self.fields["remove_brochure"]

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

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
