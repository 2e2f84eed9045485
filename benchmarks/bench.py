"""How fast the thread pages are, against what serving their data could cost at best.

    make bench                          # the full run (about 45 minutes on 2 busy cores)
    make bench BENCH_ARGS=--quick       # 100 and 1,000 comments, short wrk runs
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make bench

It builds databases of its own (SQLite files under benchmarks/results/, or
databases named roundtable_bench_* on the PostgreSQL server of DATABASE_URL;
never the developer's): threads of 100, 1,000 and 5,000 comments on one
question each ("base"), the same plus 100,000 registered accounts
("accounts"), and the same plus a consultation of 100 questions bringing the
database to 100,000 comments ("large"). For each page (a question, its
consultation), reader (a visitor, a signed-in stakeholder) and database it
measures, in this process, the SQL queries and the render time (cold: the
median of 5 renders, each after the caches are emptied; warm: the median of
3 renders with the caches full), then starts gunicorn with 2 workers on 127.0.0.1 and measures, with
wrk, requests per second and p50/p99 latency, beside two baselines served by
the same gunicorn (benchmarks/urls.py): the same bytes precomputed (static
ceiling) and the same bytes after one query for all the thread's rows
(database floor). Last it times the Markdown rendering of pathological
maximum-length bodies. The table is printed and written as JSON.
"""

import argparse
import json
import math
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT))

# The bench runs the product as deployed: DEBUG off, its own databases.
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", "benchmark-only-" + "x" * 40),
        "STATIC_MANIFEST": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "MEDIA_ROOT": str(RESULTS / "media"),
    }
)
PRODUCT_DATABASE_URL = os.environ.get("DATABASE_URL", "")
IS_POSTGRES = PRODUCT_DATABASE_URL.startswith(("postgres://", "postgresql://"))


def database_url(variant: str) -> str:
    if IS_POSTGRES:
        return re.sub(
            r"/[^/?]*(\?|$)", rf"/roundtable_bench_{variant}\1", PRODUCT_DATABASE_URL, count=1
        )
    return f"sqlite:///{RESULTS / f'bench-{variant}.sqlite3'}"


os.environ["DATABASE_URL"] = database_url("base")

import warnings  # noqa: E402

import django  # noqa: E402

# WhiteNoise looks for collected files the bench never asks for.
warnings.filterwarnings("ignore", message="No directory at")

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks import dataset  # noqa: E402
from consultations.models import Comment  # noqa: E402
from consultations.sanitize import render_markdown  # noqa: E402

SIZES = (100, 1000, 5000)
QUICK_SIZES = (100, 1000)
LARGE_TOTAL_COMMENTS = 100_000
LARGE_QUESTIONS = 100
MANY_ACCOUNTS = 100_000
AUTHORS = 2000
READERS = ("visitor", "stakeholder")
PAGES = ("question", "consultation")


# --- Databases -----------------------------------------------------------------


def _use(name: str | None, url: str) -> None:
    """Point this process's default connection at another database."""
    import dj_database_url

    connections.close_all()
    parsed = dj_database_url.parse(url)
    connection.settings_dict["NAME"] = name or parsed["NAME"]


def use_variant(variant: str) -> None:
    _use(None, database_url(variant))
    os.environ["DATABASE_URL"] = database_url(variant)


def _postgres_admin(statement: str) -> None:
    import dj_database_url

    _use(dj_database_url.parse(PRODUCT_DATABASE_URL)["NAME"], PRODUCT_DATABASE_URL)
    with connection.cursor() as cursor:
        cursor.execute(statement)
    connections.close_all()


def fresh_database(variant: str, *, copy_of: str | None = None) -> None:
    connections.close_all()
    if IS_POSTGRES:
        _postgres_admin(f"DROP DATABASE IF EXISTS roundtable_bench_{variant} WITH (FORCE)")
        template = f" TEMPLATE roundtable_bench_{copy_of}" if copy_of else ""
        _postgres_admin(f"CREATE DATABASE roundtable_bench_{variant}{template}")
    else:
        target = RESULTS / f"bench-{variant}.sqlite3"
        target.unlink(missing_ok=True)
        if copy_of:
            shutil.copyfile(RESULTS / f"bench-{copy_of}.sqlite3", target)
    use_variant(variant)
    if not copy_of:
        call_command("migrate", verbosity=0)


