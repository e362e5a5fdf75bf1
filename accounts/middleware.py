"""Members accept the privacy notice and the terms of use in force before using the site.

When a new version takes effect, a signed-in member's next page is the consent page
(`accounts:consent`), which sends them back where they were going once they accept. The
pages one needs without accepting stay open: the notice and the terms themselves, the
contact form, signing out, downloading one's data, deleting one's account (with the
password asked again first), the two-factor steps, the health check, static and media
files, and the admin for staff (who publish the versions).

What a session has to accept is kept in the session itself, read at sign-in and again at
most every CHECK_EVERY_SECONDS: a page costs no query for it, and a new version reaches a
signed-in member within minutes of taking effect. With no version in force (a fresh
install), nothing is asked.
"""

import time

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from common.middleware import MFA_EXEMPT_VIEWS

from . import selectors

SESSION_KEY = "wiits_consent"
# How long a session trusts its last reading of what it must accept.
CHECK_EVERY_SECONDS = 300

# Pages open to a member who has not accepted the versions in force (URL names).
CONSENT_EXEMPT_VIEWS = MFA_EXEMPT_VIEWS | {
    "accounts:consent",
    "privacy",
    "terms",
    "contact",
    "data_export",
    "accounts:delete",
    "accounts:digest_unsubscribe",
    "account_logout",
    "account_reauthenticate",
    "account_request_reauthentication_code",
    "account_confirm_reauthentication_code",
    "mfa_reauthenticate",
    "django.views.static.serve",  # media files in development
}


def consent_state_remember(request, user) -> bool:
    """Read whether `user` has versions to accept and keep the answer in the session;
    return it. One query."""
    due = bool(selectors.consent_due(user=user))
    request.session[SESSION_KEY] = {"due": due, "at": time.time()}
    return due


def consent_state_on_sign_in(sender, request, user, **kwargs) -> None:
    """Receiver of django.contrib.auth's user_logged_in (accounts.apps): a new session
    starts with its answer, so its pages need no query for it."""
    if request is not None and hasattr(request, "session"):
        consent_state_remember(request, user)


def _consent_due(request) -> bool:
    state = request.session.get(SESSION_KEY)
    if not isinstance(state, dict) or time.time() - state.get("at", 0) >= CHECK_EVERY_SECONDS:
        return consent_state_remember(request, request.user)
    return bool(state.get("due"))


class ConsentMiddleware:
    """Send a signed-in member's page views to the consent page while a version in force
    waits for their acceptance. After AuthenticationMiddleware and StaffMFAMiddleware (a
    staff session sets up its second factor first)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.file_prefixes = tuple(
            "/" + prefix.strip("/") + "/"
            for prefix in (settings.STATIC_URL, settings.MEDIA_URL)
            if prefix and prefix.strip("/")
        )

    def __call__(self, request):
        return self.get_response(request)

    def _exempt(self, request) -> bool:
        match = request.resolver_match
        if match is not None and match.view_name in CONSENT_EXEMPT_VIEWS:
            return True
        if request.path_info.startswith(self.file_prefixes):
            return True
        # Pages only: images, feeds and scripts' requests are not sent to a form.
        accept = request.headers.get("Accept", "")
        return bool(accept) and "text/html" not in accept and "application/xhtml+xml" not in accept

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "GET" or self._exempt(request):
            return None
        user = request.user
        if not user.is_authenticated:
            return None
        if user.is_staff and request.path_info.startswith(reverse("admin:index")):
            return None
        if not _consent_due(request):
            return None
        return redirect(f"{reverse('accounts:consent')}?{urlencode({'next': request.get_full_path()})}")
