"""Uploads on S3-compatible object storage (AWS S3, MinIO, Alibaba OSS, Tencent COS): the
STORAGES that wiits/settings.py uses when S3_BUCKET is set (README: "Object storage").

Imported by the settings only with a bucket, so that the quick start never loads boto3.
"""

from urllib.parse import urlsplit


def bucket_url(bucket: str, *, endpoint_url: str = "", region: str = "", addressing_style: str = "auto") -> str:
    """The root of `bucket` as botocore writes it in the links it makes (virtual-hosted
    "https://bucket.host/" or path-style "https://host/bucket/"), made without keys."""
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config

    client = boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint_url or None,
        region_name=region or None,
        config=Config(signature_version=UNSIGNED, s3={"addressing_style": addressing_style}),
    )
    return client.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"})[: -len("k")]


def object_storages(
    *,
    bucket: str,
    private_bucket: str = "",
    endpoint_url: str = "",
    region: str = "",
    addressing_style: str = "auto",
    signature_version: str = "s3v4",
    public_url: str = "",
    signed_url_seconds: int = 300,
) -> dict:
    """STORAGES' "default" (public files, under media/) and "private" (under private/, or in
    `private_bucket`) on S3-compatible object storage. Keys come from the environment
    (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or the machine's role, as boto3 finds them."""
    from botocore.config import Config

    common = {
        "endpoint_url": endpoint_url or None,
        "region_name": region or None,
        "client_config": Config(
            signature_version=signature_version,
            s3={"addressing_style": addressing_style},
            # boto3 1.36+ adds checksums in chunked uploads that OSS, COS and older MinIO
            # refuse; send them only where S3 demands them.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
            # A bucket that does not answer must not hold a web worker for botocore's 60 s.
            connect_timeout=5,
            read_timeout=20,
            retries={"mode": "standard", "max_attempts": 3},
        ),
        # Two uploads named alike (an event's cover.jpg) get two names, as on disk.
        "file_overwrite": False,
        # No per-object ACLs (many providers disable them): the bucket's policy alone says
        # what is public, and it opens media/ only.
        "default_acl": None,
    }
    public = urlsplit(public_url)
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "bucket_name": bucket,
                "location": "media",
                "querystring_auth": False,  # plain, cacheable links: the policy or a CDN serves them
                "custom_domain": (public.netloc + public.path.rstrip("/")) if public_url else None,
                "url_protocol": f"{public.scheme or 'https'}:",
                # An hour, as the advisers' photos are served: a removed photo is gone soon.
                "object_parameters": {"CacheControl": "public, max-age=3600"},
            },
        },
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "bucket_name": private_bucket or bucket,
                "location": "private",
                "querystring_auth": True,
                "querystring_expire": signed_url_seconds,
                "custom_domain": None,
                "object_parameters": {"CacheControl": "private, no-store"},
            },
        },
    }
