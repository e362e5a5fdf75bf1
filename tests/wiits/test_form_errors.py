"""Forms announce their errors: each invalid field says so (aria-invalid) and points to
its message (aria-describedby), in every language."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("prefix", ["", "/ar", "/ru"])
def test_invalid_fields_point_to_their_messages(member_client, prefix):
    response = member_client.post(prefix + reverse("needs:create"), {"title": "", "trl_min": "12"})
    html = response.content.decode()
    for name in ["title", "problem", "trl_min", "valid_until"]:
        (control,) = re.findall(rf'<(?:input|select|textarea)[^>]*name="{name}"[^>]*>', html)
        assert 'aria-invalid="true"' in control
        described = re.search(r'aria-describedby="([^"]+)"', control).group(1).split()
        assert f"id_{name}_error" in described
        message = re.search(rf'<div class="invalid-feedback d-block" id="id_{name}_error">([^<]+)</div>', html)
        assert message and message.group(1).strip()
