"""The embeddable lists for partner websites (/embed/...), in every language's prefix."""

app_name = "embed"
urlpatterns: list = []
