"""The public read-only API, /api/v1/ (docs/API.md), its OpenAPI description and its
documentation page (Swagger UI from drf-spectacular-sidecar's static files: no CDN)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import api

app_name = "api"


class Router(DefaultRouter):
    include_format_suffixes = False


router = Router(trailing_slash=True)
router.register("technologies", api.TechnologyViewSet, basename="technology")
router.register("needs", api.NeedViewSet, basename="need")
router.register("events", api.EventViewSet, basename="event")
router.register("advisers", api.AdviserViewSet, basename="adviser")
router.register("sectors", api.SectorViewSet, basename="sector")
router.register("sdgs", api.GoalViewSet, basename="sdg")
router.register("cooperation-types", api.CooperationTypeViewSet, basename="cooperation-type")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(urlconf=None), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
    # Any other address under /api/v1/ answers as the API does (JSON), not with a page.
    re_path(r"^(?P<rest>.+)$", api.not_found, name="not_found"),
]
