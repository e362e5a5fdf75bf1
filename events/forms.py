from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EventKind


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *EventKind.choices], required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def apply(self, events):
        if not self.is_valid():
            return events
        data = self.cleaned_data
        if data["kind"]:
            events = events.filter(kind=data["kind"])
        if data["date_from"]:
            events = events.filter(ends_at__date__gte=data["date_from"])
        if data["date_to"]:
            events = events.filter(starts_at__date__lte=data["date_to"])
        return events
