"""One status partial for every background job, and one way to poll it.

A job kind describes its status as data (`JobStatusView`: the texts, the progress, the error, the links
shown when it is done); `templates/includes/job_status.html` draws it. While the job is queued or
running the partial asks for itself again (htmx `every …`); the answer for a finished job carries no
trigger, so the polling stops. A view fetches the job through the policy, then returns
`job_status_response`.
"""

from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.core.jobs import Job

TEMPLATE = "includes/job_status.html"


@dataclass(frozen=True)
class JobLink:
    url: str
    label: str
    style: str = "btn-outline-primary"
    download: bool = False


@dataclass(frozen=True)
class JobStatusView:
    """What the status partial shows. `status` is the job's ("" when there is no job yet)."""

    element_id: str
    status: str
    poll_url: str | None  # None once the job is finished: the partial stops polling
    poll_every: str = "2s"
    waiting: str = ""  # while queued
    running: str = ""  # while running
    retry_note: str = ""  # while queued again after a failed try
    progress_label: str = ""  # the bar's accessible name; "" shows no bar
    percent: int | None = None  # None: a bar that only says "busy"
    progress_text: str = ""
    note: str = ""  # under the bar
    done: str = ""
    done_level: str = "success"
    failed: str = ""
    error: str = ""
    links: list[JobLink] = field(default_factory=list)
    # A template of the kind's own, shown after the done or failed message, or when there is no job.
    more: str = ""


def job_poll_url(job: Job | None, url: str) -> str | None:
    """The url to poll while the job is unfinished, None once it is."""
    return url if job is not None and not job.is_finished else None


def job_status_response(request: HttpRequest, *, status: JobStatusView, context: dict | None = None) -> HttpResponse:
    """The polling view's answer: the partial for a job the view fetched through the policy."""
    return render(request, TEMPLATE, {"job_status": status, **(context or {})})
