"""What the listing workflow tells the apps above it (docs/ARCHITECTURE.md: technologies
may not import them).

`technology_moved` is sent by every transition of the workflow (technologies.services.
_transition), inside its transaction, after the listing has moved and its history row is
written: the advisory group's rules (the NAG-evaluated mark needs enough reviews; a
decision closes the review round) hold at every door that moves a listing, the site's
pages, the admin's actions, tasks and imports alike. A receiver that raises refuses the
move: the transaction rolls back, nothing is saved and no email is queued.
"""

from django.dispatch import Signal

# Keyword arguments: technology, from_status, to_status, by, changes (the fields the
# transition set besides the status, e.g. nag_evaluated).
technology_moved = Signal()
