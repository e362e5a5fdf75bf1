"""Every URL of the project must say who may see it.

The walk fails when a URL pattern has no entry below, so each new feature has to declare
its own. Entries are checked against behaviour: member pages send the anonymous to
sign-in, staff pages refuse members, public pages open to everyone.
"""

from fnmatch import fnmatch

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PUBLIC, MEMBER, STAFF = "anonymous", "member", "staff"

ACCESS = {
    # wiits
    "home": PUBLIC,
    "healthz": PUBLIC,
    "metrics": PUBLIC,  # no session: 404 but to the monitoring addresses and the token (tests/wiits/test_metrics.py)
    "set_language": PUBLIC,  # POST only
    "dashboard": MEMBER,
    "data_export": MEMBER,
    "sitemap": PUBLIC,
    "sitemap_section": PUBLIC,
    "robots": PUBLIC,
    "privacy": PUBLIC,  # ?version=N: earlier versions (tests/accounts/test_legal.py)
    "terms": PUBLIC,
    "contact": PUBLIC,  # rate-limited (tests/accounts/test_contact.py)
    # technologies: published listings are public; the views 404 the rest (tests/technologies)
    "technologies:catalogue": PUBLIC,
    "technologies:feed": PUBLIC,
    "technologies:detail": PUBLIC,
    "technologies:image": PUBLIC,
    "technologies:brochure": PUBLIC,
    "technologies:create": MEMBER,
    "technologies:edit": MEMBER,  # the owner
    "technologies:translate": MEMBER,  # the owner
    "technologies:submit": MEMBER,  # the owner, POST
    "technologies:withdraw": MEMBER,  # the owner; GET: the confirmation (issue 22)
    "technologies:renew": MEMBER,  # the owner, POST
    "technologies:inquire": MEMBER,  # not the owner, POST
    "technologies:image_delete": MEMBER,  # the owner; GET: the confirmation (issue 22)
    "technologies:partner_consent": MEMBER,  # the inquiry's sender, POST
    "technologies:outcome": MEMBER,  # the inquiry's recipient (tests/needs/test_needs.py)
    # needs: published needs are public; the rest 404 but to their owner and staff
    "needs:list": PUBLIC,
    "needs:detail": PUBLIC,
    "needs:create": MEMBER,
    "needs:edit": MEMBER,  # the owner
    "needs:translate": MEMBER,  # the owner
    "needs:submit": MEMBER,  # the owner, POST
    "needs:fulfil": MEMBER,  # the owner, POST
    "needs:withdraw": MEMBER,  # the owner; GET: the confirmation (issue 22)
    "needs:answer": MEMBER,  # the owner of a published technology, POST
    "needs:publish": STAFF,  # GET: the confirmation (issue 22)
    "needs:return": STAFF,  # POST with the message; GET goes to the need's page
    # advisors: public pages; reviews for the assigned adviser (404 to anyone else);
    # assignment and decision for staff (tests/advisors)
    "advisors:group": PUBLIC,
    "advisors:charter": PUBLIC,
    "advisors:detail": PUBLIC,
    "advisors:photo": PUBLIC,
    "advisors:review_queue": MEMBER,  # an adviser
    "advisors:review": MEMBER,  # the assigned adviser
    "advisors:declare": MEMBER,  # the assigned adviser, POST
    "advisors:review_technology": MEMBER,  # the assigned adviser
    "advisors:review_image": MEMBER,  # the assigned adviser
    "advisors:review_brochure": MEMBER,  # the assigned adviser
    "advisors:assign": STAFF,
    "advisors:decide": STAFF,
    "advisors:unassign": STAFF,  # GET: the confirmation (issue 22)
    # events: published events are public (unpublished: 404 but to staff)
    "events:upcoming": PUBLIC,
    "events:past": PUBLIC,
    "events:calendar": PUBLIC,
    "events:ics": PUBLIC,
    "events:detail": PUBLIC,
    "events:register": MEMBER,  # POST
    "events:cancel": MEMBER,  # the member's own; GET: the confirmation (issue 22)
    "events:restore": MEMBER,  # the member's own cancelled place; GET: the confirmation
    "events:invitation": MEMBER,  # the invited address
    "events:answers": MEMBER,  # the participant's own (tests/events/test_registration_questions.py)
    "events:visa_letter_request": MEMBER,  # a participant of an event that offers letters
    "events:visa_letter": MEMBER,  # the participant and staff, 404 to anyone else (tests/events/test_visa_letters.py)
    "events:visa_letter_pdf": MEMBER,  # the participant and staff, once approved
    "events:certificate": MEMBER,  # the participant marked as attended (tests/events/test_certificates.py)
    # calls: published calls are public (unpublished: 404 but to staff; tests/calls)
    "calls:list": PUBLIC,
    "calls:feed": PUBLIC,
    "calls:detail": PUBLIC,
    "calls:deadline_ics": PUBLIC,
    "calls:apply": MEMBER,
    "calls:application": MEMBER,  # the applicant and staff (404 to anyone else)
    "calls:submit": MEMBER,  # the applicant, POST
    "calls:jury_score": MEMBER,  # the assigned juror (404 to anyone else; tests/calls/test_jury.py)
    "calls:ranking": STAFF,
    "calls:ranking_csv": STAFF,
    "calls:ranking_xlsx": STAFF,
    # opendata: the embeddable lists for partner sites and the page that builds their code (tests/opendata)
    "embed:builder": PUBLIC,
    "embed:technologies": PUBLIC,
    "embed:events": PUBLIC,
    # opendata: the public read-only API, its description and documentation (tests/opendata/test_api.py)
    "api:*": PUBLIC,
    # reports: staff only (tests/reports/test_reports.py checks anonymous, member and staff)
    "reports:index": STAFF,
    "reports:csv": STAFF,
    # accounts
    "accounts:profile": MEMBER,
    "accounts:delete": MEMBER,
    "accounts:consent": MEMBER,  # accepting new versions of the privacy notice and terms
    "accounts:digest_unsubscribe": PUBLIC,  # the signed token is the key (tests/technologies/test_digest.py)
    # allauth: entrance pages are public, account management needs a member
    "account_login": PUBLIC,
    "account_logout": PUBLIC,
    "account_signup": PUBLIC,
    "account_inactive": PUBLIC,
    "account_email_verification_sent": PUBLIC,
    "account_confirm_email": PUBLIC,
    "account_reset_password": PUBLIC,
    "account_reset_password_done": PUBLIC,
    "account_reset_password_from_key": PUBLIC,
    "account_reset_password_from_key_done": PUBLIC,
    "account_confirm_login_code": PUBLIC,
    "mfa_authenticate": PUBLIC,  # the second step of signing in
    "account_reauthenticate": MEMBER,
    "account_request_reauthentication_code": MEMBER,
    "account_confirm_reauthentication_code": MEMBER,
    "account_email": MEMBER,
    "account_change_password": MEMBER,
    "account_set_password": MEMBER,
    "mfa_index": MEMBER,
    "mfa_reauthenticate": MEMBER,
    "mfa_activate_totp": MEMBER,
    "mfa_deactivate_totp": MEMBER,
    "mfa_view_recovery_codes": MEMBER,
    "mfa_generate_recovery_codes": MEMBER,
    "mfa_download_recovery_codes": MEMBER,
    # the Django admin, named and unnamed patterns
    "admin:*": STAFF,
    "admin/*": STAFF,
}

