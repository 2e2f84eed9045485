"""gunicorn settings for production; every value can be overridden from the environment."""

import math
import os
from pathlib import Path


def available_cpus() -> int:
    """CPUs this container may use: its cgroup quota when it has one, else its affinity.

    `multiprocessing.cpu_count()` reports the host's CPUs, so an image limited
    to 2 CPUs on a 64-core host would start 129 workers.
    """
    cpus = len(os.sched_getaffinity(0))
    quota_files = [
        (Path("/sys/fs/cgroup/cpu.max"), None),  # cgroup v2: "<quota> <period>" or "max <period>"
        (
            Path("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"),
            Path("/sys/fs/cgroup/cpu/cpu.cfs_period_us"),
        ),
    ]
    for quota_file, period_file in quota_files:
        try:
            if period_file is None:
                quota, period = quota_file.read_text().split()[:2]
            else:
                quota, period = quota_file.read_text().strip(), period_file.read_text().strip()
        except (OSError, ValueError):
            continue
        if quota not in ("max", "-1") and int(period) > 0:
            return max(1, min(cpus, math.ceil(int(quota) / int(period))))
    return cpus


def env_bool(name: str, default: bool) -> bool:
    """As forum/settings.py reads a switch: 1, true, yes or on; unset or empty is the default."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# One worker per CPU plus one (the extra one runs while another waits on the
# database), each serving one request at a time: sync workers. A page's work is
# Python (templates, Markdown) between short database calls, and threads buy no
# parallel Python. Under 16 posters at once, workers of 4 threads left a third of
# the CPUs idle while requests queued (docs/benchmarks.md, 2026-12-07 evening):
# a worker's threads and the thread that hands them connections share one
# interpreter lock, and a kept-alive connection stays with the worker that took
# it, busy or not. Sync workers took all the CPU and cut the posting p99 by a
# third. They close each connection after its response and read slow clients
# one at a time: run them behind a proxy that buffers requests and responses
# (nginx, or a load balancer that does). GUNICORN_THREADS above 1 gives gthread
# workers of that many threads, for serving without such a proxy.
workers = int(os.environ.get("WEB_CONCURRENCY") or available_cpus() + 1)
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
# A request still running after this is stuck (the database has its own,
# shorter statement timeout): the worker is restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never grows without bound; the
# jitter keeps them from all restarting at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# The master loads the application and warms it up (when_ready, below),
# then forks the workers from it: a worker started or recycled serves its
# first page at once instead of loading Django for seconds beside the other
# workers' traffic. The master runs the code it started with: a new release
# needs a restart, not a HUP. GUNICORN_PRELOAD=0 loads it in each worker.
preload_app = env_bool("GUNICORN_PRELOAD", True)
accesslog = "-"
errorlog = "-"
# gunicorn's control socket (for `gunicornc`) is one path per user by default,
# which two servers of one user on a machine (`make run` beside `make bench`,
# two releases side by side) would take from each other. Off unless given a
# path of its own.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def when_ready(server):
    """Before the first fork, the preloading master loads what each worker would load
    lazily on its first requests (forum/warm_up.py); it opens no connection to share.

    Here and not in forum/wsgi.py: a worker loading the application itself would do all
    of it at each start, beside the other workers, and take longer to serve its first
    page than by loading lazily what its first pages need.
    """
    if server.cfg.preload_app:
        from forum.warm_up import warm_up

        warm_up()
