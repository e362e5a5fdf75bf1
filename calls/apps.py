from django.apps import AppConfig


class CallsConfig(AppConfig):
    """Calls for solutions: staff open a themed call with its rules, questions, criteria
    and jury; members apply with a technology before the deadline; staff check
    eligibility and draw a shortlist; the jury scores it; staff publish the results."""

    name = "calls"
    verbose_name = "WiiTs calls for solutions"
