import copy

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common import search
from common.countries import CountrySelect, country_choices
from common.pagination import RankedRows
from common.reference.models import CooperationType, Sector, SustainableDevelopmentGoal
from common.widgets import PrewrittenSelect

from . import selectors
from .models import IPStatus

SORT_CHOICES = [("relevance", _("Relevance")), ("newest", _("Newest")), ("trl", _("Readiness (TRL)"))]
TRL_CHOICES = [(str(level), str(level)) for level in range(1, 10)]


class _CopiedFilters(dict):
    """A filter set's declared filters, copied for each filter set as django-filter does
    (each copy gets its own `parent` and `model`), but shallowly: a deep copy also copied
    every filter's choices and querysets, a fifth of the catalogue's filter form (make
    bench), and nothing changes them."""

    def __deepcopy__(self, memo):
        filters = {}
        for name, declared in self.items():
            filters[name] = copy.copy(declared)
            if declared.method is not None:  # its FilterMethod calls its own filter's parent
                filters[name].method = declared.method
        return filters


class _OneQueryChoices(django_filters.fields.ModelChoiceIterator):
    """A reference list's choices (sectors, goals, cooperation types: twenty rows) read in
    one query. Django reads them with `QuerySet.iterator()`, which on PostgreSQL opens a
    server-side cursor: DECLARE, FETCH and CLOSE, three round trips for each select of
    every list page (make bench)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset.all():  # all(): read afresh on each page, never a stale cache
            yield self.choice(obj)


class _OneQueryChoiceField(django_filters.fields.ModelChoiceField):
    iterator = _OneQueryChoices


class SearchableFilter(django_filters.FilterSet):
    """A list's filters with words to rank by: with `result_limit`, relevance orders the
    newest `result_limit` (+ 1) matches only.

    Ranking reads every matching row (30 000 for a common word among 100 000 listings);
    the newest matches come from the search index (RUM) or the date index, and a list
    offers only its first `result_limit` results anyway (common.pagination).
    """

    @classmethod
    def get_filters(cls):
        """The declared filters; a select without a widget of its own gets
        `PrewrittenSelect` (common/widgets.py), whose options are written once per language,
        and a reference list's choices are read in one query (`_OneQueryChoices`)."""
        filters = super().get_filters()
        for declared in filters.values():
            if isinstance(declared, django_filters.ChoiceFilter | django_filters.ModelChoiceFilter):
                declared.extra.setdefault("widget", PrewrittenSelect)
            if type(declared) is django_filters.ModelChoiceFilter:
                declared.field_class = _OneQueryChoiceField
        return _CopiedFilters(filters)

    def get_form_class(self):
        """The form class, built once per filter set class: its fields are the same for
        every request (Django copies a form's fields for each form it makes), and
        django-filter built a new class and every field again on each page (make bench)."""
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    def __init__(self, *args, result_limit: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.result_limit = result_limit
        # The rows of `qs`, when ranking had to read their keys anyway (else None): the
        # list's count, without counting again.
        self.counted: int | None = None

    @property
    def active_filter_count(self) -> int:
        """How many filters narrow the list, for the "Filters (2)" button of small screens:
        the words have their own box and the order narrows nothing; values that were not
        understood are ignored, as by the list."""
        if not self.is_bound:
            return 0
        self.form.is_valid()  # cleans the form once; `cleaned_data` keeps the valid fields
        cleaned = getattr(self.form, "cleaned_data", {})
        return sum(
            1 for name, value in cleaned.items() if name not in ("q", "sort") and value not in (None, "", False)
        )

    def by_relevance(self, queryset):
        if not self.result_limit:
            return queryset.order_by("-relevance", "-published_at", "pk")
        # One more than the list offers, so that its count can say "more than". Their keys,
        # ranks and dates are read once, with the matches: the page then reads its own rows
        # only (ordering the full rows by rank would read every candidate's).
        newest = search.newest_matches(queryset, self.result_limit + 1)
        self.counted = len(newest)
        newest.sort(key=lambda row: (-row[1], -(row[2].timestamp() if row[2] else 0), row[0]))
        return RankedRows(queryset, [pk for pk, _relevance, _published in newest])


class CatalogueFilter(SearchableFilter):
    """The catalogue's search and filters; every value lives in the URL.

    Invalid values (unknown sector, TRL "abc", a 10 000-character query) make the form
    invalid: those filters are ignored and the page says why, never a server error.
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
    trl_min = django_filters.ChoiceFilter(
        label=_("TRL from"), field_name="trl", lookup_expr="gte", choices=TRL_CHOICES, empty_label="—"
    )
    trl_max = django_filters.ChoiceFilter(
        label=_("TRL to"), field_name="trl", lookup_expr="lte", choices=TRL_CHOICES, empty_label="—"
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"),
        choices=country_choices,
        method="filter_country",
        empty_label=_("All countries"),
        widget=CountrySelect,
    )
    cooperation = django_filters.ModelChoiceFilter(
        label=_("Cooperation sought"),
        queryset=CooperationType.objects.all(),
        to_field_name="slug",
        empty_label=_("Any cooperation"),
    )
    ip_status = django_filters.ChoiceFilter(
        label=_("Intellectual property"), choices=IPStatus.choices, empty_label=_("Any")
    )
    nag = django_filters.BooleanFilter(
        label=_("NAG-evaluated only"),
        field_name="nag_evaluated",
        widget=forms.CheckboxInput,
        method="filter_nag",
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="filter_noop", empty_label=None, null_label=None
    )

    def filter_words(self, queryset, name, value):
        return selectors.technology_search(queryset, value)

    def filter_country(self, queryset, name, value: str):
        # Codes are two letters separated by commas, so a contains-match is exact.
        return queryset.filter(Q(country_developed=value) | Q(countries_deployed__contains=value))

    def filter_nag(self, queryset, name, value):
        return queryset.filter(nag_evaluated=True) if value else queryset

    def filter_noop(self, queryset, name, value):
        return queryset  # sorting happens after all filters, in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data  # the valid fields only, when some are invalid
        searching = bool((data.get("q") or "").strip())
        sort = data.get("sort") or ("relevance" if searching else "newest")
        if sort == "relevance" and searching:
            return self.by_relevance(queryset)
        if sort == "trl":
            return queryset.order_by("-trl", "-published_at", "pk")
        return queryset.order_by("-published_at", "pk")
