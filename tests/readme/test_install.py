"""The README's install lines work as written, in a fresh venv outside the
clone: the wheel `make dist` builds, the clone's path with the `pytest`
extra, and a Git URL. From there the command serves a shipped scenario by
name and the pytest plugin runs a test.

Only the first step reaches the configured index (pip's cache, or a local
mirror where there is one): it gathers the dependencies' wheels, the
sandbox's own wheel (`pip wheel --no-deps`, as `make dist`) and hatchling,
which building from source needs. Every install after it is `--no-index`
from that folder, with the constraints."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONSTRAINTS = ROOT / "constraints.txt"


def run(*command, cwd: Path, env: dict | None = None, timeout: float = 180) -> str:
    done = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
    assert done.returncode == 0, f"{' '.join(map(str, command))}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def offline_env() -> dict:
    """pip with no configuration of this machine's: nothing but the wheelhouse."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    return {**env, "PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def serves_a_shipped_scenario(venv_bin: Path, where: Path) -> None:
    ready = where / "sandbox.url"
    server = subprocess.Popen([venv_bin / "fintech-sandbox", "serve", "--port", "0", "--quiet", "--scenario",
                               "kyc-edge-cases", "--ready-file", ready], cwd=where, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not (ready.exists() and ready.read_text().strip()):
            assert server.poll() is None and time.monotonic() < deadline, server.stderr.read()
            time.sleep(0.05)
        url = ready.read_text().strip()
        health = json.loads(urllib.request.urlopen(f"{url}/healthz", timeout=10).read())
        assert health["scenario"] == "kyc-edge-cases"
        load = urllib.request.Request(f"{url}/_sandbox/scenario", data=b'{"name": "default"}', method="POST",
                                      headers={"Content-Type": "application/json"})
        assert json.loads(urllib.request.urlopen(load, timeout=10).read())["name"] == "default"
    finally:
        server.terminate()
        server.wait(10)


PLUGIN_TEST = '''
def test_the_plugin_serves_from_the_installed_package(sandbox, ibanera_client):
    assert sandbox.url.startswith("http://127.0.0.1:")
    answer = ibanera_client.get("/api/v1/customer/managees/list")
    assert answer.status_code == 200 and answer.json()["status"] == "1"
'''


def test_the_install_lines_work_in_a_fresh_venv_outside_the_clone(tmp_path):
    wheels = tmp_path / "wheels"
    run(sys.executable, "-m", "pip", "wheel", "-q", "-w", wheels, "-c", CONSTRAINTS, f"{ROOT}[pytest]", "hatchling",
        cwd=tmp_path)
    wheel = next(wheels.glob("fintech_sandbox-*-py3-none-any.whl"))
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    venv_bin = venv / "bin"
    pip = (sys.executable, "-m", "pip", "--python", venv_bin / "python", "install", "-q", "--no-index",
           "--find-links", wheels, "-c", CONSTRAINTS)
    outside = tmp_path / "project"
    outside.mkdir()
    env = offline_env()

    # 1. The wheel, with the plugin's extra: the command, a shipped scenario by name, the plugin
    run(*pip, f"{wheel}[pytest]", cwd=outside, env=env)
    where = run(venv_bin / "python", "-c", "import sandbox; print(sandbox.__file__)", cwd=outside)
    assert str(ROOT) not in where and str(venv) in where
    assert "kyc-edge-cases" in run(venv_bin / "fintech-sandbox", "scenarios", cwd=outside)
    serves_a_shipped_scenario(venv_bin, outside)
    (outside / "test_partner.py").write_text(PLUGIN_TEST)
    assert "1 passed" in run(venv_bin / "python", "-m", "pytest", "-p", "sandbox", "-q", "-p", "no:cacheprovider",
                             outside, cwd=outside)

    # 2. The clone's path with the extra, as the README writes it (from the folder above the clone)
    uninstall = (*pip[:5], "uninstall", "-y", "fintech-sandbox")  # pip --python <venv> uninstall
    run(*uninstall, cwd=outside)
    run(*pip, f"./{ROOT.name}[pytest]", cwd=ROOT.parent, env=env)
    assert "kyc-edge-cases" in run(venv_bin / "fintech-sandbox", "scenarios", cwd=outside)

    # 3. A Git URL (git+file://localhost/<clone> here; any Git host's URL is the same form): the committed HEAD.
    #    (pip before 24 refuses git+file:///<path>, with no host, in a `name @ url` requirement.)
    run(*uninstall, cwd=outside)
    run(*pip, f"fintech-sandbox[pytest] @ git+file://localhost{ROOT}", cwd=outside, env=env)
    assert "kyc-edge-cases" in run(venv_bin / "fintech-sandbox", "scenarios", cwd=outside)
