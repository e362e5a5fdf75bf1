"""Who may import and export spreadsheets: Django's model permissions, asked in one place
for the admin's buttons (admin.py) and each row's update (resources.py)."""

from django.contrib.auth import get_permission_codename


def may(user, action: str, model) -> bool:
    """Whether `user` holds Django's `action` ("add", "change", "view") permission on `model`."""
    opts = model._meta
    return bool(user and user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}"))
