"""What the members' app tells the apps above it (docs/ARCHITECTURE.md: accounts may not
import them).

`member_deleting` is sent by accounts.services.member_delete inside its transaction, just
before the account's row and everything its cascade removes are deleted: the apps above
keep their rules for what goes (events: a place the member held goes to the waiting list,
as a cancellation would). A receiver that raises refuses the deletion; nothing is saved.
"""

from django.dispatch import Signal

# Keyword arguments: user.
member_deleting = Signal()
