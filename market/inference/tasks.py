"""Hosted inference's background work (queue ``interactive``): thin wrappers."""

from typing import Any

from celery import shared_task
from django.conf import settings

from market.inference import files, runner
from market.inference.protocol import PREDICT_TASK, PredictJob


@shared_task(
    name=PREDICT_TASK,
    track_started=True,  # the web tells a job still queued from one running
    soft_time_limit=settings.BMW_CHECK_TIME_LIMIT_S - 30,  # may build an environment
    time_limit=settings.BMW_CHECK_TIME_LIMIT_S,
)
def learnware_predict(job: dict[str, Any]) -> dict[str, Any]:
    """Run a prediction job in the sandbox of the checks."""
    return runner.run(PredictJob.from_dict(job)).to_dict()


@shared_task(
    name="market.inference_inputs_purge_stale", soft_time_limit=120, time_limit=180
)
def inference_inputs_purge_stale() -> int:
    return files.inference_inputs_purge_stale()
