# Two stages: the builder installs the locked dependencies into a virtual
# environment and prepares translations and static files; the runtime image
# gets only that environment and the code, owned by root and read-only for
# the user that runs it. No compiler, no gettext, no pip cache at run time.
#
# Release (once per deploy, before the new processes start; migrations may
# outlast the web processes' per-statement limit, hence the 0 = no limit):
#   docker run --rm --env-file prod.env -e DATABASE_STATEMENT_TIMEOUT=0 IMAGE python manage.py migrate --no-input
# Web:    docker run --env-file prod.env -p 8000:8000 IMAGE
# Worker: docker run --env-file prod.env IMAGE python manage.py db_worker
# Schedule (cron, every few minutes): docker run --rm --env-file prod.env IMAGE python manage.py send_scheduled_notifications

FROM python:3.11-slim AS builder

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/venv
COPY requirements.lock /tmp/requirements.lock
RUN /opt/venv/bin/pip install --require-hashes -r /tmp/requirements.lock

WORKDIR /app
COPY . .
# Build-time commands need settings but no real secret or database.
RUN SECRET_KEY=build-only DEBUG=0 /opt/venv/bin/python manage.py compilemessages --ignore=.venv \
    && SECRET_KEY=build-only DEBUG=0 /opt/venv/bin/python manage.py collectstatic --no-input \
    && /opt/venv/bin/python -m compileall -q forum consultations accounts documents notifications site_identity search synthesis


FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    MEDIA_ROOT=/var/lib/roundtable/media

RUN useradd --system --no-create-home --uid 10001 roundtable \
    && mkdir -p /var/lib/roundtable/media \
    && chown roundtable /var/lib/roundtable/media

COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /app /app
WORKDIR /app

# Code and environment stay root's: the process can read them, not change them.
USER roundtable
VOLUME ["/var/lib/roundtable/media"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4).status == 200 else 1)"]

CMD ["gunicorn", "forum.wsgi:application", "--config", "gunicorn.conf.py"]
