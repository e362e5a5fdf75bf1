"""Limits: anonymous callers per address, partners per key (a higher rate). Beyond it, 429
with Retry-After (Django REST framework's throttles). The counts live in the shared cache,
so they hold across web machines (Redis in production)."""

from rest_framework.throttling import SimpleRateThrottle


class AddressThrottle(SimpleRateThrottle):
    scope = "address"

    def get_cache_key(self, request, view):
        if request.auth is not None:
            return None  # a partner's key has its own limit
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PartnerKeyThrottle(SimpleRateThrottle):
    scope = "partner"

    def get_cache_key(self, request, view):
        if request.auth is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
