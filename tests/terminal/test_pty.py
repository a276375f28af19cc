"""`notalabel join`, `me` and `logout` typed into a pseudo-terminal, as a person would."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pexpect

from tests.passkeys.browser import free_port, running_app

NOTALABEL = str(Path(sys.executable).with_name("notalabel"))
TIMEOUT = 60  # the first embedded start runs every migration
CODE = re.compile(r"[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}")
LINK = re.compile(r"\x1b\]8;[^;]*;https://strudel\.cc/#[A-Za-z0-9%_-]+\x1b\\")


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NAL_")}
    env.update(
        NAL_DATA_DIR=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        NAL_RATE_LIMIT_ENABLED="false",
        NAL_JWT_SECRET="terminal-test-secret-" + "x" * 32,
        NAL_LOG_LEVEL="WARNING",
        TERM="xterm-256color",
    )
    env.pop("NO_COLOR", None)
    return env


def _spawn(tmp_path: Path, *args: str) -> pexpect.spawn:
    return pexpect.spawn(
        NOTALABEL,
        list(args),
        env=_env(tmp_path),
        cwd=str(tmp_path),
        timeout=TIMEOUT,
        encoding="utf-8",
        dimensions=(60, 200),
    )


def _answer(child: pexpect.spawn, expected: str, text: str) -> None:
    """Wait for the question, then for the input prompt, then type the answer."""
    child.expect_exact(expected)
    child.expect_exact("› ")
    child.sendline(text)


def _finish(child: pexpect.spawn) -> str:
    child.expect(pexpect.EOF)
    child.close()
    return str(child.before)


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [NOTALABEL, *args],
        env=_env(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def _credentials(tmp_path: Path) -> Path:
    return tmp_path / "config" / "notalabel" / "credentials.json"


def _signed_up(child: pexpect.spawn) -> str:
    """Expect the end of a join: the codes once, the saved sign-in, the profile."""
    child.expect_exact("recovery codes")
    child.expect(CODE)
    child.expect_exact("never shown again")
    child.expect_exact("Signed in as")
    child.expect_exact("signature pattern")
    child.expect(LINK)
    child.expect_exact("1 patterns")
    return _finish(child)


def test_join_me_logout_on_the_embedded_service(tmp_path: Path) -> None:
    child = _spawn(tmp_path, "join")
    child.expect_exact("Describe the music you love")
    child.expect_exact("› ")
    child.sendline("")  # an empty line asks again
    child.expect_exact("› ")
    child.sendline("dark techno for the gym")
    child.expect(LINK)
    _answer(child, "How does this feel?", "more bass")
    _answer(child, "I pushed the bass forward", "love it")
    _answer(child, "What should I call you", "Night Shift")
    _answer(child, "(yes / no)", "yes")
    _signed_up(child)
    assert child.exitstatus == 0

    path = _credentials(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert '"server": "embedded"' in path.read_text()

    me = _run(tmp_path, "me")
    assert me.returncode == 0, me.stderr
    assert me.stdout.splitlines()[0] == "Night Shift"
    # off a terminal the link is printed as a plain URL to copy
    assert "https://strudel.cc/#" in me.stdout

    out = _run(tmp_path, "logout")
    assert out.returncode == 0, out.stderr
    assert "Signed out Night Shift" in out.stdout
    assert not path.exists()
    after = _run(tmp_path, "me")
    assert after.returncode == 1
    assert after.stderr.strip() == (
        "notalabel: not signed in: run `notalabel join` to create your artist account"
    )


def test_ctrl_c_leaves_with_one_line_and_code_130(tmp_path: Path) -> None:
    child = _spawn(tmp_path, "join")
    child.expect_exact("Describe the music you love")
    child.expect_exact("› ")
    child.sendintr()
    rest = _finish(child)
    assert child.exitstatus == 130
    assert "interrupted: no account was created" in rest
    assert "Traceback" not in rest
    assert not _credentials(tmp_path).exists()


def _first_account(base: str, name: str) -> None:
    with httpx.Client(base_url=base, timeout=30) as http:
        session = http.post("/api/auth/musical-identity/start").json()["sessionId"]
        for text in ("chill lo-fi beats for studying", "love it", name, "yes"):
            answer = http.post(
                "/api/auth/musical-identity/process", json={"sessionId": session, "input": text}
            )
            assert answer.status_code == 200, answer.text
        assert answer.json()["nextStep"] == "completed"


def test_join_against_a_server_where_the_name_is_taken(tmp_path: Path) -> None:
    server_dir = tmp_path / "server"
    server_dir.mkdir()
    with running_app(server_dir, free_port()) as base:
        _first_account(base, "Dreamy")
        child = _spawn(tmp_path, "join", "--server", base)
        _answer(child, "Describe the music you love", "dreamy ambient for late nights")
        _answer(child, "How does this feel?", "love it")
        _answer(child, "What should I call you", "Dreamy")
        child.expect_exact('"Dreamy" is taken')
        child.expect(r"  1\. (?:\x1b\[[0-9;]*m)*([^\x1b\r\n]+)")
        suggestion = child.match.group(1).strip()
        child.expect_exact("› ")
        child.sendline("1")
        child.expect_exact(f'"{suggestion}" is available')
        _answer(child, "(yes / no)", "yes")
        _signed_up(child)
        assert child.exitstatus == 0
        assert f'"server": "{base}"' in _credentials(tmp_path).read_text()

        # `me` goes to the saved server without being told
        me = _run(tmp_path, "me")
        assert me.returncode == 0, me.stderr
        assert me.stdout.splitlines()[0] == suggestion
        elsewhere = _run(tmp_path, "me", "--server", "http://127.0.0.1:9")
        assert elsewhere.returncode == 1
        assert f"signed in at {base}" in elsewhere.stderr
        assert _run(tmp_path, "logout").returncode == 0
        assert not _credentials(tmp_path).exists()
