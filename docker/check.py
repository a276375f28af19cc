"""CI's stand-in for `docker compose build` where no Docker engine runs (as on these machines).

1. Reads docker/compose.yaml and checks what the deployment relies on: PostgreSQL, Redis, a
   migration job that runs once before the API, two API replicas with health checks behind one
   published port, and a JWT secret that must be given.
2. Runs the Dockerfile's own RUN commands that build the application (the virtualenv and the
   two pip installs from docker/requirements.lock, the runtime dependencies at the versions of
   the main lock, which is checked too) in a scratch copy of the build context, then
   imports the app and runs `notalabel --help` from the result; checks the image ends as a
   non-root user.

    python3 docker/check.py            # exit 0 when both hold
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

DOCKER = Path(__file__).resolve().parent
ROOT = DOCKER.parent
VENV = "/opt/venv"


def compose_problems(compose: dict[str, Any]) -> list[str]:
    """What the compose file lacks, in words."""
    services: dict[str, Any] = compose.get("services", {})
    problems = [f"no {name} service" for name in ("postgres", "redis", "migrate", "api", "proxy")
                if name not in services]  # fmt: skip
    if problems:
        return problems
    for name in ("postgres", "redis", "api", "proxy"):
        if "healthcheck" not in services[name]:
            problems.append(f"{name} has no health check")
    api, migrate, proxy = services["api"], services["migrate"], services["proxy"]
    if api.get("deploy", {}).get("replicas") != 2:
        problems.append("api should run two replicas")
    if "ports" in api:
        problems.append("api replicas must not publish ports (the proxy is the one way in)")
    if api.get("depends_on", {}).get("migrate", {}).get("condition") != (
        "service_completed_successfully"
    ):
        problems.append("api must wait for the migration job to finish")
    for needed in ("postgres", "redis"):
        if migrate.get("depends_on", {}).get(needed, {}).get("condition") != "service_healthy":
            problems.append(f"migrate must wait for a healthy {needed}")
    if migrate.get("command") != ["notalabel", "db", "upgrade"]:
        problems.append("migrate should run `notalabel db upgrade`")
    if len(proxy.get("ports", [])) != 1:
        problems.append("the proxy should publish exactly one port")
    for mount in proxy.get("volumes", []):
        source = mount.split(":", 1)[0]
        if not (DOCKER / source).exists():
            problems.append(f"the proxy mounts {source}, which is missing")
    for name in ("NAL_JWT_SECRET", "NAL_VOICEPRINT_KEY"):
        secret = str(api.get("environment", {}).get(name, ""))
        if ":?" not in secret:
            problems.append(f"{name} must be required (${{{name}:?...}})")
    return problems


def pins(lock: str) -> dict[str, str]:
    """name -> version of every `name==version` line of a lock file."""
    found = re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", lock, flags=re.MULTILINE)
    return {name.lower(): version for name, version in found}


def lock_problems() -> list[str]:
    """The image's runtime lock must pin what the main lock pins, at the same versions."""
    image = pins((DOCKER / "requirements.lock").read_text())
    main = pins((ROOT / "requirements.lock").read_text())
    return [
        f"docker/requirements.lock has {name}=={version}, requirements.lock "
        f"{main.get(name, 'nothing')} (uv pip compile pyproject.toml -c requirements.lock "
        "--generate-hashes --python-version 3.11 -o docker/requirements.lock)"
        for name, version in sorted(image.items())
        if main.get(name) != version
    ]


def build_steps(dockerfile: str) -> tuple[list[str], str | None]:
    """The RUN commands that build the application, and the final USER."""
    lines = dockerfile.replace("\\\n", " ").splitlines()
    runs = [line[4:].strip() for line in lines if line.startswith("RUN ")]
    users = [line[5:].strip() for line in lines if line.startswith("USER ")]
    building = [run for run in runs if VENV in run or "pip install" in run]
    return building, users[-1] if users else None


def build_like_the_image(steps: list[str]) -> None:
    """Run `steps` in a scratch copy of the build context, the venv in a scratch folder."""
    with tempfile.TemporaryDirectory(prefix="nal-image-") as scratch:
        context = Path(scratch) / "app"
        context.mkdir()
        shutil.copy(DOCKER / "requirements.lock", context / "requirements.lock")
        for name in ("pyproject.toml", "README.md", "requirements-model.lock"):
            shutil.copy(ROOT / name, context / name)
        shutil.copytree(
            ROOT / "src",
            context / "src",
            ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"),
        )
        venv = Path(scratch) / "venv"
        for step in steps:
            command = step.replace(VENV, str(venv)).replace(
                "python -m venv", f"{sys.executable} -m venv"
            )
            print(f"$ {command}", flush=True)
            subprocess.run(command, shell=True, cwd=context, check=True)
        python = venv / "bin" / "python"
        subprocess.run([str(python), "-c", "import notalabel.app"], check=True, cwd=scratch)
        subprocess.run([str(venv / "bin" / "notalabel"), "--help"], check=True, cwd=scratch,
                       stdout=subprocess.DEVNULL)  # fmt: skip


def main() -> int:
    """Check the compose file and build the image's contents; 1 on any problem."""
    compose = yaml.safe_load((DOCKER / "compose.yaml").read_text())
    problems = compose_problems(compose) + lock_problems()
    steps, user = build_steps((DOCKER / "Dockerfile").read_text())
    if user in (None, "root", "0"):
        problems.append("the image must end with a non-root USER")
    if not any(re.search(r"pip install --require-hashes -r requirements\.lock", s) for s in steps):
        problems.append("the image must install from requirements.lock with --require-hashes")
    if problems:
        print("\n".join(f"docker: {p}" for p in problems), file=sys.stderr)
        return 1
    print("compose file: ok", flush=True)
    build_like_the_image(steps)
    print("image contents: built and importable", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
