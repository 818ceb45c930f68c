"""The README is a test: every `sh` and `python` block in it runs, in order,
against one fresh server, and what it prints is what the README shows.

One `fintech-sandbox serve --port 0` (the default scenario) stands in for
`make serve`: `127.0.0.1:8080` in a block is its port, port 9000 (the README's
webhook receiver) a free one. Each `sh` block runs with bash
(`set -euo pipefail`) in a scratch directory that holds the repository's
examples/, fixtures/ and .venv, with .venv/bin on PATH; the blocks under one
heading run as one shell session, from the default scenario freshly loaded
and the clock running. `curl` is the real one, told to end each
answer with a new line and to report its status on stderr: an answer of
4xx or 5xx that the README does not show fails the block (an example that
quietly stopped working). Python blocks that hold tests run together as one
pytest session with `-p sandbox`, as the README says to. blocks.py has the
matching rules."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.readme.blocks import RUN, SHOWN, Block, answers, blocks, matches

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
BLOCKS = blocks(README)
VENV_BIN = Path(sys.executable).parent
STATUS = "@@status "
BLOCK_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    """Where a block runs: like the clone's root, but its own."""
    where = tmp_path_factory.mktemp("readme")
    for name in ("examples", "fixtures", "openapi"):
        (where / name).symlink_to(ROOT / name)
    (where / ".venv").symlink_to(Path(sys.prefix))
    bin_dir = where / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "curl"
    wrapper.write_text(f"#!/bin/sh\nexec {shutil.which('curl')} -w '\\n%{{stderr}}{STATUS}%{{http_code}}\\n' \"$@\"\n")
    wrapper.chmod(0o755)
    return where


