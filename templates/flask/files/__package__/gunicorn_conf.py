"""gunicorn's settings (`--config python:<package>.gunicorn_conf`); `--bind` comes from the command."""

# One process, eight threads: the in-memory rate limiter and SQLite's write turn live in the
# process, so more processes would each count and queue on their own. Scale out with more
# containers behind a proxy (and a shared limiter) instead.
worker_class = "gthread"
workers = 1
threads = 8
# Request lines up to gunicorn's maximum (8 KiB): list queries with long search terms or cursors
# get a 422 problem from the app, not a bare 400 from the server.
limit_request_line = 8190
# The app writes one JSON access line per request (middleware.py).
accesslog = None
# X-Forwarded-* is believed only from TRUSTED_PROXIES, by the app (not by gunicorn).
forwarded_allow_ips = ""
graceful_timeout = 10
