"""`fintech-sandbox` (also `python -m sandbox`): serve, export the OpenAPI
documents, check health. Every serve flag also reads a SANDBOX_* variable."""

from __future__ import annotations

import errno
import gc
import ipaddress
import json
import os
import secrets
import signal
import socket
import sys
from pathlib import Path

import click

from sandbox import __version__
from sandbox.config import DEFAULT_MAX_BODY_BYTES, DEFAULT_PORT, Config

OPENAPI_DIR = Path("openapi")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "show_default": True})
@click.version_option(__version__, prog_name="fintech-sandbox")
@click.pass_context
def main(ctx: click.Context) -> None:
    """fintech-sandbox: a local, stateful stand-in for fintech onboarding APIs."""
    if ctx.invoked_subcommand != "serve":  # serve turns it on once it has imported the app (_serve)
        gc.enable()


def provider_settings(command):
    """Each provider's own settings as flags of `serve` (e.g. Ibanera's --strict-otp)."""
    from sandbox.providers import PROVIDERS

    for provider in reversed(PROVIDERS):
        for setting in reversed(provider.settings):
            command = click.option(
                setting.flag, f"{provider.name}__{setting.name}", is_flag=setting.is_flag, default=setting.default,
                envvar=setting.envvar, show_envvar=True, help=f"[{provider.name}] {setting.help}",
            )(command)
    return command


@main.command(short_help="Run the sandbox server.")
@click.option("--host", default="127.0.0.1", envvar="SANDBOX_HOST", show_envvar=True,
              help="Interface to bind (0.0.0.0: every interface, as in a container).")
@click.option("--port", default=DEFAULT_PORT, type=click.IntRange(0, 65535), envvar=["SANDBOX_PORT", "PORT"],
              show_envvar=True, help="Port to listen on; 0 picks a free one (see the SANDBOX_URL= line).")
@click.option("--scenario", envvar="SANDBOX_SCENARIO", show_envvar=True, show_default="default",
              help="The world to start in and reset to: a scenario YAML file, or a shipped scenario's name "
                   "(default, kyc-edge-cases, large).")
@click.option("--seed", default=0, type=int, envvar="SANDBOX_SEED", show_envvar=True,
              help="Seed for every generated value: the same seed gives the same ids and names.")
@click.option("--state-file", type=click.Path(dir_okay=False), envvar="SANDBOX_STATE_FILE", show_envvar=True,
              show_default="memory only", help="Keep state in this JSON file across restarts.")
@click.option("--threads", default=8, type=click.IntRange(1, 256), envvar="SANDBOX_THREADS", show_envvar=True,
              help="Worker threads for requests that may wait (a delay fault, a clock settle); every other "
                   "request is answered on the server's event loop (one process: they share the state).")
@click.option("--max-body-bytes", default=DEFAULT_MAX_BODY_BYTES, type=click.IntRange(1), show_envvar=True,
              envvar="SANDBOX_MAX_BODY_BYTES", help="Larger request bodies get 413 in the provider's envelope.")
@click.option("--ready-file", type=click.Path(dir_okay=False), envvar="SANDBOX_READY_FILE", show_envvar=True,
              help="Once listening, write the base URL to this file (removed at start and at exit).")
@click.option("--admin-token", envvar="SANDBOX_ADMIN_TOKEN", show_envvar=True,
              help="Require `Authorization: Bearer <token>` on the global controls (/_sandbox/reset, /scenario, "
                   "/snapshot, /clock). Unset: open on a loopback host; on any other host a token is made up at "
                   "start and printed in the banner, since anyone who reaches the port could reset or read "
                   "everything.")
@click.option("--scenario-dir", "scenario_dirs", multiple=True, type=click.Path(file_okay=False),
              envvar="SANDBOX_SCENARIO_DIRS", show_envvar=True, show_default="the working directory",
              help="A directory that scenario files load from by path at run time (POST /_sandbox/scenario "
                   '{"path": "<file>"}); repeatable. Any other path is refused. Shipped scenarios load by name.')
@click.option("--quiet", is_flag=True, envvar="SANDBOX_QUIET", show_envvar=True,
              help="Print no line per request (only the banner and errors).")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", envvar="SANDBOX_LOG_FORMAT",
              show_envvar=True, help="A line per request as text, or as one JSON object a line.")
