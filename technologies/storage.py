"""Files of technologies live outside MEDIA_URL: no web server serves them directly.

Views check who may see a listing before they stream its images or brochure, so the
files of a draft are never reachable by a guessed URL.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import LazyObject


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


private_storage = PrivateStorage()