# Declared pages that cannot be fetched without a key, a pending sign-in or a POST.
NOT_FETCHED_PLAINLY = {
    "set_language",
    "metrics",
    "account_confirm_email",
    "account_reset_password_from_key",
    "account_confirm_login_code",
    "account_confirm_reauthentication_code",
    "mfa_authenticate",
    "mfa_reauthenticate",
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "account_request_reauthentication_code",
    "account_logout",
    "advisors:review_queue",  # only advisers: tested in tests/advisors
}


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name:
                yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern
            else:
                yield prefix + str(pattern.pattern), pattern


def _declared(key: str) -> str | None:
    for rule, level in ACCESS.items():
        if key == rule or ("*" in rule and fnmatch(key, rule)):
            return level
    return None


def all_url_keys() -> list[str]:
    return sorted({key for key, _pattern in _walk(get_resolver().url_patterns)})


@pytest.mark.django_db
def test_every_url_declares_who_may_see_it():
    undeclared = [key for key in all_url_keys() if _declared(key) is None]
    assert undeclared == [], f"add these URLs to ACCESS in {__file__}: {undeclared}"


@pytest.mark.django_db
def test_no_declaration_is_stale():
    keys = all_url_keys()
    stale = [rule for rule in ACCESS if not any(key == rule or fnmatch(key, rule) for key in keys)]
    assert stale == []


