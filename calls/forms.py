"""The application form: one field per question of the call, and on the apply page the
technology the member applies with. A draft may leave questions unanswered; whether it
is complete is checked when it is submitted (services.submission_problems)."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from common.translated import translated
from technologies.models import Technology

from .models import Call, CallQuestion, QuestionKind
from .services import MAX_TEXT_ANSWER

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def field_name(question: CallQuestion) -> str:
    return f"q{question.pk}"


def _question_field(question: CallQuestion) -> forms.Field:
    label = translated(question, "text").text
    if question.kind == QuestionKind.CHOICE:
        choices = [("", _("Choose…")), *((choice, choice) for choice in question.choice_list)]
        field = forms.ChoiceField(label=label, choices=choices, required=False)
    elif question.kind == QuestionKind.YES_NO:
        field = forms.ChoiceField(label=label, choices=YES_NO, required=False, widget=forms.RadioSelect)
    elif question.kind == QuestionKind.NUMBER:
        # Kept as typed and checked by the service (a finite number, "1,5" or "1.5").
        field = forms.CharField(label=label, required=False, widget=forms.NumberInput(attrs={"step": "any"}))
        field.validators.append(MaxLengthValidator(50))  # not as an attribute: no maxlength on a number
    else:
        field = forms.CharField(
            label=label,
            required=False,
            max_length=MAX_TEXT_ANSWER,
            widget=forms.Textarea(attrs={"rows": 5}),
        )
    # Marked for the applicant, enforced at submission, not in a draft.
    field.question = question
    field.answer_required = question.required
    return field


class ApplicationForm(forms.Form):
    """The answers to `call`'s questions; with `technologies`, the choice of the member's
    own technology (any status: a draft listing's gaps are said at submission)."""

    technology = forms.ModelChoiceField(
        label=_("Your technology"),
        queryset=Technology.objects.none(),
        empty_label=_("Choose one of your technologies…"),
        error_messages={"invalid_choice": _("Choose one of your own technologies.")},
    )

    def __init__(self, *args, call: Call, questions, technologies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.questions = list(questions)
        if technologies is None:
            del self.fields["technology"]
        else:
            self.fields["technology"].queryset = technologies
            self.fields["technology"].label_from_instance = lambda technology: translated(technology, "title").text
        for question in self.questions:
            self.fields[field_name(question)] = _question_field(question)

    @property
    def question_fields(self) -> list:
        return [self[field_name(question)] for question in self.questions]

    def answers(self) -> dict[str, str]:
        """{str(question pk): answer} as services.application_save takes them."""
        return {str(question.pk): self.cleaned_data.get(field_name(question)) or "" for question in self.questions}

    def add_service_errors(self, error) -> None:
        """A ValidationError of the service: problems by question go to their fields."""
        if hasattr(error, "error_dict"):
            for key, errors in error.error_dict.items():
                name = f"q{key}" if f"q{key}" in self.fields else None
                for item in errors:
                    self.add_error(name, item)
        else:
            self.add_error(None, error)

    def full_clean(self):
        super().full_clean()
        # Tie each error to its field for screen readers (the template gives it this id).
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                described = [widget.attrs.get("aria-describedby"), f"{self[name].auto_id}_error"]
                widget.attrs["aria-describedby"] = " ".join(value for value in described if value)
