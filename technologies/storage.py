"""Files of technologies live outside MEDIA_URL: no web server serves them directly.

Views check who may see a listing before they serve its images or brochure, so the files
of a draft are never reachable by a guessed URL. The storage is STORAGES["private"], looked
up by a callable so migrations do not record this machine's path:
- on this disk (the quick start, PRIVATE_MEDIA_ROOT), the view streams the file;
- on object storage (S3_BUCKET, wiits/settings.py), the bucket's private prefix is never
  public (the object's plain address answers 403), and the view redirects to a link the
  bucket signed for S3_SIGNED_URL_SECONDS, naming this one object. A web worker is not held
  while a brochure travels, and the page keeps the portal's own address (`/technologies/
  <slug>/images/<pk>/`), so cached pages and fragments never hold a signed link that expires.
"""

from django.conf import settings
from django.core.files.storage import storages
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header

# How long a browser (or a proxy) may reuse what it got for a published listing's file: a
# withdrawn listing's files must soon stop being served.
PUBLISHED_MAX_AGE = 300


def private_storage():
    return storages["private"]


def signs_links(storage) -> bool:
    """Whether `storage` gives signed, expiring links to its files (S3 with query-string
    authentication) rather than no public address at all (a folder)."""
    return bool(getattr(storage, "querystring_auth", False))


def private_file_response(
    file: FieldFile, *, content_type: str, public: bool, filename: str | None = None
) -> HttpResponse:
    """Serve a private file to a visitor whom the caller has already allowed to see it.

    `public`: the file belongs to something anyone may see now (a published listing), so
    browsers and proxies may keep it briefly; otherwise only this browser gets it, unstored.
    `filename`: offer it as a download under that name.
    """
    if signs_links(file.storage):
        # The redirect may be reused only while the link it names still works.
        max_age = min(PUBLISHED_MAX_AGE, settings.S3_SIGNED_URL_SECONDS // 2)
        cache_control = f"public, max-age={max_age}" if public else "private, no-store"
        parameters = {"ResponseContentType": content_type, "ResponseCacheControl": cache_control}
        if filename:
            parameters["ResponseContentDisposition"] = content_disposition_header(True, filename)
        response = HttpResponseRedirect(
            file.storage.url(file.name, parameters=parameters, expire=settings.S3_SIGNED_URL_SECONDS)
        )
    else:
        cache_control = f"public, max-age={PUBLISHED_MAX_AGE}" if public else "private, no-store"
        response = FileResponse(
            file.open("rb"), content_type=content_type, as_attachment=bool(filename), filename=filename or ""
        )
        response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache_control
    return response
