"""The Celery application. Settings come from Django's, under the CELERY_ prefix.

The worker and beat log as the web does (wiits/logs.py: JSON lines in production, the same
LOGGING, level DJANGO_LOG_LEVEL rather than --loglevel): Celery leaves logging alone when
`setup_logging` has a receiver. django-structlog's boot step binds each task's id and the id
of the request that queued it to the task's log lines.
"""

import os

import structlog
from celery import Celery
from celery.signals import setup_logging, task_postrun
from django_structlog.celery.steps import DjangoStructLogInitStep

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wiits.settings")

app = Celery("wiits")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.steps["worker"].add(DjangoStructLogInitStep)


@setup_logging.connect
def use_django_logging(**kwargs) -> None:
    """The worker's and beat's logs: Django's LOGGING (settings.py), not Celery's format."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


@task_postrun.connect
def forget_the_task_context(task=None, **kwargs) -> None:
    """A task's ids stay on its own lines: the worker's next lines (the next task received)
    are not the finished task's. A task run in-process (no REDIS_URL) leaves the request's."""
    if task is not None and not task.request.is_eager:
        structlog.contextvars.clear_contextvars()
