from pathlib import Path

import pytest

from contest.config import Settings
from contest.errors import ConfigError


def test_defaults_put_sqlite_and_a_secret_key_in_the_instance_folder(tmp_path: Path) -> None:
    settings = Settings.load({"CONTEST_INSTANCE_PATH": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'contest.db'}"
    assert (tmp_path / "secret_key").read_text().strip() == settings.secret_key
    assert Settings.load({"CONTEST_INSTANCE_PATH": str(tmp_path)}).secret_key == settings.secret_key


def test_environment_overrides_the_instance_config_file(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('base_url = "https://file.example"\n'
                                          'default_language = "ru"\n')
    settings = Settings.load({"CONTEST_INSTANCE_PATH": str(tmp_path),
                              "CONTEST_BASE_URL": "https://env.example/"})
    assert settings.base_url == "https://env.example"
    assert settings.default_language == "ru"


def test_plain_postgresql_urls_use_the_psycopg_driver(tmp_path: Path) -> None:
    settings = Settings.load({"CONTEST_INSTANCE_PATH": str(tmp_path),
                              "CONTEST_DATABASE_URL": "postgresql://u@localhost/contest"})
    assert settings.database_url == "postgresql+psycopg://u@localhost/contest"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("CONTEST_DATABASE_URL", "mysql://x", "CONTEST_DATABASE_URL must start with"),
        ("CONTEST_DEFAULT_LANGUAGE", "de", "CONTEST_DEFAULT_LANGUAGE must be one of en, ru"),
        ("CONTEST_SECRET_KEY", "short", "CONTEST_SECRET_KEY must be at least 16 characters"),
        ("CONTEST_MAX_UPLOAD_MB", "lots", "CONTEST_MAX_UPLOAD_MB must be a whole number"),
        ("CONTEST_BASE_URL", "example.com", "CONTEST_BASE_URL must start with http"),
        ("CONTEST_DATABSE_URL", "sqlite://", "unknown setting CONTEST_DATABSE_URL"),
    ],
)
def test_a_wrong_value_names_the_variable(
    tmp_path: Path, variable: str, value: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.load({"CONTEST_INSTANCE_PATH": str(tmp_path), variable: value})


def test_broken_config_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("base_url = \n")
    with pytest.raises(ConfigError, match="config.toml is not valid TOML"):
        Settings.load({"CONTEST_INSTANCE_PATH": str(tmp_path)})


def test_secrets_may_come_from_files(tmp_path: Path) -> None:
    (tmp_path / "secret").write_text("a secret from a mounted file\n")
    settings = Settings.load({"CONTEST_INSTANCE_PATH": str(tmp_path / "instance"),
                              "CONTEST_SECRET_KEY_FILE": str(tmp_path / "secret"),
                              "CONTEST_LOG_SIGNING_KEY_FILE": str(tmp_path / "log-key")})
    assert settings.secret_key == "a secret from a mounted file"
    assert settings.log_signing_key_file == tmp_path / "log-key"
    with pytest.raises(ConfigError, match="CONTEST_SECRET_KEY_FILE cannot be read"):
        Settings.load({"CONTEST_INSTANCE_PATH": str(tmp_path / "instance"),
                       "CONTEST_SECRET_KEY_FILE": str(tmp_path / "missing")})


def test_no_proxy_is_trusted_unless_the_deployment_says_how_many(tmp_path: Path) -> None:
    assert Settings.load({"CONTEST_INSTANCE_PATH": str(tmp_path)}).trusted_proxies == 0
    assert Settings.load({"CONTEST_INSTANCE_PATH": str(tmp_path),
                          "CONTEST_TRUSTED_PROXIES": "2"}).trusted_proxies == 2
    assert Settings.load({"CONTEST_INSTANCE_PATH": str(tmp_path),
                          "CONTEST_TRUSTED_PROXIES": ""}).trusted_proxies == 0


@pytest.mark.parametrize("value", ["yes", "-1", "1.5", "11", "1e1"])
def test_a_wrong_number_of_trusted_proxies_names_the_variable(tmp_path: Path,
                                                              value: str) -> None:
    with pytest.raises(ConfigError, match="CONTEST_TRUSTED_PROXIES must be a whole number"):
        Settings.load({"CONTEST_INSTANCE_PATH": str(tmp_path),
                       "CONTEST_TRUSTED_PROXIES": value})
