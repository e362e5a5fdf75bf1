from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Development tooling: the demo data, the data generators, the benchmark and the fault
    injection. Installed only when WIITS_DEV_TOOLS is on (by default in development and in
    the tests); the runtime code never imports it (an import-linter contract)."""

    name = "devtools"
    verbose_name = "WiiTs development tools"
