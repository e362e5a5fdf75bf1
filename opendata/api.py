"""The public read-only API, /api/v1/ (docs/API.md).

Only what the portal's public pages show: published technologies and needs, published
events (upcoming and past) with their agenda and speakers, the current advisory group,
and the reference lists. Every answer:
- is in the language asked for (`?lang=`, else `Accept-Language`, else English), named by
  `Content-Language`, each text marked with the language it is really in;
- carries an ETag (and, for one technology or need, Last-Modified), and a request that
  sends it back gets 304 Not Modified;
- is throttled per address, or per partner key at a higher rate (opendata/throttling.py).
"""

import hashlib

from django.conf import settings
from django.core.paginator import InvalidPage
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import api_view, authentication_classes
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from advisors import selectors as advisor_selectors
from common.pagination import BoundedPaginator
from common.reference.models import CooperationType, Sector, SustainableDevelopmentGoal
from common.site import site_url
from events import selectors as event_selectors
from events.models import Event
from needs.filters import NeedFilter
from technologies.filters import CatalogueFilter
from technologies.models import Need, Technology

from . import serializers
from .filters import AdviserFilter, EventFilter, SiteFilterBackend

# A list offers at most this many results (every page of them): more than the portal
# holds for years, and paging stays cheap with any number of rows.
RESULT_LIMIT = 10_000

LANGUAGE_PARAMETER = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    enum=[code for code, _name in settings.LANGUAGES],
    description="The language of the texts and names (else Accept-Language, else English).",
)


def supported_language(code: str) -> str | None:
    try:
        return translation.get_supported_language_variant(code.strip())
    except LookupError:
        return None


def language_of(request) -> str:
    """`?lang=` (a 400 if it is not one of the six), else the best of Accept-Language."""
    asked = request.query_params.get("lang")
    if asked is not None:
        language = supported_language(asked)
        if language is None:
            choices = ", ".join(code for code, _name in settings.LANGUAGES)
            raise ValidationError({"lang": [_("Choose one of: %(languages)s.") % {"languages": choices}]})
        return language
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in translation.trans_real.parse_accept_lang_header(header):
        language = supported_language(code) if code != "*" else None
        if language:
            return language
    return settings.LANGUAGE_CODE


class Pagination(PageNumberPagination):
    """Pages of `page_size` results (20, at most 100), `count` up to RESULT_LIMIT (searches:
    their newest 1 000 matches, ranked), links on SITE_URL."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        counted = getattr(view, "counted", None)
        paginator = BoundedPaginator(queryset, self.get_page_size(request), limit=RESULT_LIMIT, counted=counted)
        page_number = request.query_params.get(self.page_query_param) or 1
        try:
            self.page = paginator.page(page_number)
        except InvalidPage as error:  # not a number, or past the last page
            raise NotFound(_("There is no page %(page)s.") % {"page": page_number}) from error
        return list(self.page)

    def _url(self) -> str:
        return site_url(self.request.get_full_path())

    def get_next_link(self):
        if not self.page.has_next():
            return None
        return replace_query_param(self._url(), self.page_query_param, self.page.next_page_number())

    def get_previous_link(self):
        if not self.page.has_previous():
            return None
        number = self.page.previous_page_number()
        if number == 1:
            return remove_query_param(self._url(), self.page_query_param)
        return replace_query_param(self._url(), self.page_query_param, number)


class PublicAPIView:
    """What every view of the API does: the reader's language, and conditional answers."""

    # Set by a view that knows when its object last changed.
    last_modified = None

    def initial(self, request, *args, **kwargs):
        self.language = language_of(request)  # before the throttles: a bad lang is a 400 anyway
        translation.activate(self.language)
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        language = getattr(self, "language", None)
        if language:
            response["Content-Language"] = language
        patch_vary_headers(response, ["Accept-Language"])
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response.render()
            etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
            response["ETag"] = etag
            if self.last_modified is not None:
                response["Last-Modified"] = http_date(self.last_modified.timestamp())
            response["Cache-Control"] = "public, max-age=60"
            conditional = get_conditional_response(
                request, etag=etag, last_modified=self.last_modified and int(self.last_modified.timestamp()),
                response=response,
            )  # fmt: skip
            if conditional is not response:
                for header in ("Content-Language", "Vary", "Cache-Control"):
                    conditional[header] = response[header]
                return conditional
        return response


