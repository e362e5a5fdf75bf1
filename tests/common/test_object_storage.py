"""Uploads on S3-compatible object storage (S3_BUCKET; README "Object storage"), against a
real S3 server process: moto's, which `.ci/run` starts and names in WIITS_TEST_S3_ENDPOINT
(`moto_server -H 127.0.0.1 -p PORT`). Without it these tests skip, saying so (CI fails them).

Each test gets a bucket of its own, set up as the README tells an operator to: objects under
media/ readable by anyone through the bucket's policy, nothing else. What moto cannot show:
it does not check the signature or the expiry of a signed link (any query string passes),
so the tests check what the portal controls: the link carries a signature, the configured
lifetime and the right response headers, an anonymous request without it is refused, and
no page ever names a private object's address.
"""

import io
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from accounts.services import member_delete
from common.object_storage import bucket_url, object_storages
from events.models import Event
from technologies.models import Technology, TechnologyImage
from technologies.services import technology_image_delete, technology_update
from tests.factories import AdviserFactory, EventFactory, TechnologyFactory
from tests.technologies.test_views import form_data

pytestmark = pytest.mark.django_db

ENDPOINT = os.environ.get("WIITS_TEST_S3_ENDPOINT", "").rstrip("/")
REGION = "us-east-1"


# --- The bucket and the storages ------------------------------------------------------------


@pytest.fixture
def s3(monkeypatch):
    """A boto3 client of the test S3 server (moto accepts any keys)."""
    if not ENDPOINT:
        pytest.skip("needs an S3-compatible server: WIITS_TEST_S3_ENDPOINT=http://127.0.0.1:PORT (moto_server)")
    import boto3

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "wiits-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wiits-test-secret")
    return boto3.client("s3", endpoint_url=ENDPOINT, region_name=REGION)


def public_read_policy(bucket: str) -> str:
    """The bucket policy of the README: anyone may read media/, and nothing else."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "PublicMedia",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{bucket}/media/*",
                }
            ],
        }
    )


@pytest.fixture
def bucket(s3):
    name = f"wiits-test-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    s3.put_bucket_policy(Bucket=name, Policy=public_read_policy(name))
    return name


def use_object_storage(settings, monkeypatch, bucket: str, **options) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        **object_storages(bucket=bucket, endpoint_url=ENDPOINT, region=REGION, **options),
    }
    settings.S3_SIGNED_URL_SECONDS = options.get("signed_url_seconds", 300)
    # The fields took their storage when the models were built: point them at the bucket's.
    monkeypatch.setattr(Technology._meta.get_field("brochure"), "storage", storages["private"])
    monkeypatch.setattr(TechnologyImage._meta.get_field("image"), "storage", storages["private"])


@pytest.fixture
def stores(settings, monkeypatch, bucket, tmp_path):
    """STORAGES on the test's bucket, as S3_BUCKET makes them; the local folders are empty
    ones of this test, to show nothing lands there."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    use_object_storage(settings, monkeypatch, bucket)
    return bucket


def keys(s3, bucket: str) -> list[str]:
    return sorted(entry["Key"] for entry in s3.list_objects_v2(Bucket=bucket).get("Contents", []))


def stored(s3, bucket: str, key: str) -> bool:
    return key in keys(s3, bucket)


def fetch(url: str) -> tuple[int, bytes, dict]:
    """GET `url` as a browser with no credentials would: (status, body, headers)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (the test server's URLs)
            return response.status, response.read(), {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as error:
        return error.code, error.read(), {k.lower(): v for k, v in error.headers.items()}


def png_upload(name: str = "photo.png", size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 20)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def jpeg_file() -> ContentFile:
    """A stored listing image is a JPEG (technologies/uploads.py re-encodes every upload)."""
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 200)).save(buffer, format="JPEG")
    return ContentFile(buffer.getvalue(), name="image.jpg")


def pdf_upload(text: str = "brochure") -> SimpleUploadedFile:
    return SimpleUploadedFile("brochure.pdf", f"%PDF-1.4 {text}".encode(), content_type="application/pdf")


def with_files(technology: Technology) -> tuple[TechnologyImage, str, str]:
    """Give `technology` a brochure and an image; return the image and both objects' keys."""
    technology.brochure = pdf_upload()
    technology.save()
    image = TechnologyImage.objects.create(technology=technology, image=jpeg_file())
    return image, f"private/{technology.brochure.name}", f"private/{image.image.name}"


