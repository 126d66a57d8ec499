"""Gunicorn settings for `make run`, production and the benchmarks alike."""
import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Load the app once in the master: the embedded PostgreSQL (development) then
# belongs to the master and stops when it exits, and workers fork quickly.
preload_app = True
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycle a worker now and then (a safety net against leaks), but not often: each new worker
# starts with cold per-process caches (compiled templates and search SQL, rendered cards, users,
# counts), and at 5,000 requests a busy worker restarted every half minute.
max_requests = 20000
max_requests_jitter = 2000
accesslog = os.environ.get("GUNICORN_ACCESS_LOG")  # off unless asked: it costs req/s
errorlog = "-"


def post_fork(server, worker):
    # Connections must not be shared across processes: drop the master's pools.
    from webapp.core.extensions import db

    app = worker.app.callable  # None unless preload_app loaded it in the master
    if app is None or "sqlalchemy" not in getattr(app, "extensions", {}):
        return  # nothing loaded yet, or an app without a database (the benchmarks' hello world)
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
