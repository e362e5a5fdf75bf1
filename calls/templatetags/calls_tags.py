"""Calls on other apps' pages: a technology's awards ("Winner, …") from published results."""

from django import template

from calls.models import Application, ApplicationStatus
from common.translated import i18n_columns

register = template.Library()


@register.inclusion_tag("calls/_awards.html")
def call_awards(technology):
    """The calls whose published results name `technology` a winner or a finalist (one query)."""
    awards = (
        Application.objects.filter(
            technology=technology,
            status__in=[ApplicationStatus.WINNER, ApplicationStatus.FINALIST],
            call__results_published_at__isnull=False,
            call__is_published=True,
        )
        .select_related("call")
        # What the badges show: a whole call and application were 120 columns to build a
        # query for, on every listing's page (make bench).
        .only("status", "call__slug", "call__title", *(f"call__{column}" for column in i18n_columns("title")))
        .order_by("-call__results_published_at")
    )
    return {"awards": list(awards)}
