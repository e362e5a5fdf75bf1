"""{% event_json_ld event %}: the event as schema.org JSON-LD, for its page."""

from django import template

from common.structured_data import json_ld
from events.structured_data import event_schema

register = template.Library()


@register.simple_tag(takes_context=True)
def event_json_ld(context, event):
    # The texts the page shows (its `reading`: a translation, or the original on request).
    reading = context.get("reading")
    return json_ld(event_schema(event, texts=reading.texts if reading else None))