def signed_link(response) -> tuple[str, dict]:
    """The redirect's target, and its query string as a dict of single values."""
    assert response.status_code == 302, response.status_code
    location = response["Location"]
    return location, {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}


# --- Uploads land in the bucket ---------------------------------------------------------------


def test_an_image_and_a_brochure_uploaded_through_the_form_land_in_the_bucket_not_on_disk(
    stores, s3, client, innovator, settings
):
    client.force_login(innovator)
    response = client.post(
        reverse("technologies:create"), {**form_data(), "new_images": [png_upload()], "brochure": pdf_upload()}
    )
    technology = Technology.objects.get(title="Cassava peel biogas digester")
    assert response.status_code == 302 and response["Location"] == technology.get_absolute_url()
    (image,) = technology.images.all()
    assert re.fullmatch(r"technologies/images/[0-9a-f]{32}\.jpg", image.image.name)
    assert keys(s3, stores) == sorted([f"private/{image.image.name}", f"private/{technology.brochure.name}"])
    head = s3.head_object(Bucket=stores, Key=f"private/{image.image.name}")
    assert head["ContentType"] == "image/jpeg" and head["CacheControl"] == "private, no-store"
    body = s3.get_object(Bucket=stores, Key=f"private/{image.image.name}")["Body"].read()
    assert Image.open(io.BytesIO(body)).format == "JPEG" and (image.width, image.height) == (40, 30)
    assert s3.get_object(Bucket=stores, Key=f"private/{technology.brochure.name}")["Body"].read() == (
        b"%PDF-1.4 brochure"
    )
    for folder in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        assert not os.path.exists(folder) or not any(files for _root, _dirs, files in os.walk(folder))


def test_two_uploads_with_one_name_do_not_replace_each_other(stores, s3):
    first = EventFactory(cover_image=png_upload("cover.png"))
    second = EventFactory(cover_image=png_upload("cover.png", size=(10, 10)))
    assert first.cover_image.name != second.cover_image.name
    assert keys(s3, stores) == sorted(f"media/{event.cover_image.name}" for event in (first, second))


# --- Public files: a plain address on the bucket or the CDN ---------------------------------


def test_a_public_image_has_a_plain_address_on_the_bucket_that_anyone_may_read(stores, s3, client):
    event = EventFactory(cover_image=png_upload("cover.png"))
    url = event.cover_image.url
    assert url == f"{ENDPOINT}/{stores}/media/{event.cover_image.name}"  # unsigned: cacheable by anyone
    status, body, headers = fetch(url)
    assert status == 200 and body == s3.get_object(Bucket=stores, Key=f"media/{event.cover_image.name}")["Body"].read()
    assert headers["cache-control"] == "public, max-age=3600"
    page = client.get(event.get_absolute_url()).content.decode()
    assert json.dumps(url)[1:-1] in page.replace("\\/", "/")  # the event's structured data names it


def test_with_a_cdn_public_files_are_addressed_on_the_cdn(settings, monkeypatch, bucket):
    use_object_storage(settings, monkeypatch, bucket, public_url="https://media.wiits.example.org/portal/")
    event = EventFactory(cover_image=png_upload("cover.png"))
    assert event.cover_image.url == f"https://media.wiits.example.org/portal/media/{event.cover_image.name}"


