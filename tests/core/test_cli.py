"""The `fintech-sandbox` command as a newcomer meets it: its --help, a port
already taken, --port 0 and --ready-file, every serve flag as a SANDBOX_*
variable. Each test runs the real command in a subprocess."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import click
import pytest

from sandbox import cli
from sandbox.cli import main, serve
from sandbox.config import Config
from tests.server import ROOT, Server


def run_cli(*args: str, env: dict | None = None, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sandbox", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "COLUMNS": "80", **(env or {})}, check=False)


def commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from commands(command, (*prefix, name))


def test_a_port_already_in_use_is_one_line_and_a_failure():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--host", "127.0.0.1", "--port", str(port))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        (f"fintech-sandbox: port {port} on 127.0.0.1 is already in use "
         "(choose another with --port, or --port 0 for a free one)")]


def test_port_0_prints_a_machine_readable_url_that_answers():
    with Server() as server:  # Server starts `serve --port 0`
        urls = [line for line in server.banner if line.startswith("SANDBOX_URL=")]
        assert urls == [f"SANDBOX_URL={server.url}"]
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.url) and not server.url.endswith(":0")
        assert server.request("GET", "/healthz")[0] == 200


def test_ready_file_holds_the_url_while_serving_and_is_gone_after(tmp_path):
    ready = tmp_path / "sandbox.url"
    ready.write_text("http://127.0.0.1:1\n")  # a stale file from an earlier run
    process = subprocess.Popen([sys.executable, "-m", "sandbox", "serve", "--port", "0", "--ready-file", str(ready)],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while not (ready.exists() and ready.read_text() != "http://127.0.0.1:1\n"):
            assert time.monotonic() < deadline and process.poll() is None, "no ready file"
            time.sleep(0.02)
        url = ready.read_text()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+\n", url)
        # the file appears only once the server listens: the first request is answered
        with urllib.request.urlopen(url.strip() + "/healthz", timeout=10) as response:
            assert response.status == 200
        process.terminate()
        assert process.wait(10) == 0
    finally:
        if process.poll() is None:
            process.kill()
    assert not ready.exists()


def test_ready_file_from_the_environment(tmp_path):
    ready = tmp_path / "url"
    with Server(env={**os.environ, "SANDBOX_READY_FILE": str(ready)}) as server:
        assert ready.read_text() == server.url + "\n"


def test_every_serve_flag_is_also_a_sandbox_variable_listed_in_the_readme_and_dockerfile():
    readme = (ROOT / "README.md").read_text()
    dockerfile = (ROOT / "Dockerfile").read_text()
    options = [p for p in serve.params if isinstance(p, click.Option) and p.name != "help"]
    assert len(options) >= 9
    for option in options:
        envvars = [option.envvar] if isinstance(option.envvar, str) else list(option.envvar or [])
        assert envvars and envvars[0].startswith("SANDBOX_"), option.opts
        assert f"`{envvars[0]}`" in readme, envvars[0]
        assert envvars[0] in dockerfile, envvars[0]


def test_every_help_text_is_whole():
    """Every command and option explained, nothing cut off with '...'."""
    for path, command in [((), main), *commands(main)]:
        result = run_cli(*path, "--help")
        assert result.returncode == 0, result.stderr
        assert "..." not in result.stdout.replace("[OPTIONS]...", "").replace("[ARGS]...", ""), path
        assert command.help and command.help.rstrip().endswith("."), path
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert param.help and param.help.rstrip().endswith("."), (path, param.opts)


@pytest.mark.parametrize("host,made_up", [("127.0.0.1", False), ("localhost", False), ("::1", False),
                                          ("127.0.0.53", False), ("0.0.0.0", True), ("::", True),
                                          ("192.168.1.10", True), ("sandbox.internal", True)])
def test_beyond_loopback_the_global_controls_get_a_made_up_token(host, made_up):
    token, was_made_up = cli.admin_token_for(host, None)
    assert was_made_up is made_up and (token is not None) is made_up
    assert token is None or len(token) >= 32
    assert cli.admin_token_for(host, "mine") == ("mine", False)  # one given is always kept


def test_the_banner_says_which_token_guards_the_controls(capsys):
    from sandbox.app import create_app
    from sandbox.core.runtime import sandbox_of

    sandbox = sandbox_of(create_app(Config(host="0.0.0.0", admin_token="made-up-token-xyz")))
    cli.print_banner(sandbox, "0.0.0.0", 8080, "made-up-token-xyz")
    assert "Authorization: Bearer made-up-token-xyz" in capsys.readouterr().out
    sandbox.close()


def test_the_banner_gives_each_clients_base_url(capsys):
    """Where a client's base URL points: Weavr's Multi API and its simulator, each its own base."""
    from sandbox.app import create_app
    from sandbox.core.runtime import sandbox_of

    sandbox = sandbox_of(create_app(Config()))
    cli.print_banner(sandbox, "127.0.0.1", 8080)
    lines = {line.split()[0]: line.split() for line in capsys.readouterr().out.splitlines()
             if line.split() and line.split()[0] in sandbox.providers}
    assert lines["weavr"][1:3] == ["http://127.0.0.1:8080/weavr/multi", "http://127.0.0.1:8080/weavr/simulate/api"]
    assert lines["ibanera"][1] == "http://127.0.0.1:8080/ibanera"
    sandbox.close()


@pytest.mark.parametrize("after", [0.3, 0.8, 3.0])  # from when our code runs (not the interpreter's own start)
def test_ctrl_c_at_any_moment_is_a_clean_stop(after):
    import signal

    process = subprocess.Popen([sys.executable, "-m", "sandbox", "serve", "--port", "0"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(after)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 0 and "Traceback" not in err and "Aborted" not in err, err


def test_an_unknown_host_is_one_line():
    result = subprocess.run([sys.executable, "-m", "sandbox", "serve", "--host", "no-such-host.invalid", "--port",
                             "0"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        ("fintech-sandbox: cannot listen on no-such-host.invalid: no such host or address "
         "(e.g. 127.0.0.1, 0.0.0.0 or localhost)")]


def test_every_mistake_of_a_scenario_is_listed_at_once(tmp_path):
    bad = tmp_path / "two.yaml"
    bad.write_text("ibanera:\n  managers:\n    - username: not-an-email\n      password: p\n"
                   "      totp_secret: 3S3QY26KJEEBY4FPBER5NCOMBZQMT3N4\n"
                   "p100:\n  api_keys:\n    - api_key: k\n      users:\n        - external_user_id: a\n"
                   "          verified: maybe\n")
    result = subprocess.run([sys.executable, "-m", "sandbox", "serve", "--scenario", str(bad), "--port", "0"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "fintech-sandbox: the scenario is refused:",
        f"  {bad}:3: ibanera.managers[0].username: Not a valid email address.",
        f"  {bad}:11: p100.api_keys[0].users[0].verified: Not a valid boolean."]
