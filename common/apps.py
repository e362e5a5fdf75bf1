from django.apps import AppConfig


class CommonConfig(AppConfig):
    """The ground every app stands on: template tags, text and translation helpers.

    It imports no app of ours (an import-linter contract keeps it so; docs/ARCHITECTURE.md).
    """

    name = "common"
    verbose_name = "WiiTs common"