def test_an_advisers_photo_is_served_from_the_bucket(stores, s3, client):
    adviser = AdviserFactory(photo=png_upload("me.png"))
    assert stored(s3, stores, f"media/{adviser.photo.name}")
    response = client.get(reverse("advisors:photo", args=[adviser.slug]))
    assert response.status_code == 200
    assert (
        b"".join(response.streaming_content)
        == s3.get_object(Bucket=stores, Key=f"media/{adviser.photo.name}")["Body"].read()
    )


# --- Private files: only after the portal's permission check ---------------------------------


def test_a_private_object_is_refused_to_anyone_without_a_signed_link(stores, s3, draft, published):
    _image, brochure_key, image_key = with_files(draft)
    _public_image, published_brochure_key, published_image_key = with_files(published)
    for key in (brochure_key, image_key, published_brochure_key, published_image_key):
        status, body, _headers = fetch(f"{ENDPOINT}/{stores}/{key}")
        assert status == 403, key
        assert b"%PDF" not in body and b"JFIF" not in body
    # The same bucket serves media/ to anyone: the refusal is the policy's, not the server's.
    s3.put_object(Bucket=stores, Key="media/probe.txt", Body=b"public")
    assert fetch(f"{ENDPOINT}/{stores}/media/probe.txt")[:2] == (200, b"public")


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_a_drafts_image_and_brochure_are_404_for_anonymous_and_outsiders(stores, client, draft, other_member, who):
    image, _brochure_key, _image_key = with_files(draft)
    if who == "outsider":
        client.force_login(other_member)
    for url in (image.get_absolute_url(), reverse("technologies:brochure", args=[draft.slug])):
        response = client.get(url)
        assert response.status_code == 404
        assert "Location" not in response and stores not in response.content.decode()


