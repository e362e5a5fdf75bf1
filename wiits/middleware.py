from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse, translate_url
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext as _


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
        return self.get_response(request)


class StaffMFAMiddleware:
    """Staff must turn on two-factor authentication before they reach /admin/.

    Controlled by WIITS_STAFF_REQUIRE_MFA (on outside development). A staff member
    without an authenticator is sent to allauth's page to set one up.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.WIITS_STAFF_REQUIRE_MFA
            and request.path_info.startswith("/admin/")
            and request.user.is_authenticated
            and request.user.is_staff
            and not is_mfa_enabled(request.user)
        ):
            messages.warning(request, _("Set up two-factor authentication before using the administration."))
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
