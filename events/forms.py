from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.answers import NO, YES
from common.translated import translated

from .models import EventKind, QuestionKind, RegistrationQuestion, VisaLetterRequest
from .services import MAX_TEXT_ANSWER

YES_NO = [(YES, _("Yes")), (NO, _("No"))]


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


def question_field_name(question: RegistrationQuestion) -> str:
    return f"q{question.pk}"


def _question_field(question: RegistrationQuestion) -> forms.Field:
    """A form field for `question`, labelled in the reader's language. The field only gathers
    the answer: services.clean_answers checks it (required, kind, length), so that every
    problem is said at once, beside its question."""
    label = translated(question, "text").text
    attrs = {"aria-required": "true"} if question.required else {}
    if question.kind == QuestionKind.CHOICE:
        widget = forms.Select(attrs=attrs, choices=[("", _("Choose…")), *question.options()])
    elif question.kind == QuestionKind.YES_NO:
        widget = forms.RadioSelect(choices=YES_NO)
    else:
        widget = forms.Textarea(attrs={"rows": 2, "maxlength": MAX_TEXT_ANSWER, **attrs})
    field = forms.CharField(label=label, required=False, strip=False, widget=widget)
    field.question = question
    field.answer_required = question.required
    return field


class RegistrationAnswersForm(forms.Form):
    """The answers to an event's registration questions (on registering and on "Your answers")."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[question_field_name(question)] = _question_field(question)

    def full_clean(self):
        super().full_clean()
        _describe_errors(self)

    def answers(self) -> dict[str, str]:
        """{str(question pk): answer as typed}, for services.clean_answers."""
        return {str(q.pk): self.cleaned_data.get(question_field_name(q)) or "" for q in self.questions}

    def add_service_errors(self, error: ValidationError) -> None:
        """The service's problems, each beside its question."""
        if hasattr(error, "error_dict"):
            for key, errors in error.error_dict.items():
                name = f"q{key}" if f"q{key}" in self.fields else None
                for item in errors:
                    self.add_error(name, item)
        else:
            self.add_error(None, error)
        _describe_errors(self)


def _describe_errors(form: forms.Form) -> None:
    """Tie each error to its field for screen readers (the template gives it this id)."""
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            described = [widget.attrs.get("aria-describedby"), f"{form[name].auto_id}_error"]
            widget.attrs["aria-describedby"] = " ".join(value for value in dict.fromkeys(described) if value)
            widget.attrs["aria-invalid"] = "true"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class VisaLetterRequestForm(forms.ModelForm):
    """What a visa invitation letter says of its holder. The dates are checked against the
    event by the service (letters.visa_letter_request_save)."""

    class Meta:
        model = VisaLetterRequest
        fields = [
            "full_name",
            "nationality",
            "passport_number",
            "date_of_birth",
            "passport_expiry",
            "arrival",
            "departure",
        ]
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "passport_number": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            "date_of_birth": DateInput(attrs={"autocomplete": "bday"}),
            "passport_expiry": DateInput(),
            "arrival": DateInput(),
            "departure": DateInput(),
        }
        help_texts = {
            "full_name": _("Exactly as in your passport, in Latin letters."),
            "passport_number": _("Only you and WiiTs staff see it; it is deleted after the event."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Blank in the model only once deleted after the event: a request gives both.
        self.fields["passport_number"].required = True
        self.fields["date_of_birth"].required = True

    def full_clean(self):
        super().full_clean()
        _describe_errors(self)

    def add_service_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for key, errors in error.error_dict.items():
                for item in errors:
                    self.add_error(key if key in self.fields else None, item)
        else:
            self.add_error(None, error)
        _describe_errors(self)
