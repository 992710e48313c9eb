# syntax=docker/dockerfile:1
# The connector as a container image: `connector` is the entry point, settings
# come from BATON_* variables, and the sync file lives on the /data volume.
#
#   docker build -t connector .
#   docker run --rm -v connector-data:/data \
#       -e BATON_HIBOB_BASE_URL -e BATON_HIBOB_SERVICE_USER_ID -e BATON_HIBOB_SERVICE_USER_TOKEN \
#       connector sync hibob
#
# More in docs/deploying.md (cron, systemd timer, Kubernetes CronJob).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# The README's install command, run on the checkout bind-mounted for this one step
# (BuildKit): the source never becomes a layer of the image, only what pip installs.
RUN --mount=type=bind,target=/tmp/src,rw cd /tmp/src && python3 -m pip install .

# A non-root user owns the data folder and nothing else.
RUN useradd --system --uid 10001 --no-create-home --home-dir /data --shell /usr/sbin/nologin connector \
    && mkdir /data && chown connector:connector /data
USER 10001:10001
WORKDIR /data

ENV BATON_FILE=/data/sync.db \
    BATON_LOG_FORMAT=json
VOLUME ["/data"]

ENTRYPOINT ["connector"]
CMD ["--help"]
