"""The embeddable lists for partner websites (/embed/...), in every language's prefix."""

from django.urls import path

from . import embed_views

app_name = "embed"
urlpatterns = [
    path("", embed_views.builder, name="builder"),
    path("technologies/", embed_views.technologies, name="technologies"),
    path("events/", embed_views.events, name="events"),
]
