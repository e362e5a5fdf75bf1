"""Who may read what the project's top serves to operators (/healthz's details, /metrics)."""

from ipaddress import ip_address, ip_network

from allauth.account.adapter import get_adapter as get_account_adapter
from django.conf import settings
from django.core.exceptions import PermissionDenied


def is_monitoring_address(request) -> bool:
    """The client is one of WIITS_MONITORING_ADDRESSES, as seen through the trusted proxies
    (ALLAUTH_TRUSTED_PROXY_COUNT); a missing or forged address is not."""
    networks = [ip_network(entry, strict=False) for entry in settings.WIITS_MONITORING_ADDRESSES]
    if not networks:
        return False
    try:
        client = ip_address(get_account_adapter().get_client_ip(request))
    except (PermissionDenied, ValueError):
        return False
    return any(client in network for network in networks)
