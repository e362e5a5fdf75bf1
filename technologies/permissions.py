"""Who may do what with a technology. Pure predicates: views and templates use these."""

from .models import EDITABLE_STATUSES, Inquiry, Technology, TechnologyStatus


def is_owner(user, technology: Technology) -> bool:
    return user.is_authenticated and technology.owner_id == user.pk


def is_staff(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


def can_moderate_technologies(user) -> bool:
    """Staff who may move submissions through the workflow (the model's change permission)."""
    return is_staff(user) and user.has_perm("technologies.change_technology")


def can_view_technology(user, technology: Technology) -> bool:
    """Published listings are public; the rest only for their owner and staff."""
    return technology.status == TechnologyStatus.PUBLISHED or is_owner(user, technology) or is_staff(user)


def can_edit_technology(user, technology: Technology) -> bool:
    return is_owner(user, technology) and technology.status in EDITABLE_STATUSES


def can_submit_technology(user, technology: Technology) -> bool:
    return can_edit_technology(user, technology)


def can_withdraw_technology(user, technology: Technology) -> bool:
    return is_owner(user, technology) and technology.status == TechnologyStatus.PUBLISHED


def can_renew_technology(user, technology: Technology) -> bool:
    return is_owner(user, technology) and technology.status == TechnologyStatus.PUBLISHED


def can_inquire_about(user, technology: Technology) -> bool:
    return user.is_authenticated and technology.status == TechnologyStatus.PUBLISHED and not is_owner(user, technology)


def can_see_history(user, technology: Technology) -> bool:
    return is_owner(user, technology) or is_staff(user)


# --- Outcomes of inquiries ---------------------------------------------------------------


def can_record_outcome(user, inquiry: Inquiry) -> bool:
    """The recipient: the technology's owner, or the need's owner for an answer to a need."""
    return user.is_authenticated and inquiry.recipient_id == user.pk


def can_set_partner_consent(user, inquiry: Inquiry) -> bool:
    """The sender says whether an agreement the recipient recorded may be featured."""
    return user.is_authenticated and inquiry.sender_id == user.pk and inquiry.outcome == "agreement"


def can_confirm_agreement(user) -> bool:
    return is_staff(user) and user.has_perm("technologies.change_inquiry")


# --- Translations --------------------------------------------------------------------------


def can_translate_technology(user, technology: Technology) -> bool:
    """The owner translates their listing while they may edit it (a draft, or returned for
    changes), so translations are reviewed with the listing; afterwards staff do, in the admin."""
    return can_edit_technology(user, technology)
