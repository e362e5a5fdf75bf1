"""What staff configure for partner sites: their API keys and the origins allowed to
frame the embeddable lists."""

import hashlib
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A key as a partner sees it: "wiits_" + 8 characters shown in the admin (to tell keys
# apart) + a secret; only its SHA-256 is stored. A random key of 256 bits needs no slow
# hash (nothing to guess), as GitHub's and pretix's tokens.
KEY_PREFIX = "wiits_"
PREFIX_LENGTH = 8


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class PartnerKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class PartnerKey(models.Model):
    """An API key of a partner site: named, revocable, stored hashed, with its last use."""

    name = models.CharField(_("name"), max_length=200, help_text=_('Who uses it, e.g. "ITPO Beijing website".'))
    contact_email = models.EmailField(
        _("contact email"), blank=True, help_text=_("Whom to tell when the key or the API changes (staff only).")
    )
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    objects = PartnerKeyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("partner API key")
        verbose_name_plural = _("partner API keys")

    def __str__(self) -> str:
        return f"{self.name} ({KEY_PREFIX}{self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def new_secret() -> tuple[str, str]:
        """A new key and its prefix: the key is shown once, when the row is created."""
        prefix = secrets.token_hex(PREFIX_LENGTH // 2)
        return f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}", prefix


class EmbedOrigin(models.Model):
    """A partner website allowed to show the portal's embeddable lists in a frame
    (the Content Security Policy's frame-ancestors of the embed pages)."""

    origin = models.URLField(
        _("origin"),
        max_length=200,
        unique=True,
        help_text=_("The partner site's scheme and host, e.g. https://www.unido.org (no path)."),
    )
    name = models.CharField(_("partner"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "origin"]
        verbose_name = _("partner site allowed to embed")
        verbose_name_plural = _("partner sites allowed to embed")

    def __str__(self) -> str:
        return f"{self.name} ({self.origin})"

    def clean(self):
        parts = urlsplit(self.origin or "")
        if parts.scheme not in ("https", "http") or not parts.hostname or parts.path not in ("", "/") or parts.query:
            raise ValidationError({"origin": _("Enter a scheme and a host only, e.g. https://www.example.org.")})
        self.origin = f"{parts.scheme}://{parts.netloc.lower()}"
