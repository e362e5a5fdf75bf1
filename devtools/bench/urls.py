"""The portal's URLs and two pages to compare against, under /bench/."""

from django.db.models import Q, Value
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from technologies.filters import CatalogueFilter
from technologies.models import Technology
from technologies.views import render_filtered_list
from wiits.urls import urlpatterns as portal_urlpatterns

CONTAINS_FIELDS = ["title", "summary", "description", "advantages", "organisation__name"]


@require_GET
def trivial(request):
    """The framework's ceiling: the full middleware, no template, no query."""
    return HttpResponse("ok", content_type="text/plain")


class ContainsCatalogueFilter(CatalogueFilter):
    """The catalogue with words matched by a case-insensitive contains-scan: what search
    costs without the full-text index."""

    def filter_words(self, queryset, name, value):
        words = Q()
        for word in value.split():
            words &= Q.create([(f"{field}__icontains", word) for field in CONTAINS_FIELDS], connector=Q.OR)
        return queryset.filter(words).annotate(relevance=Value(0.0))

    def by_relevance(self, queryset):
        # Nothing to rank by: the newest first, as an unindexed search would list them.
        return queryset.order_by("-published_at", "pk")


@require_GET
def catalogue_contains(request):
    return render_filtered_list(
        request,
        ContainsCatalogueFilter,
        Technology.objects.published().for_cards(),
        template="technologies/technology_list.html",
        results_template="technologies/_technology_results.html",
    )


urlpatterns = [
    path("bench/trivial", trivial),
    path("bench/contains/", catalogue_contains),
    *portal_urlpatterns,
]
