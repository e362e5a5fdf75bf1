from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferenceConfig(AppConfig):
    """Reference data every app uses: industrial sectors and the 17 SDGs.

    It imports no other app of ours, so members, technologies, advisers and needs can
    all point at it without import or migration cycles.
    """

    name = "common.reference"
    label = "reference"
    verbose_name = _("Reference data")
