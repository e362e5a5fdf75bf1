"""Partner API keys: `Authorization: Api-Key <key>` (or the `X-Api-Key` header).

A request without a key is anonymous and throttled per address; a request with a key that
is unknown or revoked is refused (401), so that a partner notices rather than silently
falling back to the lower limit.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import KEY_PREFIX, PartnerKey, hash_key

KEYWORD = "Api-Key"
# The last use is written at most this often per key, not on every request.
LAST_USED_PRECISION = timezone.timedelta(minutes=5)


class PartnerUser:
    """Who a keyed request is: not a member, only the key (`request.auth`)."""

    is_authenticated = True
    is_anonymous = False
    is_staff = False
    is_active = True
    pk = id = None

    def __init__(self, key: PartnerKey):
        self.key = key

    def __str__(self) -> str:
        return self.key.name


class PartnerKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        key = self._key_of(request)
        if key is None:
            return None
        if not key.startswith(KEY_PREFIX) or len(key) > 200:
            raise exceptions.AuthenticationFailed(_("This API key is not valid."))
        partner = PartnerKey.objects.active().filter(key_hash=hash_key(key)).first()
        if partner is None:
            raise exceptions.AuthenticationFailed(_("This API key is not valid or has been revoked."))
        now = timezone.now()
        if partner.last_used_at is None or now - partner.last_used_at > LAST_USED_PRECISION:
            PartnerKey.objects.filter(pk=partner.pk).update(last_used_at=now)
        return PartnerUser(partner), partner

    def authenticate_header(self, request):
        return KEYWORD

    @staticmethod
    def _key_of(request) -> str | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header:
            keyword, _space, value = header.partition(" ")
            if keyword.lower() != KEYWORD.lower() or not value.strip():
                raise exceptions.AuthenticationFailed(_('Send the key as "Authorization: Api-Key <key>".'))
            return value.strip()
        return request.META.get("HTTP_X_API_KEY", "").strip() or None


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    """The key in the OpenAPI description (drf-spectacular finds this subclass by itself)."""

    target_class = PartnerKeyAuthentication
    name = "partnerKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'A partner\'s key, sent as "Api-Key <key>" (a higher rate limit); reading needs no key.',
        }
