"""gunicorn sizes itself from the container's CPU quota, not the host's CPUs, and preloads."""

import runpy
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

CONFIG = Path(__file__).resolve().parents[1] / "gunicorn.conf.py"


def load_config(environment=None, cpu_max=None, affinity=64):
    real_read_text = Path.read_text

    def read_text(path, *args, **kwargs):
        if str(path) == "/sys/fs/cgroup/cpu.max":
            if cpu_max is None:
                raise FileNotFoundError(path)
            return cpu_max
        if str(path).startswith("/sys/fs/cgroup/"):
            raise FileNotFoundError(path)
        return real_read_text(path, *args, **kwargs)

    with (
        mock.patch.dict("os.environ", environment or {}, clear=False),
        mock.patch("os.sched_getaffinity", return_value=set(range(affinity))),
        mock.patch.object(Path, "read_text", read_text),
    ):
        return runpy.run_path(str(CONFIG))


def test_workers_follow_the_cgroup_quota_on_a_large_host(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    config = load_config(cpu_max="200000 100000\n", affinity=64)

    assert config["workers"] == 3


def test_workers_follow_the_cpus_the_process_may_use_without_a_quota(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    config = load_config(cpu_max="max 100000\n", affinity=4)

    assert config["workers"] == 5


def test_web_concurrency_wins_over_the_quota():
    config = load_config({"WEB_CONCURRENCY": "7"}, cpu_max="200000 100000\n")

    assert config["workers"] == 7


def test_workers_serve_one_request_at_a_time_by_default(monkeypatch):
    monkeypatch.delenv("GUNICORN_THREADS", raising=False)
    config = load_config()

    assert (config["worker_class"], config["threads"]) == ("sync", 1)


def test_gunicorn_threads_gives_threaded_workers():
    config = load_config({"GUNICORN_THREADS": "4"})

    assert (config["worker_class"], config["threads"]) == ("gthread", 4)


def test_workers_are_recycled_with_jitter():
    config = load_config()

    assert config["max_requests"] > 0
    assert 0 < config["max_requests_jitter"] < config["max_requests"]


def test_workers_are_forked_from_an_application_the_master_loaded(monkeypatch):
    monkeypatch.delenv("GUNICORN_PRELOAD", raising=False)
    config = load_config()

    assert config["preload_app"] is True


def test_gunicorn_preload_0_loads_the_application_in_each_worker():
    config = load_config({"GUNICORN_PRELOAD": "0"})

    assert config["preload_app"] is False


def _master(*, preload_app):
    return SimpleNamespace(cfg=SimpleNamespace(preload_app=preload_app))


def test_a_preloading_master_warms_up_before_it_forks():
    config = load_config()

    with mock.patch("forum.warm_up.warm_up") as warm_up:
        config["when_ready"](_master(preload_app=True))

    warm_up.assert_called_once_with()


def test_a_master_that_does_not_preload_loads_nothing_of_the_application():
    config = load_config()

    with mock.patch("forum.warm_up.warm_up") as warm_up:
        config["when_ready"](_master(preload_app=False))

    warm_up.assert_not_called()


def test_the_control_socket_is_off_unless_given_a_path_of_its_own(monkeypatch):
    monkeypatch.delenv("GUNICORN_CONTROL_SOCKET", raising=False)
    assert load_config()["control_socket_disable"] is True

    config = load_config({"GUNICORN_CONTROL_SOCKET": "/run/roundtable/gunicorn.ctl"})

    assert config["control_socket_disable"] is False
    assert config["control_socket"] == "/run/roundtable/gunicorn.ctl"
