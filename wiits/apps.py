from django.apps import AppConfig


class WiitsConfig(AppConfig):
    name = "wiits"
    verbose_name = "WiiTs"
