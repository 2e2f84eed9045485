"""Posting under load: 16 signed-in people posting at once through the real form.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make bench-posting

On a PostgreSQL database of its own (roundtable_bench_posting), against
gunicorn as gunicorn.conf.py sets it up for this machine (one sync worker per
CPU plus one; `--workers N` for another count), each poster GETs the page with
the form, takes the CSRF token and the form's one-time `submission_token`, and
POSTs: half of the posts answer the question, half reply to a comment already
there. Every tenth form is sent twice, as a double click would, and must still
store one comment. With `--pause S`, each poster waits about S seconds (0.5×S
to 1.5×S) between reading the form and sending it, as a person writing would;
without it they send at once, 16 requests always in flight on the server.
Afterwards it checks that every accepted post (a 302) is stored exactly once,
and that every new comment is on the page of answers that holds it, read over
HTTP by a visitor afterwards. The posting rate limits are switched off for the
run (RATE_LIMIT_POST and RATE_LIMIT_POST_NEW_ACCOUNT set very high), so the
figures measure the server, not the limiter.
"""

import argparse
import http.client
import os
import random
import re
import resource
import statistics
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

# Before Django reads the settings (benchmarks.bench sets Django up).
UNLIMITED = "1000000/m/user"
os.environ["RATE_LIMIT_POST"] = UNLIMITED
os.environ["RATE_LIMIT_POST_NEW_ACCOUNT"] = UNLIMITED
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import bench, dataset  # noqa: E402
from consultations.models import Comment, attach_thread_pages  # noqa: E402

FORM = re.compile(r'<form method="post" action="([^"]*)" class="comment-form".*?</form>', re.S)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION = re.compile(r'name="submission_token" value="([^"]+)"')
SESSION_COOKIE = "sessionid"


