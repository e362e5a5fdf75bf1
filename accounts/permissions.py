"""Pure predicates about members: who may do what. Views and templates use these."""


def can_use_admin(user) -> bool:
    """Staff (ITPO) use the Django admin."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)
