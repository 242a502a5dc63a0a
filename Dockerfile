# One image for every process of the portal: web (gunicorn), worker and beat (Celery), migrate.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# fonts-noto-cjk: WeasyPrint draws Chinese as empty boxes without a CJK font.
# libharfbuzz-subset0: without it each Chinese PDF takes 9-15 s instead of about 1 s.
# libpango-1.0-0, libpangoft2-1.0-0: WeasyPrint's text layout. gettext: compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 gettext \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home portal

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY --chown=portal:portal . .

# Static files and translations are built into the image. Settings refuse to load without a
# SECRET_KEY when DEBUG is off; this throwaway one exists only during these two commands.
RUN SECRET_KEY=collectstatic-at-build-time-only DEBUG=0 python manage.py collectstatic --noinput \
    && if [ -d locale ]; then \
        SECRET_KEY=compilemessages-at-build-time-only DEBUG=0 python manage.py compilemessages; \
    fi \
    && mkdir -p /app/var/media \
    && chown -R portal:portal /app/var /app/staticfiles

USER portal
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