@pytest.fixture(scope="module")
def server(scratch):
    ready = scratch / "sandbox.url"
    process = subprocess.Popen([sys.executable, "-m", "sandbox", "serve", "--port", "0", "--quiet",
                                "--ready-file", str(ready)], cwd=scratch, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not (ready.exists() and ready.read_text().strip()):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the README's server did not start: {process.stderr.read()}")
        time.sleep(0.05)
    yield ready.read_text().strip()
    process.send_signal(signal.SIGINT)
    process.wait(10)


def post(url: str, body: dict | None = None) -> None:
    request = urllib.request.Request(url, data=json.dumps(body or {}).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=10).read()


def rewritten(text: str, url: str, hooks_port: int) -> str:
    for given in ("http://127.0.0.1:8080", "http://localhost:8080"):
        text = text.replace(given, url)
    return re.sub(r"(?<![\d.])9000(?!\d)", str(hooks_port), text)  # the receiver's port, in any spelling


def run_sh(block: Block, scratch: Path, url: str) -> list[str]:
    """Run one block; what went wrong, in words (nothing: it agrees)."""
    script = rewritten(block.text, url, free_port())
    env = {**os.environ, "PATH": f"{scratch / 'bin'}:{VENV_BIN}:{os.environ['PATH']}"}
    env.pop("SANDBOX_URL", None)
    # a reader's shell: with PYTHONUNBUFFERED (set on some machines) a receiver's print() is several writes,
    # which a curl answer printed at the same moment can split; buffered, `flush=True` writes each line whole
    env.pop("PYTHONUNBUFFERED", None)
    output_file = scratch / "output.txt"
    with output_file.open("w") as output:
        process = subprocess.Popen(["bash", "--noprofile", "--norc", "-c", "set -euo pipefail\n" + script],
                                   cwd=scratch, env=env, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            status = process.wait(BLOCK_TIMEOUT)
        except subprocess.TimeoutExpired:
            status = "timed out"
        finally:
            try:  # its receivers and servers in the background go with it
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    printed = output_file.read_text()
    problems = [] if status == 0 else [f"exit status {status}"]
    problems += compare(answers(script), printed)
    if problems:
        problems.append("it printed:\n" + printed[-6000:])
    return problems


def compare(shown: list[str], printed: str) -> list[str]:
    lines = [line.strip() for line in printed.splitlines()]
    used: set[int] = set()
    problems, cursor = [], 0
    for answer in shown:
        candidates = [i for i in range(cursor, len(lines)) if i not in used] + \
                     [i for i in range(cursor) if i not in used]  # a receiver's lines may come a little later
        hit = next((i for i in candidates if lines[i] and not lines[i].startswith(STATUS)
                    and matches(answer, lines[i])), None)
        if hit is None:
            problems.append(f"the README shows {answer.replace(chr(0), ' ')!r}: nothing printed matches it")
        else:
            used.add(hit)
            cursor = max(cursor, hit + 1)
    since = []  # the lines an answer printed before its status
    for index, line in enumerate(lines):
        if not line.startswith(STATUS):
            since.append(index)
            continue
        code = line[len(STATUS):]
        if code.startswith(("4", "5")) and not used.intersection(since):
            answer = " ".join(lines[i] for i in since if lines[i])[:300]
            problems.append(f"a call answered {code} that the README does not show: {answer!r}")
        since = []
    return problems


SH_BLOCKS = [b for b in BLOCKS if b.lang == "sh" and b.not_run is None]
TEST_BLOCKS = [b for b in BLOCKS if b.lang == "python" and b.not_run is None and "def test_" in b.text]
SCRIPT_BLOCKS = [b for b in BLOCKS if b.lang == "python" and b.not_run is None and "def test_" not in b.text]


def test_every_block_runs_or_says_why():
    problems = []
    for block in BLOCKS:
        if block.lang not in RUN + SHOWN:
            problems.append(f"{block}: a fence says its language: one of {RUN + SHOWN}, not {block.lang!r}")
        elif block.not_run == "":
            problems.append(f"{block}: `<!-- not run: -->` gives no reason")
        elif block.not_run is not None and block.lang not in RUN:
            problems.append(f"{block}: only a runnable block ({', '.join(RUN)}) is marked not run")
    assert not problems, "\n".join(problems)
    assert len(SH_BLOCKS) >= 10 and TEST_BLOCKS  # the README's walkthroughs are found and run


def sections(runnable: list[Block]) -> list[Block]:
    """The `sh` blocks of one part of the README as one shell session (a
    reader runs them in the same shell: later ones use its variables)."""
    joined: list[Block] = []
    for block in runnable:
        if joined and block.lang == "sh" and joined[-1].lang == "sh" and joined[-1].section == block.section:
            joined[-1] = Block(joined[-1].line, "sh", joined[-1].text + "\n" + block.text, block.section)
        else:
            joined.append(block)
    return joined


def test_the_readme_commands_print_what_it_shows(scratch, server):
    failures = []
    for block in sections([b for b in BLOCKS if b in SH_BLOCKS or b in SCRIPT_BLOCKS]):
        # each part starts from the default scenario as loaded (one part loads another), the clock running
        post(f"{server}/_sandbox/clock", {"freeze": False})
        post(f"{server}/_sandbox/scenario", {"name": "default"})
        if block.lang == "sh":
            problems = run_sh(block, scratch, server)
        else:
            script = rewritten(block.text, server, free_port())
            done = subprocess.run([sys.executable, "-c", script], cwd=scratch, check=False, capture_output=True,
                                  text=True, env={**os.environ, "SANDBOX_URL": server}, timeout=BLOCK_TIMEOUT)
            problems = [] if done.returncode == 0 else [done.stdout + done.stderr]
        failures += [f"{block}: {problem}" for problem in problems]
    assert not failures, "\n\n".join(failures)


def test_the_readme_tests_pass_with_the_plugin(scratch):
    """Its pytest examples, each a file, in one session of the plugin."""
    suite = scratch / "readme_tests"
    suite.mkdir()
    for block in TEST_BLOCKS:
        (suite / f"test_readme_line_{block.line}.py").write_text(block.text)
    report = scratch / "report.xml"
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "sandbox", "-q", "-p", "no:cacheprovider",
                           f"--junitxml={report}", str(suite)], cwd=scratch, check=False, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-8000:] + done.stderr[-2000:]
    ran = report.read_text().count("<testcase ")
    assert ran >= len(TEST_BLOCKS), f"{ran} tests ran from {len(TEST_BLOCKS)} blocks"


def _anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_the_contents_list_every_part_and_every_link_in_the_readme_lands_on_a_heading():
    text = README.read_text()
    headings = re.findall(r"^#{2,4} (.+)$", text, flags=re.MULTILINE)
    anchors = {_anchor(h) for h in headings}
    links = re.findall(r"\]\(#([^)]+)\)", text)
    assert links and not [link for link in links if link not in anchors]
    contents = next(line for line in text.splitlines() if line.startswith("**Contents:**"))
    parts = [_anchor(h) for h in re.findall(r"^## (.+)$", text, flags=re.MULTILINE)]
    assert re.findall(r"\]\(#([^)]+)\)", contents) == parts
