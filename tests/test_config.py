"""Settings: the environment, the secret key and database URLs."""

import stat

import pytest

from kindness import create_app
from kindness.config import instance_secret_key, normalise_database_url


def test_secret_key_is_made_once_and_kept_private(tmp_path):
    first = instance_secret_key(str(tmp_path))
    second = instance_secret_key(str(tmp_path))
    assert first == second
    assert len(first) == 64
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600
    assert instance_secret_key(str(tmp_path / "other")) != first


def test_environment_overrides_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.internal/kindness")
    monkeypatch.setenv("KINDNESS_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    app = create_app()
    assert app.config["DATABASE_URL"] == "postgresql+psycopg://u@db.internal/kindness"
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("KINDNESS_DATABASE_URL", raising=False)
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["DATABASE_URL"] == f"sqlite:///{app.instance_path}/kindness.sqlite3"
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_normalise_database_url():
    assert normalise_database_url("postgresql://a@b/c") == "postgresql+psycopg://a@b/c"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"
    assert normalise_database_url("postgresql+psycopg://a@b/c") == "postgresql+psycopg://a@b/c"


def test_a_read_replica_is_set_in_the_environment(monkeypatch):
    monkeypatch.setenv("KINDNESS_DATABASE_REPLICA_URL", "postgres://u@replica.internal/kindness")
    monkeypatch.setenv("KINDNESS_READ_YOUR_WRITES_SECONDS", "30")
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["DATABASE_REPLICA_URL"] == "postgresql+psycopg://u@replica.internal/kindness"
    assert app.config["READ_YOUR_WRITES_SECONDS"] == 30
    db = app.extensions["kindness.db"]
    assert db.has_replica and db.replica_engine.url.host == "replica.internal"


def test_no_read_replica_by_default_nor_for_an_empty_setting(monkeypatch):
    monkeypatch.setenv("KINDNESS_DATABASE_REPLICA_URL", " ")
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["DATABASE_REPLICA_URL"] is None
    assert not app.extensions["kindness.db"].has_replica


@pytest.mark.parametrize("value", ["-1", "soon", "1.5", True])
def test_the_read_your_writes_window_is_whole_seconds(value):
    with pytest.raises(ValueError, match="READ_YOUR_WRITES_SECONDS"):
        create_app({"SECRET_KEY": "x", "READ_YOUR_WRITES_SECONDS": value})


@pytest.mark.parametrize("value", ["0", "-1", "big", "1.5", True])
def test_the_data_export_cap_is_whole_bytes(value):
    with pytest.raises(ValueError, match="DATA_EXPORT_MAX_BYTES"):
        create_app({"SECRET_KEY": "x", "DATA_EXPORT_MAX_BYTES": value})


def test_the_data_export_cap_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("KINDNESS_DATA_EXPORT_MAX_BYTES", "1000")
    assert create_app({"SECRET_KEY": "x"}).config["DATA_EXPORT_MAX_BYTES"] == 1000
