"""The alert run on the job queue (core/queue.py): workers on any number of hosts share a day.

    alerts:daily        periodic (ALERTS_SCHEDULE, a UTC cron, or off): queues one alerts:run job per shard
                        (ALERTS_SHARDS) for yesterday
    alerts:run          one shard's run: records its alerts, then queues their deliveries
    alerts:deliver      one alert's notification and e-mail; a refused e-mail is retried with backoff

Every job is safe to run twice (the unique keys and the e-mail's lock, service.py), and a queueing
lock keeps a second copy of a job out of the queue while the first still waits.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import procrastinate
from flask import current_app

from ..core.queue import defer_many, job_queue
from . import matching, service

QUEUE = "alerts"
DAILY, RUN, DELIVER = "alerts:daily", "alerts:run", "alerts:deliver"
# Waits of 4 s, 16 s, 64 s … 18 h: eight attempts over about a day, well inside the week an alert
# e-mail stays worth sending (service.EMAIL_DAYS).
DELIVERY_RETRY = procrastinate.RetryStrategy(max_attempts=8, exponential_wait=4)
RUN_RETRY = procrastinate.RetryStrategy(max_attempts=5, exponential_wait=6)


def register(queue: procrastinate.App, config: dict) -> None:
    queue.task(name=DELIVER, queue=QUEUE, retry=DELIVERY_RETRY)(deliver)
    queue.task(name=RUN, queue=QUEUE, retry=RUN_RETRY)(run)
    daily_task = queue.task(name=DAILY, queue=QUEUE)(daily)
    if config["ALERTS_SCHEDULE"] != "off":  # "off": a CronJob per shard runs the day (docs/operations.md)
        queue.periodic(cron=config["ALERTS_SCHEDULE"], periodic_id="daily")(daily_task)


def deliver(alert_id: str, email: bool) -> None:
    service.deliver_alert(alert_id, email)


def run(day: str, shard: str) -> None:
    service.run(date.fromisoformat(day), matching.parse_shard(shard), deliver=enqueue_deliveries)


def daily(timestamp: int) -> None:
    """The periodic tick: yesterday's run (the last whole UTC day, as `alerts run` defaults to), split
    into ALERTS_SHARDS jobs so that every worker can take a part."""
    day = datetime.fromtimestamp(timestamp, UTC).date() - timedelta(days=1)
    enqueue_run(day, current_app.config["ALERTS_SHARDS"])


def enqueue_run(day: date, shards: int) -> int:
    queue = job_queue()
    return defer_many(queue, [
        queue.configure_task(RUN, queueing_lock=f"alerts-run:{day}:{shard}",
                             task_kwargs={"day": day.isoformat(), "shard": shard}).job
        for shard in (matching.shard_text((i, shards)) for i in range(shards))])


def enqueue_deliveries(day: date, shard: tuple[int, int]) -> dict[str, service.Delivery]:
    """Phase 2 on the queue: a deliver job per alert of the shard still undelivered on some channel
    (its own or an earlier run's), in batches of one statement each."""
    queue = job_queue()
    queued = 0
    for batch in service.undelivered(day, shard):
        queued += defer_many(queue, [
            queue.configure_task(DELIVER, queueing_lock=f"alert:{alert_id}",
                                 task_kwargs={"alert_id": alert_id, "email": email}).job
            for alert_id, email in batch])
    return {"queued": service.Delivery(queued, 0)}
