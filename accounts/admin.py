from allauth.account.admin import EmailAddressAdmin as AllauthEmailAddressAdmin
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.audit import AuditTrailAdmin
from common.spreadsheets.admin import SpreadsheetAdmin
from common.translation_admin import TranslatedAdmin

from . import services
from .models import Consent, LegalDocument, Organisation, User
from .resources import OrganisationResource


class MemberCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "name"]

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()


class MemberChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()


@admin.register(User)
class UserAdmin(AuditTrailAdmin, DjangoUserAdmin):
    add_form = MemberCreationForm
    form = MemberChangeForm
    ordering = ["-date_joined"]
    list_display = [
        "email",
        "name",
        "organisation",
        "stakeholder_type",
        "country",
        "is_staff",
        "is_active",
        "date_joined",
    ]
    list_select_related = ["organisation"]
    list_filter = ["stakeholder_type", "is_staff", "is_active", "preferred_language", "country", "sectors"]
    search_fields = ["email", "name", "organisation__name"]
    date_hierarchy = "date_joined"
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["sectors", "groups", "user_permissions"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Member"),
            {
                "fields": [
                    "name",
                    "organisation",
                    "job_title",
                    "stakeholder_type",
                    "country",
                    "sectors",
                    "preferred_language",
                ]
            },
        ),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "name", "usable_password", "password1", "password2"]}),
    ]

    # Deleting a member here is the same act as on their own deletion page: the service
    # deletes their files after commit and tells the apps above (accounts.signals).
    def delete_model(self, request, obj):
        services.member_delete(user=obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            services.member_delete(user=user)


@admin.register(Organisation)
class OrganisationAdmin(SpreadsheetAdmin, admin.ModelAdmin):
    """Organisations, with Import and Export as spreadsheets (accounts/resources.py, docs/IMPORT.md)."""

    resource_classes = [OrganisationResource]
    list_display = ["name", "country", "website", "created_at"]
    list_filter = ["country"]
    search_fields = ["name"]
    date_hierarchy = "created_at"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class EmailAddressAdmin(AllauthEmailAddressAdmin):
    """allauth's, with its one action under the change permission: a verified address is one
    its holder may sign in and reset a password with, not for staff who may only view."""

    @admin.action(description=_("Mark selected email addresses as verified"), permissions=["change"])
    def make_verified(self, request, queryset):
        return super().make_verified(request, queryset)


admin.site.unregister(EmailAddress)
admin.site.register(EmailAddress, EmailAddressAdmin)


@admin.register(LegalDocument)
class LegalDocumentAdmin(TranslatedAdmin):
    """Versions of the privacy notice and the terms. A new version is a new row: the one in
    force is the latest whose date has come, and members are asked to accept it. Once
    members have accepted a version, what they accepted stays as it was (its translations
    may still be corrected)."""

    list_display = ["title", "kind", "version", "effective_date", "created_at"]
    list_filter = ["kind"]
    search_fields = ["title"]
    date_hierarchy = "effective_date"
    ordering = ["kind", "-effective_date", "-version"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.consents.exists():
            return ["kind", "version", "title", "changes", "body", "original_language", "effective_date"]
        return []


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    """The record of who accepted which version, and when: never written here. Deleting a
    record (with the delete permission) only means its member is asked again."""

    list_display = ["user", "document", "accepted_at"]
    list_select_related = ["user", "document"]
    list_filter = ["document"]
    search_fields = ["user__email", "user__name"]
    date_hierarchy = "accepted_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