def build_base(sizes, rng, pool) -> None:
    fresh_database("base")
    authors = dataset.make_accounts(AUTHORS, prefix="author")
    moderators = dataset.make_accounts(2, prefix="moderator")
    dataset.make_accounts(1, prefix="stakeholder")
    for size in sizes:
        consultation = dataset.make_open_consultation(
            f"bench-{size}", f"Migration policy review ({size} comments)", 1
        )
        consultation.moderators.add(*moderators)
        dataset.build_thread(rng, consultation.questions.get(), size, authors, pool)


def build_accounts() -> None:
    fresh_database("accounts", copy_of="base")
    dataset.make_accounts(MANY_ACCOUNTS, prefix="account")


def build_large(rng, pool) -> None:
    fresh_database("large", copy_of="base")
    authors = list(dataset.User.objects.filter(email__startswith="author"))
    consultation = dataset.make_open_consultation(
        "bench-large", "Migration policy review (100 questions)", LARGE_QUESTIONS
    )
    per_question = (LARGE_TOTAL_COMMENTS - Comment.objects.count()) // LARGE_QUESTIONS
    for question in consultation.questions.all():
        dataset.build_thread(rng, question, per_question, authors, pool)


# --- Measuring in this process ---------------------------------------------------------


def page_url(size: int, page: str) -> str:
    consultation_url = f"/en/consultations/bench-{size}/"
    return consultation_url + "questions/1/" if page == "question" else consultation_url


def reader_client(reader: str) -> Client:
    client = Client(SERVER_NAME="localhost")
    if reader == "stakeholder":
        client.force_login(dataset.User.objects.get(email="stakeholder0@example.org"))
    return client


def render_once(client: Client, url: str):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed * 1000, len(queries), response.content


def empty_caches() -> None:
    """Cold: no rendered page or comment kept, no site identity, no limit counted."""
    for kept in caches.all():
        kept.clear()


def measure_in_process(client: Client, url: str, repeat: int, cold_renders: int) -> dict:
    # Cold as often as warm: on a virtual machine whose host takes a share of the CPU
    # when it likes, one cold render varied from 140 to 370 ms for the same page.
    cold = []
    for _ in range(cold_renders):
        empty_caches()
        cold.append(render_once(client, url))
    cold_ms, cold_queries, content = cold[0]
    warm = [render_once(client, url) for _ in range(repeat)]
    return {
        "queries_cold": cold_queries,
        "queries": warm[-1][1],
        "render_cold_ms": round(statistics.median(ms for ms, _, _ in cold), 1),
        "render_cold_each_ms": [round(ms, 1) for ms, _, _ in cold],
        "render_warm_ms": round(statistics.median(ms for ms, _, _ in warm), 1),
        "kib": round(len(content) / 1024),
        "content": content,
    }


# --- Measuring over HTTP -------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    def __init__(self, pages_dir: Path, log: Path, *, workers: int | None = 2):
        """gunicorn from gunicorn.conf.py with `workers` workers (None: as many as the
        configuration gives this machine)."""
        self.port = free_port()
        environment = {**os.environ, "BENCH_PAGES_DIR": str(pages_dir)}
        workers_option = [] if workers is None else ["--workers", str(workers)]
        self.log = log.open("a")
        self.log_path, self.log_start = log, self.log.tell()
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--config",
                str(ROOT / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{self.port}",
                *workers_option,
                "--access-logfile",
                "/dev/null",
                "forum.wsgi:application",
            ],
            cwd=ROOT,
            env=environment,
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        self.stop()
        raise SystemExit(f"gunicorn did not answer on port {self.port}: see {log}")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str, cookie: str = "") -> tuple[int, float]:
        request = urllib.request.Request(self.url(path), headers={"Cookie": cookie})
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            return response.status, (time.perf_counter() - started) * 1000

    def describe(self) -> str:
        """The worker class and how many workers booted, as this server's log says."""
        with self.log_path.open() as log:
            log.seek(self.log_start)
            text = log.read()
        worker_class = re.search(r"Using worker: (\S+)", text)
        booted = len(re.findall(r"Booting worker with pid", text))
        return f"{worker_class.group(1) if worker_class else '?'} workers, {booted} booted"

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS_MS[unit]


def wrk(url: str, *, cookie: str, options, duration: int) -> dict:
    command = ["wrk", f"-t{options.threads}", f"-c{options.connections}"]
    command += [f"-d{duration}s", "--timeout", "60s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    requests = re.search(r"(\d+) requests in", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)$", output, re.MULTILINE)
    latency = re.search(r"^\s+Latency\s+\S+\s+\S+\s+(\S+)", output, re.MULTILINE)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": round(_milliseconds(percentiles["50"]), 1) if "50" in percentiles else None,
        "p99_ms": round(_milliseconds(percentiles["99"]), 1) if "99" in percentiles else None,
        "requests": int(requests.group(1)) if requests else 0,
        "errors": (int(errors.group(1)) if errors else 0),
        "socket_errors": socket_errors.group(1) if socket_errors else "",
        "max_ms": _milliseconds(latency.group(1)) if latency else None,
        "duration_s": duration,
        # Kept when wrk gave no percentiles, to see why.
        "output": output if len(percentiles) < 2 else "",
    }


