import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from common.countries import CountrySelect, country_choices
from common.reference.models import CooperationType, Sector, SustainableDevelopmentGoal
from technologies.filters import TRL_CHOICES, SearchableFilter

from . import selectors

NEED_SORT_CHOICES = [("relevance", _("Relevance")), ("newest", _("Newest")), ("closing", _("Closing soonest"))]


class NeedFilter(SearchableFilter):
    """The list of published needs: words, sector, goal, country, readiness, cooperation.

    Invalid values are ignored and named on the page, as in the catalogue.
    """

    q = django_filters.CharFilter(
        label=_("Words"), method="filter_words", max_length=200, widget=forms.TextInput(attrs={"type": "search"})
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), queryset=Sector.objects.active(), to_field_name="slug", empty_label=_("All sectors")
    )
    sdg = django_filters.ModelChoiceFilter(
        label=_("SDG"),
        field_name="sdgs",
        queryset=SustainableDevelopmentGoal.objects.all(),
        to_field_name="number",
        empty_label=_("All goals"),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country of use"), choices=country_choices, empty_label=_("All countries"), widget=CountrySelect
    )
    trl = django_filters.ChoiceFilter(
        label=_("Open to a technology at TRL"),
        field_name="trl_min",
        lookup_expr="lte",
        choices=TRL_CHOICES,
        empty_label="—",
    )
    cooperation = django_filters.ModelChoiceFilter(
        label=_("Cooperation offered"),
        queryset=CooperationType.objects.all(),
        to_field_name="slug",
        empty_label=_("Any cooperation"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=NEED_SORT_CHOICES, method="filter_noop", empty_label=None, null_label=None
    )

    def filter_words(self, queryset, name, value):
        return selectors.need_search(queryset, value)

    def filter_noop(self, queryset, name, value):
        return queryset  # sorting happens after all filters, in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        searching = bool((data.get("q") or "").strip())
        sort = data.get("sort") or ("relevance" if searching else "newest")
        if sort == "relevance" and searching:
            return self.by_relevance(queryset)
        if sort == "closing":
            return queryset.order_by("valid_until", "pk")
        return queryset.order_by("-published_at", "pk")
