FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

RUN apt-get update \
    && apt-get install --no-install-recommends -y libjpeg62-turbo zlib1g libwebp7 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 app

WORKDIR /app
COPY pyproject.toml README.md ./
COPY config ./config
COPY outbox ./outbox
COPY vendors ./vendors
COPY markets ./markets
COPY shop ./shop
COPY payments ./payments
COPY reports ./reports
COPY cms ./cms
COPY api ./api
# The `[s3]` extra: media in an S3-compatible bucket (django-storages, boto3).
RUN pip install --no-cache-dir ".[s3]"
COPY . .
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py compile_translations \
    && SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media /app/var/private && chown -R app:app /app/var

USER app
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
