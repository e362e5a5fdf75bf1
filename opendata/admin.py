from django.contrib import admin, messages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import EmbedOrigin, PartnerKey, hash_key


@admin.register(PartnerKey)
class PartnerKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "shown_prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "contact_email"]
    fields = ["name", "contact_email", "shown_prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    readonly_fields = ["shown_prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    @admin.display(description=_("key begins with"), ordering="prefix")
    def shown_prefix(self, obj):
        return f"wiits_{obj.prefix}_…" if obj.prefix else "—"

    def save_model(self, request, obj, form, change):
        if not change:
            key, obj.prefix = PartnerKey.new_secret()
            obj.key_hash = hash_key(key)
            obj.created_by = request.user
            super().save_model(request, obj, form, change)
            # The only time the key is shown: the portal keeps its hash only.
            shown = _("The key of %(name)s is %(key)s. Copy it now: it is not shown again.")
            self.message_user(request, shown % {"name": obj.name, "key": key}, messages.WARNING)
            return
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Revoke the selected keys"), permissions=["change"])
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(
            request, ngettext("%(count)d key revoked.", "%(count)d keys revoked.", count) % {"count": count}
        )


@admin.register(EmbedOrigin)
class EmbedOriginAdmin(admin.ModelAdmin):
    list_display = ["name", "origin", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "origin"]
    # An origin typed without its scheme is taken as https:// (Django 6's default already).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
