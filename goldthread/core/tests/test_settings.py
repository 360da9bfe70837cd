"""Settings come from the environment and fail loudly when something required is missing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from goldthread.env import ImproperlyConfiguredEnv, env_bool, env_list, env_str

ROOT = Path(__file__).resolve().parents[3]


def _import_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL")}
    clean.pop("GOLDTHREAD_MODE", None)
    return subprocess.run(
        [sys.executable, "-c", "import goldthread.settings"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _import_settings(GOLDTHREAD_MODE="production", DATABASE_URL="sqlite:///x.db")

    assert result.returncode != 0
    assert "The environment variable SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_a_database_url():
    result = _import_settings(GOLDTHREAD_MODE="production", SECRET_KEY="s" * 50)

    assert result.returncode != 0
    assert "The environment variable DATABASE_URL must be set" in result.stderr


def test_production_is_the_default_mode():
    result = _import_settings()

    assert "SECRET_KEY must be set" in result.stderr


def test_production_starts_with_both_set(tmp_path):
    result = _import_settings(
        GOLDTHREAD_MODE="production",
        SECRET_KEY="s" * 50,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )

    assert result.returncode == 0, result.stderr


def test_an_unknown_mode_is_refused():
    result = _import_settings(GOLDTHREAD_MODE="staging")

    assert "GOLDTHREAD_MODE must be production, demo or test, not 'staging'" in result.stderr


def test_a_malformed_debug_flag_is_refused():
    result = _import_settings(GOLDTHREAD_MODE="test", DEBUG="maybe")

    assert "DEBUG must be true or false, not 'maybe'" in result.stderr


def test_env_str_fails_loudly_when_a_required_value_is_missing(monkeypatch):
    monkeypatch.delenv("GT_TEST_VALUE", raising=False)

    with pytest.raises(ImproperlyConfiguredEnv, match="GT_TEST_VALUE must be set"):
        env_str("GT_TEST_VALUE", required=True)


def test_env_str_treats_empty_as_missing(monkeypatch):
    monkeypatch.setenv("GT_TEST_VALUE", "")

    assert env_str("GT_TEST_VALUE", "fallback") == "fallback"
    with pytest.raises(ImproperlyConfiguredEnv):
        env_str("GT_TEST_VALUE", required=True)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        *[("1", True), ("true", True), (" Yes ", True), ("ON", True)],
        *[("0", False), ("false", False), ("no", False), ("off", False), ("", False)],
    ],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("GT_TEST_FLAG", raw)

    assert env_bool("GT_TEST_FLAG", default=not expected) is expected


@pytest.mark.parametrize("raw", ["maybe", "2", "truee"])
def test_env_bool_refuses_anything_else(monkeypatch, raw):
    monkeypatch.setenv("GT_TEST_FLAG", raw)

    with pytest.raises(ImproperlyConfiguredEnv, match="GT_TEST_FLAG must be true or false"):
        env_bool("GT_TEST_FLAG")


def test_env_bool_uses_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("GT_TEST_FLAG", raising=False)

    assert env_bool("GT_TEST_FLAG", default=True) is True


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("a,b", ["a", "b"]), (" a , ,b ", ["a", "b"]), ("", []), ("one", ["one"])],
)
def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch, raw, expected):
    monkeypatch.setenv("GT_TEST_LIST", raw)

    assert env_list("GT_TEST_LIST") == expected


def test_env_list_uses_a_copy_of_the_default(monkeypatch):
    monkeypatch.delenv("GT_TEST_LIST", raising=False)
    default = ["x"]

    result = env_list("GT_TEST_LIST", default)
    result.append("y")

    assert default == ["x"]
