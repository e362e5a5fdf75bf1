from django.apps import AppConfig


class NeedsConfig(AppConfig):
    """Technology needs and matching: members post what they need, staff publish it,
    owners of technologies answer, and suggestions pair needs with technologies.

    Its models (Need, NeedTransition) stay in technologies/models.py, where the
    migrations made their tables, beside Inquiry, which an answer to a need is.
    """

    name = "needs"
    verbose_name = "WiiTs needs"
