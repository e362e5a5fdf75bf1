"""{% technology_json_ld technology %}: the listing as schema.org JSON-LD, for its page."""

from django import template

from common.structured_data import json_ld
from technologies.structured_data import technology_product

register = template.Library()


@register.simple_tag(takes_context=True)
def technology_json_ld(context, technology):
    # The texts the page shows (its `reading`: a translation, or the original on request).
    reading = context.get("reading")
    return json_ld(technology_product(technology, texts=reading.texts if reading else None))
