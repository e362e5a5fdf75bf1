"""allauth's sign-up form with the box to accept the privacy notice and the terms of use
in force (ACCOUNT_FORMS["signup"]); while none is in force, nothing is asked.

A module of its own: allauth's forms module builds its sign-up form on
ACCOUNT_SIGNUP_FORM_CLASS (accounts.forms.SignupForm, the member's details), so
accounts.forms cannot import it, and that form stays free of queries until it is used.
"""

from allauth.account.forms import SignupForm as AllauthSignupForm

from . import selectors, services
from .forms import legal_acceptance_field


class SignupForm(AllauthSignupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.legal_documents = selectors.legal_documents_in_force()
        if self.legal_documents:
            # Added last: the box sits just above the button.
            self.fields["accept_legal"] = legal_acceptance_field(self.legal_documents)

    def custom_signup(self, request, user) -> None:
        super().custom_signup(request, user)
        services.consent_record(user=user, documents=self.legal_documents.values())