def wrk_duration(render_ms: float, options) -> int:
    """Long enough for about --min-requests answers of a page that renders in `render_ms`."""
    # Two workers on two cores answer about two pages per render time.
    needed = render_ms / 1000 * (options.min_requests + options.connections) / 2
    return int(min(max(options.duration, math.ceil(needed)), options.max_duration))


def drain(result: dict, render_ms: float, options) -> None:
    """Wait for the requests wrk left running, so they don't weigh on the next run."""
    longest = max(result["max_ms"] or 0, render_ms * options.connections)
    time.sleep(min(longest, options.max_duration * 1000) / 1000)


def ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


# --- One database's measurements -----------------------------------------------------


def measure_variant(variant: str, sizes, options, *, rounds: dict[int, int]) -> list[dict]:
    use_variant(variant)
    pages_dir = RESULTS / "pages" / variant
    shutil.rmtree(pages_dir, ignore_errors=True)
    pages_dir.mkdir(parents=True)
    rows = []
    clients = {reader: reader_client(reader) for reader in READERS}
    # Load the templates and the URLs once, so "cold" measures the thread, not the process.
    for client in clients.values():
        render_once(client, page_url(sizes[0], "question"))
    cookies = {"visitor": ""}
    session_cookie = clients["stakeholder"].cookies[settings.SESSION_COOKIE_NAME].value
    cookies["stakeholder"] = f"{settings.SESSION_COOKIE_NAME}={session_cookie}"
    for size in sizes:
        for page in PAGES:
            for reader in READERS:
                url = page_url(size, page)
                print(f"  [{variant}] in process: {size} {page} {reader}", flush=True)
                measured = measure_in_process(
                    clients[reader], url, options.repeat, options.cold_renders
                )
                name = f"{size}-{page}-{reader}.html"
                scope = f"bench-{size}/1" if page == "question" else f"bench-{size}"
                (pages_dir / name).write_bytes(scope.encode() + b"\n" + measured.pop("content"))
                rows.append(
                    {
                        "database": variant,
                        "comments": size,
                        "page": page,
                        "reader": reader,
                        "url": url,
                        "baseline_page": name,
                        **measured,
                    }
                )
    server = Gunicorn(pages_dir, RESULTS / "gunicorn.log")
    try:
        for _ in range(4):
            server.get("/en/")
        empty_caches()
        for row in rows:
            status, row["http_cold_ms"] = server.get(row["url"], cookies[row["reader"]])
            row["http_cold_ms"] = round(row["http_cold_ms"], 1)
        measured_rows = []
        for row in rows:
            for round_number in range(1, rounds.get(row["comments"], 1) + 1):
                this = {**row, "round": round_number}
                cookie = cookies[row["reader"]]
                print(
                    f"  [{variant}] wrk round {round_number}: {row['comments']} {row['page']} "
                    f"{row['reader']}",
                    flush=True,
                )
                for kind, path in (
                    ("page_wrk", row["url"]),
                    ("static_wrk", f"/bench/static/{row['baseline_page']}/"),
                    ("floor_wrk", f"/bench/floor/{row['baseline_page']}/"),
                ):
                    if kind == "page_wrk":
                        # Warm: every worker process has built and kept the page
                        # (its own memory, without REDIS_URL) before the measured run.
                        warm_up = wrk_duration(row["render_cold_ms"], options)
                        warm_up_run = wrk(
                            server.url(path), cookie=cookie, options=options, duration=warm_up
                        )
                        drain(warm_up_run, row["render_cold_ms"], options)
                    duration = wrk_duration(row["render_warm_ms"], options)
                    this[kind] = wrk(
                        server.url(path), cookie=cookie, options=options, duration=duration
                    )
                    drain(this[kind], row["render_warm_ms"], options)
                page_rps = this["page_wrk"]["rps"]
                this["vs_static"] = ratio(page_rps, this["static_wrk"]["rps"])
                this["vs_floor"] = ratio(page_rps, this["floor_wrk"]["rps"])
                measured_rows.append(this)
        return measured_rows
    finally:
        server.stop()


# --- Markdown at its worst -----------------------------------------------------------