def _plain_names(level: str) -> list[str]:
    return [
        key
        for key, pattern in _walk(get_resolver().url_patterns)
        if _declared(key) == level
        and key not in NOT_FETCHED_PLAINLY
        and not pattern.pattern.regex.groups
        and "*" not in key
        and not key.startswith("admin/")
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("name", _plain_names(MEMBER))
def test_member_pages_send_the_anonymous_to_sign_in(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", _plain_names(MEMBER))
def test_member_pages_open_to_members(member_client, name):
    response = member_client.get(reverse(name))
    if response.status_code == 302:
        # Sensitive pages first ask for the password again (allauth's reauthentication);
        # "set password" sends a member who has one to "change password".
        assert response["Location"].startswith(reverse("account_reauthenticate")) or (
            name == "account_set_password" and response["Location"] == reverse("account_change_password")
        )
    else:
        assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", _plain_names(PUBLIC))
def test_public_pages_open_to_the_anonymous(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["admin:index", "admin:accounts_user_changelist", "admin:mailer_message_changelist"])
def test_staff_pages(member, staff, settings, name):
    settings.WIITS_STAFF_REQUIRE_MFA = False  # tested on its own in tests/wiits/test_pages.py
    url = reverse(name)
    # The admin's own sign-in page hands over to allauth's.
    anonymous = Client().get(url, follow=True)
    assert anonymous.request["PATH_INFO"] == reverse("account_login")
    assert [status for _url, status in anonymous.redirect_chain] == [302, 302]
    member_client = Client()
    member_client.force_login(member)
    refused = member_client.get(url, follow=True)
    assert refused.status_code == 403
    assert "Access denied" in refused.content.decode()
    staff_client = Client()
    staff_client.force_login(staff)
    assert staff_client.get(url).status_code == 200


# --- The staff two-factor rule, walked over every URL ----------------------------------------
# One rule (common/middleware.py, StaffMFAMiddleware): a staff session without a second
# factor opens no page and no file of the site but those of MFA_EXEMPT_VIEWS, whatever they
# show. The walk needs no real objects: the rule answers before the view looks anything up.

SAMPLE_BY_CONVERTER = {"IntConverter": "1", "SlugConverter": "x", "StringConverter": "x", "PathConverter": "1"}
SAMPLE_BY_GROUP = {
    "app_label": "auth",
    "key": "k",
    "uidb36": "1",
    "url": "no-such-page/",
    "slug": "x",
    "rest": "no-such-resource/",
}


def example_path(key: str, pattern: URLPattern) -> str:
    """A path that resolves to the contract's entry `key`."""
    import re

    if pattern.name:
        converters = getattr(pattern.pattern, "converters", {})
        kwargs = {
            name: SAMPLE_BY_CONVERTER[type(converters[name]).__name__] if name in converters else SAMPLE_BY_GROUP[name]
            for name in pattern.pattern.regex.groupindex
        }
        return reverse(key, kwargs=kwargs)
    # An unnamed pattern: its key is its route (admin/auth/group/<path:object_id>/).
    path = re.sub(r"<(?:(\w+):)?(\w+)>", "1", key)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda group: SAMPLE_BY_GROUP[group[1]], path)
    return "/" + path.replace("^", "").replace("$", "")


def every_url_to_walk() -> list[tuple[str, str]]:
    from django.urls import resolve

    from common.middleware import MFA_EXEMPT_VIEWS

    urls = []
    for key, pattern in _walk(get_resolver().url_patterns):
        if key in MFA_EXEMPT_VIEWS:
            continue
        path = example_path(key, pattern)
        match = resolve(path)
        assert key in (match.view_name, match.route), f"{path} does not reach {key}"
        urls.append((key, path))
    return urls


@pytest.mark.django_db
def test_the_exempt_pages_are_in_the_contract():
    from common.middleware import MFA_EXEMPT_VIEWS

    assert MFA_EXEMPT_VIEWS - set(all_url_keys()) == set()
    assert all(_declared(name) is not None for name in MFA_EXEMPT_VIEWS)


@pytest.mark.django_db
def test_every_url_sends_staff_without_a_second_factor_to_set_one_up(staff, settings):
    settings.WIITS_STAFF_REQUIRE_MFA = True
    client = Client()
    client.force_login(staff)
    urls = every_url_to_walk()
    assert len(urls) > 150  # the whole contract, the admin's every model included
    wrong = []
    for key, path in urls:
        for method in (client.get, client.post):
            response = method(path)
            if response.status_code != 302 or response["Location"] != reverse("mfa_activate_totp"):
                wrong.append((method.__name__, key, path, response.status_code, response.get("Location")))
    assert wrong == []


@pytest.mark.django_db
def test_every_url_asks_staff_signed_in_with_a_password_alone_for_a_code(staff, settings, password):
    from tests.wiits.test_pages import activate_totp

    settings.WIITS_STAFF_REQUIRE_MFA = True
    client = Client()
    client.post(reverse("account_login"), {"login": staff.email, "password": password})
    activate_totp(staff)  # the account has a second factor; this session never used it
    wrong = []
    for key, path in every_url_to_walk():
        response = client.get(path)
        expected = reverse("mfa_reauthenticate") + "?next="
        if response.status_code != 302 or not response["Location"].startswith(expected):
            wrong.append((key, path, response.status_code, response.get("Location")))
    assert wrong == []


@pytest.mark.django_db
def test_with_a_second_factor_staff_reach_every_page(staff, settings, password):
    from tests.wiits.test_pages import activate_totp, totp_code

    settings.WIITS_STAFF_REQUIRE_MFA = True
    secret = activate_totp(staff)
    client = Client()
    assert client.post(reverse("account_login"), {"login": staff.email, "password": password})["Location"] == (
        reverse("mfa_authenticate")
    )
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    mfa_pages = (reverse("mfa_activate_totp"), reverse("mfa_reauthenticate"))
    sent_to_mfa = []
    for key, path in every_url_to_walk():
        response = client.get(path)
        if response.status_code == 302 and response["Location"].startswith(mfa_pages):
            sent_to_mfa.append((key, path, response["Location"]))
    assert sent_to_mfa == []
    # The staff pages themselves open (the others answer as their views decide: the admin's
    # add forms some models refuse, its POST-only sign-out; none asks for the factor again).
    changelists = [name for name in _plain_names(STAFF) if name.endswith("_changelist")]
    pages = ["admin:index", "reports:index", *changelists]
    assert "admin:accounts_user_changelist" in changelists
    assert {name: client.get(reverse(name)).status_code for name in pages} == dict.fromkeys(pages, 200)
