"""One confirmation step before any action that cannot be undone, without JavaScript.

The rule, the same for every such action (cancelling a place at an event, withdrawing a
listing or a need, removing an image, staff's decisions, submitting a review):

- The action happens only on a POST that carries ``confirmed=1``, and only the
  confirmation page sends that field.
- A GET on the action's URL, or a POST without the field, renders the confirmation page
  instead and writes nothing. A POST without it is what the buttons and forms on the
  other pages send (the "Cancel my registration" button, the image's "Remove", a staff
  decision with its message): they stay plain forms, so they work without JavaScript,
  and the server, not the browser, makes sure that nothing irreversible happens in one
  unconfirmed click, whichever page or tool posted.
- The confirmation page says in plain words what will happen and what cannot be undone,
  repeats the posted input in hidden fields (what is confirmed is what was shown), and
  offers the Confirm button (a POST with the CSRF token) and a link back.

Input is checked before the page is shown: a form with errors goes back to its own page
with them, and an action this person may not take now is refused as its POST would be.
A view that uses the pattern starts with ``if not is_confirmed(request): return
render_confirmation(...)``. Pages of one action extend ``templates/confirm.html`` to
show more (the review's summary).
"""

from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRMED_FIELD = "confirmed"
BACK_FIELD = "back"


def is_confirmed(request: HttpRequest) -> bool:
    """Whether this request is the confirmation page's POST (the only one that acts)."""
    return request.method == "POST" and request.POST.get(CONFIRMED_FIELD) == "1"


def is_going_back(request: HttpRequest) -> bool:
    """The confirmation page's "go back and change it": a POST of the same input (without
    `confirmed`) that asks for the form again, filled in. It writes nothing either."""
    return request.method == "POST" and request.POST.get(BACK_FIELD) == "1" and not is_confirmed(request)


@dataclass
class Confirmation:
    """What the confirmation page says and sends."""

    title: str
    # What will happen, one plain sentence each.
    consequences: list[str]
    # What cannot be undone; empty when the action can be taken back.
    cannot_undo: str
    confirm_label: str
    back_url: str
    back_label: str = ""
    # The page's POST goes here; by default to the URL that showed the page.
    action_url: str = ""
    # (name, value) pairs repeated as hidden fields: the input being confirmed.
    hidden: list[tuple[str, str]] = field(default_factory=list)
    # Input that took effort (a decision's message): "back" posts it again to show the form
    # filled in (is_going_back), instead of a link to an empty form.
    back_with_input: bool = False
    # A destructive action gets the red button; a reversible one the plain one.
    destructive: bool = True
    # The thing acted on (a title, a name), shown under the heading, isolated from the
    # text around it (a Translated keeps its language).
    subject: object = ""
    # (label, text) pairs the person should read once more: a message that will be
    # emailed, the decision chosen.
    details: list[tuple[str, str]] = field(default_factory=list)


def posted_fields(form, *extra: str) -> list[tuple[str, str]]:
    """The raw values a bound form was posted with (every value of a multiple choice), and
    the `extra` names present in the POST (a button's name), to repeat as hidden fields:
    the confirmed POST is checked again by the same form."""
    names = [bound.html_name for bound in form] + list(extra)
    data = form.data
    if not hasattr(data, "getlist"):  # a plain dict (a GET's empty input)
        return [(name, data[name]) for name in names if name in data]
    return [(name, value) for name in names for value in data.getlist(name)]


def render_confirmation(
    request: HttpRequest,
    confirmation: Confirmation,
    *,
    template: str = "confirm.html",
    context: dict | None = None,
) -> HttpResponse:
    """The confirmation page: reads only, writes nothing."""
    if not confirmation.action_url:
        confirmation.action_url = request.path
    return render(request, template, {"confirmation": confirmation, **(context or {})})