MAX_LENGTH = 20_000
PATHOLOGICAL_BODIES = {
    "'**a' * 6666": "**a" * 6666,
    "'[' * 20000": "[" * MAX_LENGTH,
    "'*a' * 10000": "*a" * 10_000,
    "'_a' * 10000": "_a" * 10_000,
    "'*_' * 10000": "*_" * 10_000,
    "'(' * 19999 + ':'": "(" * (MAX_LENGTH - 1) + ":",
    "'(:' * 10000": "(:" * 10_000,
    "'[a](' * 5000": "[a](" * 5000,
    "'http://' + '(' * 19993": "http://" + "(" * (MAX_LENGTH - 7),
    "'> ' * 10000 (nested quotes)": "> " * 10_000,
    "'- ' * 10000 (nested lists)": "- " * 10_000,
    "'1. ' * 6666 (nested lists)": "1. " * 6666,
    "indented list, 1,000 levels": "".join("  " * level + "- a\n" for level in range(1000))[
        :MAX_LENGTH
    ],
    "long address: https://example.org/aaa…": "https://example.org/" + "a" * (MAX_LENGTH - 20),
    "long address: www.aaa….org": "www." + "a" * (MAX_LENGTH - 8) + ".org",
    "long address: aaa…@example.org": "a" * (MAX_LENGTH - 12) + "@example.org",
    "'a.' * 10000 (dotted names)": "a." * 10_000,
}


def measure_markdown() -> list[dict]:
    rows = []
    for name, body in PATHOLOGICAL_BODIES.items():
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            render_markdown(body)
            timings.append((time.perf_counter() - started) * 1000)
            if timings[-1] > 2000:
                break
        rows.append({"body": name, "length": len(body), "ms": round(min(timings), 1)})
        print(f"  markdown {name}: {min(timings):.0f} ms", flush=True)
    return rows


# --- Report --------------------------------------------------------------------------


def versions() -> dict:
    import gunicorn

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        database_version = cursor.fetchone()[0]
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": f"{connection.vendor} {database_version}",
        "gunicorn": gunicorn.__version__,
        "wrk": (wrk_version.stdout + wrk_version.stderr).split("\n")[0].strip(),
        "cpus": os.cpu_count(),
    }


def print_table(rows: list[dict]) -> None:
    header = (
        f"{'db':<8} {'N':>5} {'page':<5} {'who':<5} {'rnd':>3} {'q':>3} {'KiB':>5} "
        f"{'cold ms':>8} {'warm ms':>8} {'http1 ms':>8} {'req/s':>7} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'static/s':>8} {'floor/s':>8} {'×static':>7} {'×floor':>7}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        page, static, floor = row["page_wrk"], row["static_wrk"], row["floor_wrk"]
        print(
            f"{row['database']:<8} {row['comments']:>5} {row['page'][:5]:<5} "
            f"{row['reader'][:5]:<5} {row['round']:>3} {row['queries']:>3} {row['kib']:>5} "
            f"{row['render_cold_ms']:>8.1f} {row['render_warm_ms']:>8.1f} "
            f"{row['http_cold_ms']:>8.1f} {page['rps']:>7.2f} {page['p50_ms'] or 0:>8.1f} "
            f"{page['p99_ms'] or 0:>8.1f} {static['rps']:>8.1f} {floor['rps']:>8.1f} "
            f"{row['vs_static'] or 0:>7.3f} {row['vs_floor'] or 0:>7.3f}"
        )


def markdown_report(report: dict) -> str:
    """The table and the Markdown timings as Markdown, for docs/benchmarks.md."""
    lines = [
        "| database | comments | page | reader | round | queries (cold) | KiB "
        "| render cold ms | render warm ms | first HTTP ms | req/s | p50 ms | p99 ms "
        "| static req/s | floor req/s | × static | × floor |",
        "|" + " --- |" * 17,
    ]
    for row in report["rows"]:
        page, static, floor = row["page_wrk"], row["static_wrk"], row["floor_wrk"]
        lines.append(
            f"| {row['database']} | {row['comments']} | {row['page']} | {row['reader']} "
            f"| {row['round']} | {row['queries']} ({row['queries_cold']}) | {row['kib']} "
            f"| {row['render_cold_ms']} | {row['render_warm_ms']} | {row['http_cold_ms']} "
            f"| {page['rps']} | {page['p50_ms']} | {page['p99_ms']} | {static['rps']} "
            f"| {floor['rps']} | {row['vs_static']} | {row['vs_floor']} |"
        )
    lines += ["", "| body (maximum length) | characters | ms |", "| --- | --- | --- |"]
    lines += [f"| `{m['body']}` | {m['length']} | {m['ms']} |" for m in report["markdown"]]
    return "\n".join(lines) + "\n"


def parse_options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 and 1,000 comments, short runs")
    parser.add_argument(
        "--databases",
        nargs="+",
        choices=("base", "accounts", "large"),
        help="which databases to measure (default: all three; --quick: base)",
    )
    parser.add_argument("--large", action="store_true", help="add the 100,000-comment database")
    parser.add_argument("--duration", type=int, help="seconds per wrk run (default 10, quick 3)")
    parser.add_argument(
        "--min-requests",
        type=int,
        help="lengthen a wrk run until about this many pages can answer (default 5, quick 3)",
    )
    parser.add_argument("--max-duration", type=int, default=30, help="longest wrk run, seconds")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--repeat", type=int, help="warm renders in process (default 3, quick 2)")
    parser.add_argument(
        "--cold-renders", type=int, default=5, help="cold renders in process, of which the median"
    )
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument(
        "--noise-size",
        type=int,
        default=1000,
        help="measure this thread size twice over HTTP, to show the noise (0: none)",
    )
    parser.add_argument("--output", type=Path, help="where to write the JSON")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the databases a previous run built"
    )
    options = parser.parse_args()
    options.sizes = QUICK_SIZES if options.quick else SIZES
    options.duration = options.duration or (3 if options.quick else 10)
    options.repeat = options.repeat or (2 if options.quick else 3)
    options.min_requests = options.min_requests or (3 if options.quick else 5)
    if not options.databases:
        options.databases = ["base"] if options.quick else ["base", "accounts", "large"]
    if options.large and "large" not in options.databases:
        options.databases.append("large")
    return options


