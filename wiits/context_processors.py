from django.conf import settings
from django.utils.translation import get_language_info

from accounts.permissions import can_use_admin


def site(request):
    """The language bar in the UN's fixed order, limited to the languages we offer."""
    offered = dict(settings.LANGUAGES)
    languages = [
        {"code": code, "name": offered[code], "name_local": get_language_info(code)["name_local"]}
        for code in settings.UN_LANGUAGE_ORDER
        if code in offered
    ]
    user = getattr(request, "user", None)
    return {
        "ui_languages": languages,
        "site_url": settings.SITE_URL,
        "can_use_admin": user is not None and can_use_admin(user),
    }
