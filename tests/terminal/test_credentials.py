"""The token file: where it lives, 0600 from the first byte, replaced atomically."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from notalabel.terminal import credentials
from notalabel.terminal.credentials import Credentials, CredentialsError

SAMPLE = Credentials("embedded", "Dreamy", "access-1", "refresh-1", "device-1", "usr_1")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_path_follows_xdg_config_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert credentials.credentials_path() == tmp_path / "notalabel" / "credentials.json"
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/dir")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    expected = tmp_path / "home" / ".config" / "notalabel" / "credentials.json"
    assert credentials.credentials_path() == expected


def test_saved_file_is_0600_in_a_0700_directory_whatever_the_umask(tmp_path: Path) -> None:
    target = tmp_path / "cfg" / "notalabel" / "credentials.json"
    old = os.umask(0)
    try:
        credentials.save(SAMPLE, target)
    finally:
        os.umask(old)
    assert _mode(target) == 0o600
    assert _mode(target.parent) == 0o700
    assert json.loads(target.read_text())["refreshToken"] == "refresh-1"
    assert credentials.load(target) == SAMPLE


def test_saving_replaces_the_file_rather_than_rewriting_it(tmp_path: Path) -> None:
    target = tmp_path / "credentials.json"
    credentials.save(SAMPLE, target)
    before = target.stat().st_ino
    credentials.save(SAMPLE.with_tokens("access-2", "refresh-2"), target)
    assert target.stat().st_ino != before
    assert credentials.load(target) == SAMPLE.with_tokens("access-2", "refresh-2")
    assert _mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["credentials.json"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "credentials.json"
    credentials.save(SAMPLE, target)

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(credentials.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="No space"):
        credentials.save(SAMPLE.with_tokens("access-2", "refresh-2"), target)
    assert credentials.load(target) == SAMPLE
    assert [p.name for p in tmp_path.iterdir()] == ["credentials.json"]


def test_missing_file_is_none_and_a_broken_one_is_an_error(tmp_path: Path) -> None:
    target = tmp_path / "credentials.json"
    assert credentials.load(target) is None
    assert credentials.delete(target) is False
    target.write_text("{not json")
    with pytest.raises(CredentialsError, match="cannot read"):
        credentials.load(target)
    target.write_text(json.dumps({"server": "embedded", "artistName": "Dreamy"}))
    with pytest.raises(CredentialsError, match="missing its tokens"):
        credentials.load(target)
    assert credentials.delete(target) is True
    assert not target.exists()
