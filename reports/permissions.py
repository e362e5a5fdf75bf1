"""Who may see the staff reports."""


def can_see_reports(user) -> bool:
    """Active staff (ITPO) see the reports; nobody else learns the figures."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)
