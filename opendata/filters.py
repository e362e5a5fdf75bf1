"""The API's filters: the site's own filter sets for technologies and needs (the same
parameters and the same search), and small ones for events and advisers."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend

from common.countries import country_choices
from common.reference.models import Sector, SustainableDevelopmentGoal
from events.models import EventKind
from technologies.filters import SearchableFilter

# A search ranks its newest matches, as the site does (technologies/views.py RESULT_LIMIT).
SEARCH_LIMIT = 1000


class SiteFilterBackend(DjangoFilterBackend):
    """django-filter's backend for the site's filter sets: a value that is not understood
    is a 400 naming the parameter (where the site's page ignores it and says so), and a
    search ranks its newest SEARCH_LIMIT matches, counted once (`view.counted`)."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        if issubclass(self.get_filterset_class(view, queryset), SearchableFilter):
            kwargs["result_limit"] = SEARCH_LIMIT
        return kwargs

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise utils.translate_validation(filterset.errors)
        rows = filterset.qs
        view.counted = getattr(filterset, "counted", None)
        return rows


WHEN_CHOICES = [("upcoming", _("Upcoming (and under way)")), ("past", _("Past"))]


class EventFilter(django_filters.FilterSet):
    when = django_filters.ChoiceFilter(
        label=_("Upcoming or past"), choices=WHEN_CHOICES, method="filter_when", empty_label=None, null_label=None
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EventKind.choices)
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), field_name="sectors", queryset=Sector.objects.active(), to_field_name="slug"
    )
    sdg = django_filters.ModelChoiceFilter(
        label=_("SDG"), field_name="sdgs", queryset=SustainableDevelopmentGoal.objects.all(), to_field_name="number"
    )
    country = django_filters.ChoiceFilter(label=_("Country"), choices=country_choices)

    def filter_when(self, queryset, name, value):
        return queryset  # applied in filter_queryset, which every list goes through

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("when") == "past":
            return queryset.past()
        return queryset.upcoming()


class AdviserFilter(django_filters.FilterSet):
    sector = django_filters.ModelChoiceFilter(
        label=_("Expertise"), field_name="expertise", queryset=Sector.objects.active(), to_field_name="slug"
    )
    country = django_filters.ChoiceFilter(label=_("Country"), choices=country_choices)
