from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Members")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import consent_state_on_sign_in

        # A new session learns at sign-in whether its member has versions of the privacy
        # notice or terms to accept (accounts/middleware.py), so its pages need no query.
        user_logged_in.connect(consent_state_on_sign_in, dispatch_uid="accounts.consent_state_on_sign_in")