@click.option("--journal-size", default=1000, type=click.IntRange(0, 1_000_000), envvar="SANDBOX_JOURNAL_SIZE",
              show_envvar=True, help="How many of the latest requests GET /_sandbox/journal keeps (0: none).")
@provider_settings
def serve(host, port, scenario, seed, state_file, threads, max_body_bytes, ready_file, admin_token, scenario_dirs,
          quiet, log_format, journal_size, **provider_flags) -> None:
    """Run the sandbox (one process, one event loop and a few worker threads, state in memory).

    Once it listens it prints a banner and then a line SANDBOX_URL=<base URL>
    for scripts (with --port 0 the port is the one chosen). SIGTERM or Ctrl-C
    stops it cleanly: the state file is written and the exit status is 0."""
    try:
        _serve(host, port, scenario, seed, state_file, threads, max_body_bytes, ready_file, admin_token,
               scenario_dirs, quiet, log_format, journal_size, provider_flags)
    except KeyboardInterrupt:  # Ctrl-C at any moment, even while starting: a clean stop
        sys.exit(0)


def _serve(host, port, scenario, seed, state_file, threads, max_body_bytes, ready_file, admin_token, scenario_dirs,
           quiet, log_format, journal_size, provider_flags) -> None:
    from sandbox import observe
    from sandbox.app import create_app
    from sandbox.core.runtime import sandbox_of, settle_heap
    from sandbox.core.scenario import ScenarioError
    from sandbox.server import create_server

    # The collector was off while importing (sandbox/__main__.py). What the imports made (modules, classes,
    # schemas) lives as long as the process: frozen, or the first collections would walk all of it (~70 ms);
    # then on while seeding, whose garbage it collects.
    gc.freeze()
    gc.enable()
    providers: dict[str, dict] = {}
    for key, value in provider_flags.items():
        name, _, setting = key.partition("__")
        providers.setdefault(name, {})[setting] = value
    admin_token, made_up = admin_token_for(host, admin_token)
    config = Config(host=host, port=port, scenario=scenario, seed=seed, state_file=state_file, threads=threads,
                    max_body_bytes=max_body_bytes, admin_token=admin_token or None, providers=providers,
                    scenario_dirs=tuple(scenario_dirs), journal_size=journal_size)
    if ready_file:
        Path(ready_file).unlink(missing_ok=True)  # a stale file must not point at a dead server
    try:
        app = create_app(config)
    except ScenarioError as exc:  # every mistake, a line each
        fail("the scenario is refused:\n" + "\n".join(f"  {line}" for line in exc.every()))
    sandbox = sandbox_of(app)
    settle_heap()
    # SIGTERM becomes a normal exit, so state is flushed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server = create_server(app, host=host, port=port, threads=threads, max_body_bytes=max_body_bytes,
                               may_wait=app.may_wait)
    except socket.gaierror:  # no address for the host
        sandbox.close()
        fail(f"cannot listen on {host}: no such host or address (e.g. 127.0.0.1, 0.0.0.0 or localhost)")
    except OSError as exc:
        sandbox.close()
        fail(cannot_listen(host, port, exc))
    # The socket listens from here on: connections queue until run() serves them.
    url = base_url(host, server.effective_port)
    print_banner(sandbox, host, server.effective_port, admin_token if made_up else None)
    observe.configure(log_format, quiet)
    click.echo(f"SANDBOX_URL={url}")
    sys.stdout.flush()
    if ready_file:
        write_atomically(Path(ready_file), url + "\n")
    try:
        server.serve_until_stopped()
    finally:
        sandbox.close()
        if ready_file:
            Path(ready_file).unlink(missing_ok=True)


def fail(message: str) -> None:
    """One line on stderr and exit 1: a newcomer's mistake needs no traceback."""
    click.echo(f"fintech-sandbox: {message}", err=True)
    sys.exit(1)


