"""Gunicorn settings for the web container (docker-compose.yml › web).

TLS ends at the reverse proxy (docker-compose.yml › proxy), which sets X-Forwarded-Proto;
Django trusts it through SECURE_PROXY_SSL_HEADER. Port 8000 is reachable only on the compose
network. The number of workers follows the CPUs unless WEB_CONCURRENCY says otherwise
(a variable Gunicorn itself defines).
"""

import multiprocessing
import os

bind = "0.0.0.0:8000"
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * multiprocessing.cpu_count() + 1, 9))
worker_class = "sync"
# Fail at start, in the master, when the settings are wrong (a missing secret, a bad boolean).
preload_app = True
# Heartbeat files in memory, not on the container's overlay file system.
worker_tmp_dir = "/dev/shm"  # noqa: S108 (inside the container, owned by nobody else)

# A PDF report takes seconds; nothing a user does should take a minute.
timeout = 60
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak never takes the service down.
max_requests = 1000
max_requests_jitter = 100

# Requests come only from the proxy on the compose network.
forwarded_allow_ips = "*"
limit_request_line = 4094
limit_request_fields = 100

accesslog = "-"
errorlog = "-"
loglevel = "info"
# The path only, never the query string: searches carry names, and private data must never
# reach the logs.
access_log_format = '%({x-forwarded-for}i)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
