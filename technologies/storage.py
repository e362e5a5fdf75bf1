"""Files of technologies live outside MEDIA_URL: no web server serves them directly.

Views check who may see a listing before they stream its images or brochure, so the
files of a draft are never reachable by a guessed URL. The storage is STORAGES["private"]
(a folder here; S3-compatible storage in a deployment that wants it), looked up by a
callable so migrations do not record this machine's path.
"""

from django.core.files.storage import storages


def private_storage():
    return storages["private"]
