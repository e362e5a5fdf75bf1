from django.contrib import admin

from .models import CooperationType, Sector, SustainableDevelopmentGoal


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SustainableDevelopmentGoal)
class SustainableDevelopmentGoalAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "colour"]

    def has_add_permission(self, request):
        return False  # the 17 goals are fixed by the United Nations

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CooperationType)
class CooperationTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
