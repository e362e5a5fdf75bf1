from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from common.audit import AuditTrailAdmin
from common.files import FilesFollowRowsAdmin
from common.translation_admin import TranslatedAdmin

from .models import Adviser, AdviserConflict, Assignment, Charter, Criterion, Review, ReviewScore


@admin.register(Adviser)
class AdviserAdmin(AuditTrailAdmin, FilesFollowRowsAdmin, TranslatedAdmin):
    list_display = ["__str__", "role", "affiliation", "country", "is_active", "active_from", "active_until"]
    list_select_related = ["user"]
    list_filter = ["role", "is_active", "country", "expertise"]
    search_fields = ["user__name", "user__email", "affiliation", "title"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["expertise"]
    prepopulated_fields = {}


class AdviserConflictInline(admin.TabularInline):
    model = AdviserConflict
    extra = 0
    autocomplete_fields = ["organisation"]


AdviserAdmin.inlines = [AdviserConflictInline]


@admin.register(Charter)
class CharterAdmin(AuditTrailAdmin, TranslatedAdmin):
    list_display = ["title", "version", "approved_on", "approved_by", "effective_date"]
    date_hierarchy = "effective_date"


class CriterionChangeListForm(forms.BaseModelFormSet):
    """Weights are edited together on the list, where their total can be checked."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        edited = {form.instance.pk: form.cleaned_data for form in self.forms if form.cleaned_data}
        total = 0
        for criterion in Criterion.objects.all():
            data = edited.get(criterion.pk, {})
            active = data.get("is_active", criterion.is_active)
            if active:
                total += data.get("weight", criterion.weight)
        if total != 100:
            raise ValidationError(
                _("The weights of the active criteria add up to %(total)s, not 100.") % {"total": total}
            )


@admin.register(Criterion)
class CriterionAdmin(AuditTrailAdmin, admin.ModelAdmin):
    list_display = ["name", "weight", "is_active", "order"]
    list_editable = ["weight", "is_active", "order"]
    # Weight and activity change only on the list, all together, so the total stays 100.
    readonly_fields = ["weight", "is_active"]

    def get_changelist_formset(self, request, **kwargs):
        kwargs["formset"] = CriterionChangeListForm
        return super().get_changelist_formset(request, **kwargs)

    def changelist_view(self, request, extra_context=None):
        total = Criterion.objects.active().aggregate(total=Sum("weight"))["total"] or 0
        if total != 100:
            self.message_user(
                request, _("The active weights add up to %(total)s, not 100.") % {"total": total}, level="warning"
            )
        return super().changelist_view(request, extra_context)

    def get_readonly_fields(self, request, obj=None):
        # A new criterion starts inactive: activate it on the list with the other weights.
        return ["is_active"] if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.is_active = False
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        # Deleting an active criterion would break the total; deactivate it on the list first.
        return super().has_delete_permission(request, obj) and (obj is None or not obj.is_active)


class ReviewScoreInline(admin.TabularInline):
    model = ReviewScore
    extra = 0
    can_delete = False
    readonly_fields = ["criterion_name", "weight", "score"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["technology", "adviser", "state", "due_date", "assigned_at"]
    list_select_related = ["technology", "adviser__user"]
    list_filter = ["state", "due_date"]
    search_fields = ["technology__title", "adviser__user__name"]
    date_hierarchy = "assigned_at"
    readonly_fields = [f.name for f in Assignment._meta.fields]

    def has_add_permission(self, request):
        return False  # assign from the staff page, which applies the rules and emails the adviser


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["assignment", "recommendation", "weighted_score", "submitted_at"]
    list_select_related = ["assignment__technology", "assignment__adviser__user"]
    list_filter = ["recommendation", "submitted_at"]
    readonly_fields = [f.name for f in Review._meta.fields]
    inlines = [ReviewScoreInline]

    def has_add_permission(self, request):
        return False
