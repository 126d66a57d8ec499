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
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG")  # off unless asked: it costs req/s
errorlog = "-"


def post_fork(server, worker):
    # Connections must not be shared across processes: drop the master's pools.
    from webapp.extensions import db

    app = worker.app.callable  # None unless preload_app loaded it in the master
    if app is None or "sqlalchemy" not in getattr(app, "extensions", {}):
        return  # nothing loaded yet, or an app without a database (the benchmarks' hello world)
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
