"""The public read-only API, /api/v1/ (docs/API.md)."""

app_name = "api"
urlpatterns: list = []