@pytest.mark.parametrize("who", ["owner", "staff"])
def test_the_owner_and_staff_get_a_drafts_image_by_a_short_lived_signed_link(
    stores, s3, client, draft, staff, settings, who
):
    settings.WIITS_STAFF_REQUIRE_MFA = False  # the two-factor rule: tests/test_url_access.py
    image, _brochure_key, image_key = with_files(draft)
    client.force_login(draft.owner if who == "owner" else staff)
    response = client.get(image.get_absolute_url())
    location, query = signed_link(response)
    assert response["Cache-Control"] == "private, no-store"
    assert location.startswith(f"{ENDPOINT}/{stores}/{image_key}?")
    assert query["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256" and len(query["X-Amz-Signature"]) == 64
    assert query["X-Amz-Expires"] == "300"
    signed_at = datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert abs(datetime.now(UTC) - signed_at) < timedelta(seconds=30)
    status, body, headers = fetch(location)
    assert status == 200
    assert body == s3.get_object(Bucket=stores, Key=image_key)["Body"].read()
    assert Image.open(io.BytesIO(body)).format == "JPEG"
    assert headers["content-type"] == "image/jpeg" and headers["cache-control"] == "private, no-store"


@pytest.mark.parametrize("who", ["owner", "staff"])
def test_the_owner_and_staff_download_a_drafts_brochure_by_a_signed_link(
    stores, s3, client, draft, staff, settings, who
):
    settings.WIITS_STAFF_REQUIRE_MFA = False
    _image, brochure_key, _image_key = with_files(draft)
    client.force_login(draft.owner if who == "owner" else staff)
    response = client.get(reverse("technologies:brochure", args=[draft.slug]))
    location, query = signed_link(response)
    assert location.startswith(f"{ENDPOINT}/{stores}/{brochure_key}?") and query["X-Amz-Expires"] == "300"
    status, body, headers = fetch(location)
    assert (status, body) == (200, b"%PDF-1.4 brochure")
    assert headers["content-type"] == "application/pdf"
    assert headers["content-disposition"] == 'attachment; filename="biogas-from-cassava-peels.pdf"'
    assert headers["cache-control"] == "private, no-store"


def test_a_published_listings_files_go_to_anyone_briefly_cacheable(stores, s3, client, published):
    image, brochure_key, image_key = with_files(published)
    response = client.get(image.get_absolute_url())
    location, _query = signed_link(response)
    # The redirect may be reused only while the link it names still works (300 s).
    assert response["Cache-Control"] == "public, max-age=150"
    status, body, headers = fetch(location)
    assert (status, headers["cache-control"]) == (200, "public, max-age=150")
    assert body == s3.get_object(Bucket=stores, Key=image_key)["Body"].read()
    location, _query = signed_link(client.get(reverse("technologies:brochure", args=[published.slug])))
    assert fetch(location)[:2] == (200, b"%PDF-1.4 brochure") and brochure_key in location


def test_the_links_life_follows_the_setting(settings, monkeypatch, bucket, client, published):
    use_object_storage(settings, monkeypatch, bucket, signed_url_seconds=60)
    image, _brochure_key, _image_key = with_files(published)
    response = client.get(image.get_absolute_url())
    _location, query = signed_link(response)
    assert query["X-Amz-Expires"] == "60" and response["Cache-Control"] == "public, max-age=30"


def test_a_withdrawn_listings_image_is_no_longer_signed_for_anyone_but_its_owner(
    stores, client, published, other_member
):
    image, _brochure_key, _image_key = with_files(published)
    assert client.get(image.get_absolute_url()).status_code == 302
    Technology.objects.filter(pk=published.pk).update(status="withdrawn")
    assert client.get(image.get_absolute_url()).status_code == 404
    client.force_login(other_member)
    assert client.get(image.get_absolute_url()).status_code == 404


def test_no_page_names_a_private_objects_address(stores, client, draft, published, innovator):
    with_files(draft)
    with_files(published)
    pages = [reverse("technologies:catalogue"), published.get_absolute_url(), reverse("home")]
    for url in pages:
        assert "/private/" not in client.get(url).content.decode()
    client.force_login(innovator)
    for url in [
        *pages,
        draft.get_absolute_url(),
        reverse("technologies:edit", args=[draft.slug]),
        reverse("dashboard"),
    ]:
        page = client.get(url).content.decode()
        assert stores not in page and "X-Amz-" not in page, url
    # The listing's own page shows its images by the portal's addresses, checked per request.
    page = client.get(draft.get_absolute_url()).content.decode()
    assert draft.images.get().get_absolute_url() in page


# --- Files follow their rows on object storage ----------------------------------------------


def test_deleting_an_image_deletes_its_object_after_commit(stores, s3, draft, django_capture_on_commit_callbacks):
    image, brochure_key, image_key = with_files(draft)
    with django_capture_on_commit_callbacks(execute=True):
        technology_image_delete(image=image, by=draft.owner)
        assert stored(s3, stores, image_key)  # not before the commit
    assert keys(s3, stores) == [brochure_key]


def test_replacing_a_brochure_deletes_the_old_object_after_commit(
    stores, s3, draft, django_capture_on_commit_callbacks
):
    _image, _brochure_key, image_key = with_files(draft)
    with django_capture_on_commit_callbacks(execute=True):
        updated = technology_update(
            technology=draft, by=draft.owner, fields={"title": draft.title}, brochure=pdf_upload("new")
        )
    new_key = f"private/{updated.brochure.name}"
    assert keys(s3, stores) == sorted([image_key, new_key])
    assert s3.get_object(Bucket=stores, Key=new_key)["Body"].read() == b"%PDF-1.4 new"


def test_deleting_an_account_deletes_its_listings_objects(
    stores, s3, draft, published, other_member, django_capture_on_commit_callbacks
):
    with_files(draft)
    with_files(published)
    other = TechnologyFactory(owner=other_member)
    _other_image, *others_keys = with_files(other)
    with django_capture_on_commit_callbacks(execute=True):
        member_delete(user=draft.owner)
    assert keys(s3, stores) == sorted(others_keys)


def run_orphans(*args) -> str:
    out = io.StringIO()
    call_command("clean_orphan_files", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_the_orphan_command_lists_and_removes_objects_no_row_names(stores, s3, draft):
    image, brochure_key, image_key = with_files(draft)
    event = EventFactory(cover_image=png_upload("cover.png"))
    private_orphan = storages["private"].save("technologies/images/orphan.jpg", ContentFile(b"x" * 2048))
    public_orphan = storages["default"].save("events/left-behind.png", ContentFile(b"y" * 10))

    output = run_orphans()
    assert "[private] 3 file(s), 2 named by rows" in output and "[default] 2 file(s), 1 named by rows" in output
    assert "Dry run: 0 orphan file(s)" in output and "2 younger than 60 minute(s) left alone" in output

    output = run_orphans("--min-age", "0")
    assert f"would remove {private_orphan} (2.0 KB)" in output and f"would remove {public_orphan} (10 bytes)" in output
    assert (
        image.image.name not in output and draft.brochure.name not in output and event.cover_image.name not in output
    )
    assert stored(s3, stores, f"private/{private_orphan}")

    output = run_orphans("--delete", "--min-age", "0")
    assert "Removed 2 orphan file(s), 2.0 KB (2,058 bytes)" in output
    assert keys(s3, stores) == sorted([brochure_key, image_key, f"media/{event.cover_image.name}"])


# --- Settings from the environment ---------------------------------------------------------


PROVIDERS = {
    "AWS S3": {
        "region": "eu-west-1",
        "endpoint_url": "https://s3.eu-west-1.amazonaws.com",
        "addressing_style": "virtual",
    },
    "AWS S3, defaults": {"region": "eu-west-1"},
    "MinIO": {
        "endpoint_url": "https://minio.internal.example:9000",
        "region": "us-east-1",
        "addressing_style": "path",
    },
    "Alibaba OSS": {
        "endpoint_url": "https://s3.oss-cn-shanghai.aliyuncs.com",
        "region": "cn-shanghai",
        "addressing_style": "virtual",
        "signature_version": "s3",
    },
    "Tencent COS": {
        "endpoint_url": "https://cos.ap-shanghai.myqcloud.com",
        "region": "ap-shanghai",
        "addressing_style": "virtual",
    },
}


def settings_from(environment: dict) -> dict:
    """What wiits/settings.py makes of `environment`, read in a fresh interpreter."""
    code = (
        "import json, wiits.settings as s; "
        "print(json.dumps({'storages': {k: [v['BACKEND']] for k, v in s.STORAGES.items()}, "
        "'options': {k: {o: str(x) for o, x in v.get('OPTIONS', {}).items()} for k, v in s.STORAGES.items()}, "
        "'media_url': s.MEDIA_URL, 'origins': s.MEDIA_ORIGINS, "
        "'img_src': [str(x) for x in s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']]}))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith(("S3_", "AWS_", "DJANGO_", "DATABASE_URL"))}
    # Set, even empty, so that a developer's .env (read for what the environment lacks) has no say.
    unset = dict.fromkeys(["S3_BUCKET", "S3_PRIVATE_BUCKET", "S3_ENDPOINT_URL", "S3_REGION", "S3_PUBLIC_URL"], "")
    result = subprocess.run(  # noqa: S603 (this interpreter, fixed code)
        [sys.executable, "-c", code],
        env={**base, **unset, "DJANGO_DEBUG": "true", **environment},
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("provider", PROVIDERS)
def test_the_links_the_storages_make_are_on_the_origins_the_site_names(provider, monkeypatch):
    """MEDIA_ORIGINS (for the CSP's img-src) is where the links of both storages point, for
    the configurations the README gives for each provider; no network is needed to sign."""
    from django.core.files.storage.handler import StorageHandler

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "wiits-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wiits-test-secret")
    options = PROVIDERS[provider]
    handler = StorageHandler(object_storages(bucket="wiits-media", **options))
    bucket_options = {k: v for k, v in options.items() if k != "signature_version"}
    root = bucket_url("wiits-media", **bucket_options)
    public_link = handler["default"].url("events/cover.jpg")
    private_link = handler["private"].url("technologies/images/a.jpg", expire=300)
    assert public_link == f"{root}media/events/cover.jpg"
    assert private_link.startswith(f"{root}private/technologies/images/a.jpg?")
    assert ("Signature=" in private_link) or ("X-Amz-Signature=" in private_link)
    if options.get("addressing_style") == "virtual":
        assert urlsplit(root).netloc.startswith("wiits-media.")


def test_without_a_bucket_uploads_stay_on_this_disk():
    result = settings_from({})
    assert result["storages"]["default"][0] == "django.core.files.storage.FileSystemStorage"
    assert result["storages"]["private"][0] == "django.core.files.storage.FileSystemStorage"
    assert result["options"]["private"]["base_url"] == "None"  # no address: only the views serve them
    assert result["media_url"] == "media/" and result["origins"] == []


def test_a_bucket_in_the_environment_puts_uploads_on_object_storage():
    result = settings_from(
        {
            "S3_BUCKET": "wiits-media",
            "S3_PRIVATE_BUCKET": "wiits-private",
            "S3_ENDPOINT_URL": "https://cos.ap-shanghai.myqcloud.com",
            "S3_REGION": "ap-shanghai",
            "S3_ADDRESSING_STYLE": "virtual",
            "S3_PUBLIC_URL": "https://media.wiits.example.org",
            "S3_SIGNED_URL_SECONDS": "120",
        }
    )
    default, private = result["options"]["default"], result["options"]["private"]
    assert result["storages"]["default"][0] == result["storages"]["private"][0] == "storages.backends.s3.S3Storage"
    assert (default["bucket_name"], default["location"], default["querystring_auth"]) == (
        "wiits-media",
        "media",
        "False",
    )
    assert (default["custom_domain"], default["url_protocol"]) == ("media.wiits.example.org", "https:")
    assert (private["bucket_name"], private["location"], private["querystring_auth"]) == (
        "wiits-private",
        "private",
        "True",
    )
    assert private["querystring_expire"] == "120" and private["custom_domain"] == "None"
    assert default["file_overwrite"] == private["file_overwrite"] == "False"
    assert default["default_acl"] == private["default_acl"] == "None"
    assert result["media_url"] == "https://media.wiits.example.org/media/"
    assert result["origins"] == [
        "https://media.wiits.example.org",
        "https://wiits-private.cos.ap-shanghai.myqcloud.com",
    ]


def test_the_content_security_policy_lets_browsers_load_images_from_the_bucket():
    """Browsers follow the image redirect to the bucket, and load public images from it or the
    CDN: the CSP's img-src must name those origins, or every listing's image is blocked."""
    result = settings_from({"S3_BUCKET": "wiits-media", "S3_ENDPOINT_URL": "https://minio.example.org"})
    assert result["origins"] == ["https://minio.example.org"]
    assert set(result["origins"]) <= set(result["img_src"])
    assert "https://minio.example.org" not in settings_from({})["img_src"]


def test_deleting_an_event_in_the_admin_deletes_its_cover_from_the_bucket(
    stores, s3, staff_client, django_capture_on_commit_callbacks
):
    event = EventFactory(cover_image=png_upload("cover.png"))
    key = f"media/{event.cover_image.name}"
    assert stored(s3, stores, key)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("admin:events_event_delete", args=[event.pk]), {"post": "yes"})
    assert response.status_code == 302 and not Event.objects.filter(pk=event.pk).exists()
    assert not stored(s3, stores, key)