def cannot_listen(host: str, port: int, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is already in use (choose another with --port, or --port 0 for a free one)"
    if exc.errno == errno.EACCES:
        return f"no permission to listen on port {port} on {host} (ports below 1024 need privileges)"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"cannot listen on {host}: no interface of this machine has that address"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"


def base_url(host: str, port: int) -> str:
    """The URL a client on this machine uses: a wildcard host is reached via loopback."""
    reachable = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(host, host)
    return f"http://[{reachable}]:{port}" if ":" in reachable else f"http://{reachable}:{port}"


def write_atomically(path: Path, text: str) -> None:
    """A reader polling for the file sees it whole or not at all."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_text(text)
    os.replace(partial, path)


def admin_token_for(host: str, given: str | None) -> tuple[str | None, bool]:
    """(the admin token, whether it was made up): on a host beyond loopback
    the global controls are never open to whoever reaches the port."""
    if given or is_loopback(host):
        return given or None, False
    return secrets.token_urlsafe(24), True


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach a server bound to `host`."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: whatever it resolves to, assume others can reach it


def print_banner(sandbox, host: str, port: int, made_up_token: str | None = None) -> None:
    shown_host = "localhost" if host in ("0.0.0.0", "::", "") else host
    base = f"http://{shown_host}:{port}"
    scenario = f"(scenario: {sandbox.scenario.name}, seed: {sandbox.config.seed})"
    lines = [f"fintech-sandbox {__version__} on {base}  {scenario}"]
    for name, provider in sandbox.providers.items():
        clients = "  ".join(f"{base}{provider.api.prefix}{sub}" for sub in provider.client_bases)
        lines.append(f"  {name:<8} {clients}   openapi: {base}{provider.api.prefix}/openapi.json")
        lines.extend(f"           {line}" for line in provider.credentials(sandbox.scenario.sections[name]))
    lines.append(f"  health   {base}/healthz   reset: POST {base}/_sandbox/reset")
    if made_up_token:
        lines.append(f"  admin    the sandbox listens beyond this machine ({host}), so the global controls need "
                     f"`Authorization: Bearer {made_up_token}` (choose your own with --admin-token)")
    elif sandbox.config.admin_token:
        lines.append("  admin    the global controls need `Authorization: Bearer <your --admin-token>`")
    click.echo("\n".join(lines), nl=True)
    sys.stdout.flush()


@main.command(short_help="List the shipped scenarios (or print one).")
@click.argument("name", required=False)
def scenarios(name: str | None) -> None:
    """List the scenarios shipped with the sandbox, which --scenario NAME
    and POST /_sandbox/scenario take by name; with a NAME, print that
    scenario's YAML (a start for your own)."""
    from sandbox.core.scenario import ScenarioError, load_scenario, shipped_scenarios
    from sandbox.providers import PROVIDERS

    if name is None:
        for shipped in shipped_scenarios():
            scenario = load_scenario(shipped, PROVIDERS)
            click.echo(f"{shipped:16} {scenario.description}")
        return
    try:
        click.echo(load_scenario(name, PROVIDERS).text, nl=False)
    except ScenarioError as exc:
        fail(str(exc))


@main.group()
def openapi() -> None:
    """The OpenAPI documents, one per provider."""


@openapi.command("export", short_help="Write openapi/<provider>.json from the code.")
@click.option("--out", default=str(OPENAPI_DIR), type=click.Path(file_okay=False), help="Directory to write to.")
@click.option("--check", is_flag=True, help="Write nothing; fail if a file is stale.")
def openapi_export(out: str, check: bool) -> None:
    """Write openapi/<provider>.json from the code."""
    from sandbox import admin
    from sandbox.core import openapi as docs
    from sandbox.providers import PROVIDERS

    documents = {p.name: p.api.document.as_dict() for p in PROVIDERS} | {"sandbox": admin.api.document.as_dict()}
    documents |= {f"{p.name}.controls": p.controls_document() for p in PROVIDERS}
    if check:
        stale = docs.stale(documents, Path(out))
        if stale:
            raise click.ClickException(f"stale: {', '.join(stale)}; run: fintech-sandbox openapi export")
        click.echo("openapi documents are current")
        return
    for path in docs.export(documents, Path(out)):
        click.echo(f"wrote {path}")


@main.command(short_help="Exit 0 if the local server answers /healthz.")
@click.option("--port", default=DEFAULT_PORT, type=int, envvar=["SANDBOX_PORT", "PORT"], show_envvar=True,
              help="Port of the server on 127.0.0.1 (the same variables as serve reads).")
def healthcheck(port: int) -> None:
    """Exit 0 when the server on 127.0.0.1:PORT answers /healthz, else 1
    (the container image's HEALTHCHECK)."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            click.echo(json.dumps(json.load(response)))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise click.ClickException(f"unhealthy: {exc}") from exc
