"""Who may do what with a technology need. Pure predicates: views and templates use these."""

from technologies.models import NEED_EDITABLE_STATUSES, Need, NeedStatus, Technology, TechnologyStatus
from technologies.permissions import is_owner, is_staff


def is_need_owner(user, need: Need) -> bool:
    return user.is_authenticated and need.owner_id == user.pk


def can_moderate_needs(user) -> bool:
    return is_staff(user) and user.has_perm("technologies.change_need")


def can_view_need(user, need: Need) -> bool:
    """Published needs are public; the rest only for their owner and staff."""
    return need.status == NeedStatus.PUBLISHED or is_need_owner(user, need) or is_staff(user)


def can_edit_need(user, need: Need) -> bool:
    return is_need_owner(user, need) and need.status in NEED_EDITABLE_STATUSES


def can_submit_need(user, need: Need) -> bool:
    return can_edit_need(user, need)


def can_close_need(user, need: Need) -> bool:
    """The owner marks a published need fulfilled, or withdraws it."""
    return is_need_owner(user, need) and need.status == NeedStatus.PUBLISHED


def can_publish_need(user, need: Need) -> bool:
    return can_moderate_needs(user) and need.status == NeedStatus.SUBMITTED


def can_answer_need(user, need: Need) -> bool:
    """Any member but the need's owner may propose a technology for a published need."""
    return user.is_authenticated and need.status == NeedStatus.PUBLISHED and not is_need_owner(user, need)


def can_offer_for_need(user, technology: Technology) -> bool:
    """Only one's own published technology can be proposed."""
    return is_owner(user, technology) and technology.status == TechnologyStatus.PUBLISHED


def can_see_suggestions(user, need: Need) -> bool:
    return is_need_owner(user, need) or is_staff(user)


# A need gets suggestions while its owner prepares it, while it waits for staff and once
# published; a closed need (fulfilled, withdrawn, expired) no longer looks for anything.
SUGGESTED_WHILE = {NeedStatus.DRAFT, NeedStatus.SUBMITTED, NeedStatus.RETURNED, NeedStatus.PUBLISHED}


def shows_suggestions(user, need: Need) -> bool:
    """The owner and staff see the technologies that could meet the need, before it is
    published too (then only they can see the need at all); nobody else ever does."""
    return can_see_suggestions(user, need) and need.status in SUGGESTED_WHILE


def can_translate_need(user, need: Need) -> bool:
    return can_edit_need(user, need)
