from urllib.parse import urlsplit

from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import DisallowedHost
from django.http.request import split_domain_port
from django.shortcuts import redirect
from django.urls import reverse, translate_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext as _


class HostPortMiddleware:
    """Refuse (400) a Host header that names a port the site does not serve.

    Django's ALLOWED_HOSTS ignores the port, so `wiits.example.org:1` passes it; a host
    decides nothing here (links come from SITE_URL), but a request for a port we do not
    serve is not ours to answer. The ports are ALLOWED_HOST_PORTS (settings.py). First in
    MIDDLEWARE, so nothing runs for such a request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        allowed = settings.ALLOWED_HOST_PORTS
        if "*" not in allowed:
            _domain, port = split_domain_port(request.get_host())  # DisallowedHost (400) for a host not allowed
            if port and port not in allowed:
                raise DisallowedHost(f"Invalid HTTP_HOST header: the port {port!r} is not served here.")
        return self.get_response(request)


class RememberedLanguageMiddleware:
    """Send a visitor who chose a language to that language's URL.

    English URLs carry no prefix, so Django alone would show English on `/` even after a
    visitor chose 中文. On a GET of an unprefixed page we redirect to the chosen language:
    the language cookie (set by the language switcher) or, for a member, their preferred
    language. Choosing English sets the cookie to English, which ends the redirects.
    Sits after AuthenticationMiddleware (it reads the member's preference).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "language_from_address_only", False):
            return None
        if request.method in ("GET", "HEAD") and not get_language_from_path(request.path_info):
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            user = getattr(request, "user", None)
            if not chosen and user is not None and user.is_authenticated:
                chosen = user.preferred_language
            if chosen in self.languages and chosen != settings.LANGUAGE_CODE:
                path = request.get_full_path()
                translated = translate_url(path, chosen)
                if translated != path:
                    return redirect(translated)
        return None


def language_from_address_only(view):
    """Marks a view whose language is its address's alone (the embeddable lists, whose
    language a partner site chose in the frame's address): RememberedLanguageMiddleware
    does not send it to the visitor's remembered language."""
    view.language_from_address_only = True
    return view


# The only pages a staff session without a second factor may open (URL names): those that
# set one up or ask for it (with the password re-authentication allauth asks for before
# activating), signing in and out, the language switch and the health check (which must
# answer without the session or the database), and the metrics (for Prometheus, by address
# or token, never by session). Every other page needs the second factor.
MFA_EXEMPT_VIEWS = frozenset(
    {
        "account_login",
        "account_logout",
        "account_reauthenticate",
        "account_request_reauthentication_code",
        "account_confirm_reauthentication_code",
        "mfa_authenticate",
        "mfa_reauthenticate",
        "mfa_activate_totp",
        "set_language",
        "healthz",
        "metrics",
    }
)


class StaffMFAMiddleware:
    """A staff session reaches the site only after two-factor authentication: every page
    and file, whatever it shows, but those of MFA_EXEMPT_VIEWS and static files.

    Controlled by WIITS_STAFF_REQUIRE_MFA (on outside development). It is the session
    that must have used a second factor, not merely the account that has one: a staff
    member (or superuser) without an authenticator is sent to set one up, one who signed
    in with a password alone is asked for a code (allauth's MFA re-authentication).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        static = urlsplit(settings.STATIC_URL or "").path
        self.static_prefix = ("/" + static.lstrip("/")) if static.strip("/") else None

    def __call__(self, request):
        return self.get_response(request)

    def _exempt(self, request) -> bool:
        match = request.resolver_match
        if match is not None and match.view_name in MFA_EXEMPT_VIEWS:
            return True
        return self.static_prefix is not None and request.path_info.startswith(self.static_prefix)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The exemptions first: they must not read the session (the health check).
        if not settings.WIITS_STAFF_REQUIRE_MFA or self._exempt(request):
            return None
        user = request.user
        if not (user.is_authenticated and (user.is_staff or user.is_superuser)):
            return None
        if not is_mfa_enabled(user):
            messages.warning(request, _("Set up two-factor authentication before using the administration."))
            return redirect(reverse("mfa_activate_totp"))
        records = get_authentication_records(request, user)
        if not any(record.get("method") == "mfa" for record in records):
            # After a POST (a staff button), come back to the page it was on.
            back = request.get_full_path() if request.method == "GET" else request.headers.get("Referer", "")
            next_query = urlencode(
                {"next": back if url_has_allowed_host_and_scheme(back, {request.get_host()}) else "/"}
            )
            return redirect(f"{reverse('mfa_reauthenticate')}?{next_query}")
        return None
