"""Calls on other apps' pages: a technology's awards ("Winner, …") from published results."""

from django import template

from calls.models import Application, ApplicationStatus

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
        .order_by("-call__results_published_at")
    )
    return {"awards": list(awards)}
