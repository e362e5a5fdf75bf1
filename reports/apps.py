from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The staff reports: figures across technologies, needs and events, with charts and CSV."""

    name = "reports"
    verbose_name = "WiiTs reports"
