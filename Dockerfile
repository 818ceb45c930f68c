# fintech-sandbox: a local, stateful stand-in for fintech onboarding APIs.
#
#   docker build -t fintech-sandbox .
#   docker run --rm -p 8080:8080 fintech-sandbox
#
# Configuration (all optional), as environment variables:
#   PORT / SANDBOX_PORT   port to listen on (default 8080; SANDBOX_PORT wins if both are set)
#   SANDBOX_SCENARIO      scenario YAML, e.g. -v "$PWD/my.yaml:/scenarios/my.yaml:ro" -e SANDBOX_SCENARIO=/scenarios/my.yaml
#   SANDBOX_SEED          seed for every generated value (default 0)
#   SANDBOX_STRICT_OTP    1 = accept only real TOTP codes, not 123456
#   SANDBOX_STATE_FILE    keep state across restarts, e.g. -v sandbox-data:/data -e SANDBOX_STATE_FILE=/data/state.json
#   SANDBOX_THREADS, SANDBOX_MAX_BODY_BYTES, SANDBOX_HOST (0.0.0.0 in this image)
#   SANDBOX_READY_FILE    write the base URL to this file once listening (e.g. on a shared volume)
#   SANDBOX_ADMIN_TOKEN   the global controls (reset, scenario, snapshot, clock) need this bearer token; unset, the
#                         image (bound to 0.0.0.0) makes one up at start and prints it in its banner
#   SANDBOX_SCENARIO_DIRS directories POST /_sandbox/scenario {"path": ...} may load from (default: /data)
#   SANDBOX_QUIET, SANDBOX_LOG_FORMAT (text|json), SANDBOX_JOURNAL_SIZE   the line per request, the request journal
# (`fintech-sandbox serve --help` explains each; every serve flag has its SANDBOX_* variable.)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# Unprivileged user; /data is its writable directory (state files go there).
RUN groupadd --gid 10001 sandbox \
 && useradd --uid 10001 --gid sandbox --no-log-init --no-create-home --home-dir /data --shell /usr/sbin/nologin sandbox \
 && mkdir /data \
 && chown sandbox:sandbox /data

WORKDIR /src

# Dependencies in their own layer: rebuilt only when pyproject.toml or
# constraints.txt changes, not when the source does.
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.txt \
 && pip install --no-cache-dir -c constraints.txt -r requirements.txt

# The package itself; the wheel carries fixtures/ as sandbox/fixtures, so the
# source tree is not needed afterwards.
COPY README.md ./
COPY fixtures ./fixtures
COPY sandbox ./sandbox
RUN pip install --no-cache-dir --no-deps . \
 && cd / && rm -rf /src

ENV PORT=8080 \
    SANDBOX_HOST=0.0.0.0

WORKDIR /data
USER 10001:10001
EXPOSE 8080

HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
    CMD ["fintech-sandbox", "healthcheck"]

# Exec form: the server is PID 1 and gets SIGTERM itself (it flushes the state
# file and exits). Host and port come from SANDBOX_HOST and PORT/SANDBOX_PORT,
# so `docker run -e PORT=9000` is honoured.
CMD ["fintech-sandbox", "serve"]