@extend_schema_view(list=extend_schema(parameters=[LANGUAGE_PARAMETER]))
@extend_schema_view(retrieve=extend_schema(parameters=[LANGUAGE_PARAMETER]))
class ReadOnlyViewSet(PublicAPIView, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    # Any value reaches the view (a JSON 404), not only a slug's characters.
    lookup_value_regex = "[^/]+"
    pagination_class = Pagination
    filter_backends = [SiteFilterBackend]
    detail_serializer_class = None
    counted = None

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class:
            return self.detail_serializer_class
        return self.serializer_class

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        self.last_modified = getattr(instance, "updated_at", None)
        return Response(self.get_serializer(instance).data)


class TechnologyViewSet(ReadOnlyViewSet):
    """Published technologies, newest first (or by relevance when searching, or readiness),
    with the catalogue's filters: `q` (the site's search in six languages), `sector`, `sdg`,
    `trl_min`, `trl_max`, `country`, `cooperation`, `ip_status`, `nag`, `sort`."""

    serializer_class = serializers.TechnologySerializer
    detail_serializer_class = serializers.TechnologyDetailSerializer
    filterset_class = CatalogueFilter

    def get_queryset(self):
        # A result card's rows (no long texts); one technology also reads its long texts.
        technologies = Technology.objects.published().for_cards().prefetch_related("cooperation")
        if self.action == "retrieve":
            technologies = technologies.defer(None).defer("search_vector", "search_words")
        return technologies


class NeedViewSet(ReadOnlyViewSet):
    """Published technology needs, with the needs list's filters: `q`, `sector`, `sdg`,
    `country`, `trl`, `cooperation`, `sort`."""

    serializer_class = serializers.NeedSerializer
    detail_serializer_class = serializers.NeedDetailSerializer
    filterset_class = NeedFilter

    def get_queryset(self):
        needs = Need.objects.published().for_cards().prefetch_related("cooperation")
        if self.action == "retrieve":
            needs = needs.defer(None).defer("search_vector", "search_words")
        return needs


class EventViewSet(ReadOnlyViewSet):
    """Published events with their agenda and speakers: upcoming ones (and those under way)
    soonest first, or `when=past`, latest first; filters `kind`, `sector`, `sdg`, `country`."""

    serializer_class = serializers.EventSerializer
    detail_serializer_class = serializers.EventDetailSerializer
    filterset_class = EventFilter

    def get_queryset(self):
        # The event page's speakers and agenda (events.selectors), and the lists it names.
        return Event.objects.published().prefetch_related("sectors", "sdgs", *event_selectors.page_parts())

    def filter_queryset(self, queryset):
        if self.action == "retrieve":  # past or upcoming, any published event
            return queryset
        return super().filter_queryset(queryset)


class AdviserViewSet(ReadOnlyViewSet):
    """The current members of the National Advisory Group, in the group's order; filters
    `sector` (expertise) and `country`."""

    serializer_class = serializers.AdviserSerializer
    filterset_class = AdviserFilter

    def get_queryset(self):
        return advisor_selectors.advisers_for_public_page()


class ReferenceViewSet(PublicAPIView, mixins.ListModelMixin, viewsets.GenericViewSet):
    """A short list, whole: no pages."""

    pagination_class = None
    filter_backends = []

    @extend_schema(parameters=[LANGUAGE_PARAMETER])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class SectorViewSet(ReferenceViewSet):
    """The sectors of industry: the values of the `sector` filters."""

    serializer_class = serializers.SectorSerializer
    queryset = Sector.objects.active()


class GoalViewSet(ReferenceViewSet):
    """The 17 Sustainable Development Goals: the values of the `sdg` filters."""

    serializer_class = serializers.GoalSerializer
    queryset = SustainableDevelopmentGoal.objects.all()


class CooperationTypeViewSet(ReferenceViewSet):
    """The kinds of cooperation: the values of the `cooperation` filters."""

    serializer_class = serializers.CooperationTypeSerializer
    queryset = CooperationType.objects.all()


@extend_schema(exclude=True)
@api_view(["GET", "HEAD"])
@authentication_classes([])
def not_found(request, *args, **kwargs):
    raise NotFound(_("There is nothing at this address of the API: see /api/v1/docs/."))
