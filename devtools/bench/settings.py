"""The portal's own settings (from the environment, production when DJANGO_DEBUG=false),
plus what only the benchmark needs: its URLs and the query-count header."""

from wiits.settings import *  # noqa: F403
from wiits.settings import MIDDLEWARE

ROOT_URLCONF = "devtools.bench.urls"
# First, so that it counts every query of the request, the session's and the user's too.
MIDDLEWARE = ["devtools.bench.middleware.count_queries", *MIDDLEWARE]