def analyze() -> None:
    """Give the query planner the statistics a live database has: just after a bulk
    build PostgreSQL has none, and chose full scans at every level of the recursive
    thread query (1.4 s instead of 4 ms)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def build_databases(options) -> dict:
    rng = random.Random(options.seed)
    clock = time.perf_counter()
    pool = dataset.BodyPool(rng, 1500 if options.quick else 3000)
    build_base(options.sizes, rng, pool)
    analyze()
    build_times = {"base": round(time.perf_counter() - clock, 1)}
    if "accounts" in options.databases:
        clock = time.perf_counter()
        build_accounts()
        analyze()
        build_times["accounts"] = round(time.perf_counter() - clock, 1)
    if "large" in options.databases:
        clock = time.perf_counter()
        build_large(rng, pool)
        analyze()
        build_times["large"] = round(time.perf_counter() - clock, 1)
    return build_times


def main():
    options = parse_options()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: install the Debian package (apt-get install -y wrk).")
    RESULTS.mkdir(exist_ok=True)
    started = datetime.now(UTC)
    load_before = os.getloadavg()
    print(f"load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}")
    build_times = {} if options.reuse else build_databases(options)
    print(f"databases built in seconds: {build_times}", flush=True)

    rows = []
    for variant in options.databases:
        sizes = options.sizes if variant == "base" else [s for s in options.sizes if s <= 1000]
        rounds = {options.noise_size: 2} if variant == "base" and options.noise_size else {}
        rows += measure_variant(variant, sizes, options, rounds=rounds)
    use_variant("base")
    environment = versions()
    print("markdown, maximum-length pathological bodies (best of up to 3):", flush=True)
    markdown = measure_markdown()
    load_after = os.getloadavg()
    print()
    print_table(rows)
    print()
    for entry in markdown:
        print(f"{entry['ms']:>9.1f} ms  {entry['body']}")
    print(f"\nload average after: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    report = {
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": environment,
        "options": {
            "sizes": list(options.sizes),
            "databases": options.databases,
            "wrk_duration_s": options.duration,
            "wrk_connections": options.connections,
            "wrk_threads": options.threads,
            "gunicorn_workers": 2,
            "renders_in_process": options.repeat,
            "cold_renders_in_process": options.cold_renders,
            "seed": options.seed,
        },
        "load_average_before": load_before,
        "load_average_after": load_after,
        "build_seconds": build_times,
        "rows": rows,
        "markdown": markdown,
    }
    output = options.output or RESULTS / f"bench-{started:%Y%m%dT%H%M%S}.json"
    output.write_text(json.dumps(report, indent=2))
    output.with_suffix(".md").write_text(markdown_report(report))
    print(f"written: {output} and {output.with_suffix('.md')}")


if __name__ == "__main__":
    main()
