from django.apps import AppConfig


class WiitsConfig(AppConfig):
    name = "wiits"
    verbose_name = "WiiTs"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deployment checks)
