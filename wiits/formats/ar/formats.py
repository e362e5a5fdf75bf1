"""Arabic date formats Django lacks (it has no DATETIME_FORMAT for Arabic and would use
the English "N j, Y, P"). The rest comes from Django's own Arabic formats."""

from django.conf.locale.ar.formats import *  # noqa: F403 (Django's formats, then what it lacks)

DATETIME_FORMAT = "j F، Y، g:i A"
SHORT_DATETIME_FORMAT = "d‏/m‏/Y g:i A"
