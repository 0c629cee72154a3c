# One image for every role in docker-compose.yml: web (gunicorn), Celery worker, Celery beat, migrate.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint renders PDFs with Pango/HarfBuzz; the Noto fonts carry the Arabic glyphs that the
# right-to-left welcome folder needs, DejaVu the rest.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fonts-dejavu-core fonts-noto-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so a code change does not reinstall them. Production's only: the test, lint and
# benchmark tools are in requirements-dev.txt, which the image never installs.
COPY requirements.txt ./
RUN pip install -r requirements.txt

# Only what the app runs on; the build context's .venv, database and caches stay out.
COPY manage.py ./
COPY naboambassador ./naboambassador
COPY apps ./apps
COPY templates ./templates
COPY static ./static
COPY locale ./locale

# Settings refuse to load with DEBUG off and no SECRET_KEY; this key exists for these two commands only.
RUN DEBUG=false SECRET_KEY=build-only python manage.py compiletranslations \
    && DEBUG=false SECRET_KEY=build-only python manage.py collectstatic --noinput

# The app runs unprivileged and may write only to the media folder (a volume in docker-compose.yml).
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin naboambassador \
    && mkdir -p /app/media \
    && chown naboambassador:naboambassador /app/media
USER naboambassador

EXPOSE 8000
CMD ["gunicorn", "naboambassador.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
