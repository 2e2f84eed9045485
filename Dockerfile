# One image: translations compiled and static files collected at build time,
# migrations then gunicorn at run time.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY forum ./forum
COPY consultations ./consultations
COPY accounts ./accounts
RUN pip install .

COPY . .
# Build-time commands need settings but no real secret or database.
RUN SECRET_KEY=build-only DEBUG=0 python manage.py compilemessages --ignore=.venv \
    && SECRET_KEY=build-only DEBUG=0 python manage.py collectstatic --no-input

RUN useradd --create-home --uid 10001 roundtable && chown -R roundtable /app
USER roundtable

EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --no-input && exec gunicorn forum.wsgi:application --config gunicorn.conf.py"]
