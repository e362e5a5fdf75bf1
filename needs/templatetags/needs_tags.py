"""The needs' part of other apps' pages: a technology's owner sees the published needs
their listing could meet. A template tag, so that technologies (a lower layer) need not
import needs to show it."""

from django import template

from technologies import permissions as technology_permissions

from .. import matching

register = template.Library()


@register.inclusion_tag("needs/_matching_needs.html", takes_context=True)
def matching_needs(context, technology):
    """The section "Needs your technology could meet", for the owner of a published listing."""
    request = context.get("request")
    if request and technology.is_published and technology_permissions.is_owner(request.user, technology):
        return {"matching_needs": matching.needs_for_technology(technology=technology)}
    return {"matching_needs": None}
