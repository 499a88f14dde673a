"""gunicorn settings for `polka serve` (and for a unit file that runs gunicorn directly).

Workers default to 2 × CPUs + 1 (POLKA_WORKERS or `polka serve --workers` to change). SIGHUP
reloads the code and restarts the workers gracefully; SIGTERM stops after the requests in flight.
The access log has no query strings and no client addresses: a search or a reader's card number
in a URL is personal data, and the log is not the place for it.
"""

import multiprocessing
import os

bind = os.environ.get("POLKA_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("POLKA_WORKERS", 0)) or multiprocessing.cpu_count() * 2 + 1
worker_class = "sync"
timeout = 60
graceful_timeout = 30
keepalive = 5
# Behind nginx on the same machine: trust its X-Forwarded-* headers only.
forwarded_allow_ips = os.environ.get("POLKA_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("POLKA_ACCESS_LOG", "-")
errorlog = "-"
# time, method, path without the query string, status, bytes, duration in ms
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
proc_name = "polka"
wsgi_app = "config.wsgi:application"