class Poster(threading.Thread):
    def __init__(self, number, *, port, session, question_path, reply_targets, options):
        super().__init__(name=f"poster-{number}")
        self.number = number
        self.port = port
        self.cookies = {SESSION_COOKIE: session}
        self.question_path = question_path
        self.reply_targets = reply_targets
        self.options = options
        self.rng = random.Random(options.seed * 1000 + number)
        self.accepted_tokens: set[str] = set()
        self.statuses: list[int] = []
        self.post_ms: list[float] = []
        self.get_ms: dict[str, list[float]] = {"question page": [], "reply page": []}
        self.failures: list[str] = []

    def _request(self, connection, method, path, body=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, content.decode(), elapsed

    def post_once(self, connection, index):
        if index % 2:
            path = f"/en/comments/{self.rng.choice(self.reply_targets)}/reply/"
        else:
            path = self.question_path
        status, page, get_ms = self._request(connection, "GET", path)
        self.get_ms["reply page" if index % 2 else "question page"].append(get_ms)
        # The form's action is the page itself, with the fragment its errors open at.
        forms = [match for match in FORM.finditer(page) if match.group(1).split("#")[0] == path]
        if status != 200 or not forms:
            self.failures.append(f"GET {path}: {status}, no form")
            return
        form = forms[0].group(0)
        token = SUBMISSION.search(form).group(1)
        fields = {
            "csrfmiddlewaretoken": CSRF.search(form).group(1),
            "submission_token": token,
            "body": f"Poster {self.number}, post {index}: " + dataset.comment_body(self.rng, "en"),
            "language": "en",
        }
        if self.options.pause:
            time.sleep(self.rng.uniform(0.5, 1.5) * self.options.pause)
            # The server has closed the idle connection by then (gunicorn's keepalive),
            # as it would a browser's: the form goes on a new one.
            connection.close()
        sends = 2 if index % 10 == 9 else 1
        for _ in range(sends):
            status, _, post_ms = self._request(connection, "POST", path, urlencode(fields))
            self.post_ms.append(post_ms)
            self.statuses.append(status)
            if status == 302:
                self.accepted_tokens.add(token)
            else:
                self.failures.append(f"POST {path}: {status}")

    def run(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        for index in range(self.options.posts):
            try:
                self.post_once(connection, index)
            except (OSError, http.client.HTTPException) as error:
                self.failures.append(f"{type(error).__name__}: {error}")
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        connection.close()


def _cpu_seconds(who) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posters", type=int, default=16)
    parser.add_argument("--posts", type=int, default=50, help="posts per poster")
    parser.add_argument("--thread", type=int, default=100, help="comments there beforehand")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument(
        "--pause",
        type=float,
        default=0,
        help="seconds a poster takes to write, on average, between the GET and the POST",
    )
    parser.add_argument(
        "--workers", type=int, default=None, help="gunicorn workers (gunicorn.conf.py's count)"
    )
    parser.add_argument("--allow-sqlite", action="store_true", help="for trying the script out")
    options = parser.parse_args()
    if not bench.IS_POSTGRES and not options.allow_sqlite:
        raise SystemExit("bench-posting runs on PostgreSQL: set DATABASE_URL=postgres://...")

    print(f"posting rate limits switched off for this run: RATE_LIMIT_POST={UNLIMITED}")
    print(f"load average before: {os.getloadavg()}")
    rng = random.Random(options.seed)
    bench.fresh_database("posting")
    authors = dataset.make_accounts(200, prefix="author")
    posters = dataset.make_accounts(options.posters, prefix="poster")
    # Established accounts: the tighter limits for new ones are not what is measured.
    dataset.User.objects.update(date_joined=dataset.timezone.now() - timedelta(days=30))
    consultation = dataset.make_open_consultation("bench-posting", "Posting under load", 1)
    question = consultation.questions.get()
    dataset.build_thread(rng, question, options.thread, authors, dataset.BodyPool(rng, 100))
    bench.analyze()
    reply_targets = list(
        Comment.objects.filter(question=question, status="published").values_list("pk", flat=True)
    )
    sessions = []
    for poster in posters:
        client = bench.Client(SERVER_NAME="localhost")
        client.force_login(poster)
        sessions.append(client.cookies[SESSION_COOKIE].value)
    before = Comment.objects.count()
    question_path = f"/en/consultations/{consultation.slug}/questions/1/"

    pages_dir = bench.RESULTS / "pages" / "posting"
    pages_dir.mkdir(parents=True, exist_ok=True)
    server = bench.Gunicorn(
        pages_dir, bench.RESULTS / "gunicorn-posting.log", workers=options.workers
    )
    try:
        threads = [
            Poster(
                number,
                port=server.port,
                session=sessions[number],
                question_path=question_path,
                reply_targets=reply_targets,
                options=options,
            )
            for number in range(options.posters)
        ]
        started = time.perf_counter()
        posters_cpu = _cpu_seconds(resource.RUSAGE_SELF)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        posters_cpu = _cpu_seconds(resource.RUSAGE_SELF) - posters_cpu
        # Every new comment on the page of answers that holds it, read by a visitor
        # from the pages the server kept or built after the posts.
        new_comments = list(
            Comment.objects.filter(author__in=posters).select_related("question__consultation")
        )
        attach_thread_pages(new_comments)
        by_page: dict[str, list[int]] = {}
        for comment in new_comments:
            by_page.setdefault(comment.get_absolute_url().partition("#")[0], []).append(comment.pk)
        visitor = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        statuses_seen, missing = set(), []
        for page, shown_there in by_page.items():
            visitor.request("GET", page)
            response = visitor.getresponse()
            statuses_seen.add(response.status)
            content = response.read().decode()
            missing += [pk for pk in shown_there if f'id="comment-{pk}"' not in content]
    finally:
        server.stop()
    # The server's workers, reaped by its master, which this process reaped.
    server_cpu = _cpu_seconds(resource.RUSAGE_CHILDREN)

    problems = []
    for poster, thread in zip(posters, threads, strict=True):
        stored = Comment.objects.filter(author=poster)
        tokens = {str(token) for token in stored.values_list("submission_token", flat=True)}
        if stored.count() != len(thread.accepted_tokens) or tokens != thread.accepted_tokens:
            problems.append(
                f"{poster.email}: {len(thread.accepted_tokens)} accepted, {stored.count()} stored"
            )
        problems += [f"{poster.email}: {failure}" for failure in thread.failures[:5]]
    if statuses_seen != {200} or missing:
        problems.append(
            f"pages of answers: {sorted(statuses_seen)}, "
            f"{len(missing)} new comments missing from them"
        )
    new_comments = Comment.objects.filter(author__in=posters)

    post_ms = [ms for thread in threads for ms in thread.post_ms]
    get_ms = {
        kind: [ms for thread in threads for ms in thread.get_ms[kind]]
        for kind in ("question page", "reply page")
    }
    statuses = [code for thread in threads for code in thread.statuses]
    replies = new_comments.filter(parent__isnull=False).count()
    print(
        f"{options.posters} posters × {options.posts} forms ({len(post_ms)} POSTs, every tenth "
        f"form sent twice) in {elapsed:.1f} s on {bench.connection.vendor}, "
        f"pause before sending: {options.pause} s on average"
    )
    print(f"gunicorn: {server.describe()}")
    print(
        f"responses: {statuses.count(302)} × 302, {len(statuses) - statuses.count(302)} other; "
        f"stored: {new_comments.count()} new comments ({replies} replies); "
        f"{Comment.objects.count() - before} rows added"
    )
    if not post_ms:
        raise SystemExit(
            "no form was sent: "
            + "; ".join(thread.failures[0] for thread in threads if thread.failures)[:500]
        )
    print(
        f"POST latency: p50 {statistics.median(post_ms):.0f} ms, "
        f"p99 {percentile(post_ms, 0.99):.0f} ms, max {max(post_ms):.0f} ms"
    )
    for kind, times in get_ms.items():
        if times:
            print(
                f"GET of the {kind}: p50 {statistics.median(times):.0f} ms, "
                f"p99 {percentile(times, 0.99):.0f} ms"
            )
    forms_sent = options.posters * options.posts
    print(
        f"CPU used: gunicorn {server_cpu:.1f} s ({server_cpu / forms_sent * 1000:.0f} ms a "
        f"form), the posters themselves (this process) {posters_cpu:.1f} s, "
        f"of {elapsed * os.cpu_count():.1f} core-seconds"
    )
    print(f"load average after: {os.getloadavg()}")
    if problems:
        print("PROBLEMS:\n  " + "\n  ".join(problems))
        raise SystemExit(1)
    print(
        "every accepted post stored exactly once; every new comment is on the page of "
        "answers that holds it"
    )


if __name__ == "__main__":
    main()
