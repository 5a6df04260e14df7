from pathlib import Path
from traceback import format_exception

import pytest
from click.testing import CliRunner

from contest.cli import main
from contest.config import Settings
from contest.errors import ConfigError
from contest.smtp import Mailer
from tests.fixtures import run_cli


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


PASSWORD = "Sup3r-S3cret"


@pytest.mark.parametrize(("variable", "value", "shown"), [
    # A scheme the mailer does not know.
    ("CONTEST_SMTP_URL", f"smtp+tls://mailer:{PASSWORD}@smtp.example:587",
     "smtp+tls://mailer:***@smtp.example:587"),
    # A port that is not a number, or a password with a "/" not written as %2F.
    ("CONTEST_SMTP_URL", f"smtp://mailer:{PASSWORD}@smtp.example:58x",
     "smtp://mailer:***@smtp.example:58x"),
    ("CONTEST_SMTP_URL", f"smtp+starttls://mailer:{PASSWORD}/x@smtp.example:587",
     "smtp+starttls://mailer:***@smtp.example:587"),
    # "//" without the ":" and a password with an "@" not written as %40.
    ("CONTEST_SMTP_URL", f"smtp//mailer:{PASSWORD}@smtp.example",
     "smtp//mailer:***@smtp.example"),
    ("CONTEST_SMTP_URL", f"smtps://mailer:{PASSWORD}@x@smtp.example:x",
     "smtps://mailer:***@smtp.example:x"),
    ("CONTEST_DATABASE_URL", f"postgres://contest:{PASSWORD}@db.example/contest",
     "postgres://contest:***@db.example/contest"),
    ("CONTEST_DATABASE_URL", f"postgresql://contest:{PASSWORD}@db.example:5432x/contest",
     "postgresql://contest:***@db.example:5432x/contest"),
    ("CONTEST_DATABASE_URL", f"mysql://db.example/contest?password={PASSWORD}",
     "mysql://db.example/contest?password=***"),
])
def test_a_wrong_url_is_shown_without_its_password(
        tmp_path: Path, variable: str, value: str, shown: str) -> None:
    with pytest.raises(ConfigError) as raised:
        Settings.load({"CONTEST_INSTANCE_PATH": str(tmp_path), variable: value})
    for language in ("en", "ru", "uk"):
        text = raised.value.text(language)
        assert variable in text and shown in text
        assert PASSWORD not in text and "S3cret" not in text
    assert PASSWORD not in str(raised.value) and PASSWORD not in repr(raised.value)


def test_settings_never_show_their_secrets(tmp_path: Path) -> None:
    settings = Settings.load({
        "CONTEST_INSTANCE_PATH": str(tmp_path),
        "CONTEST_SECRET_KEY": f"key-{PASSWORD}",
        "CONTEST_DATABASE_URL": f"postgresql://contest:{PASSWORD}@db.example/contest",
        "CONTEST_SMTP_URL": f"smtp+starttls://mailer:{PASSWORD}@smtp.example:587",
        "CONTEST_RATELIMIT_STORAGE_URI": f"redis://:{PASSWORD}@cache.example:6379"})
    assert PASSWORD in settings.smtp_url
    assert PASSWORD not in repr(settings)
    assert PASSWORD not in repr(Mailer.from_settings(settings.smtp_url, "a@b.example"))


@pytest.mark.parametrize(("variable", "value", "shown"), [
    ("CONTEST_SMTP_URL", f"smtp+tls://mailer:{PASSWORD}@smtp.example:587",
     "smtp+tls://mailer:***@smtp.example:587"),
    ("CONTEST_RATELIMIT_STORAGE_URI", f"rediss//:{PASSWORD}@cache.example:6379",
     "rediss//:***@cache.example:6379"),
    ("CONTEST_RATELIMIT_STORAGE_URI", f"redis://:{PASSWORD}@cache.example:63x",
     "redis://:***@cache.example:63x"),
])
def test_serve_stops_on_a_wrong_url_without_showing_its_password(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str,
        shown: str) -> None:
    monkeypatch.setenv("CONTEST_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv(variable, value)
    result = CliRunner().invoke(main, ["serve", "--bind", "127.0.0.1:1"])
    assert result.exit_code == 1
    assert variable in result.output and shown in result.output
    assert PASSWORD not in result.output and result.exception is not None
    assert PASSWORD not in "".join(format_exception(result.exception))


def test_the_commands_stop_on_a_wrong_smtp_url_without_showing_its_password(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTEST_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("CONTEST_SMTP_URL", f"smtp+starttls://mailer:{PASSWORD}@smtp.example")
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    result = run_cli("complaints", "mail")
    assert result.exit_code == 0
    monkeypatch.setenv("CONTEST_SMTP_URL", f"smtp+starttls://mailer:{PASSWORD}@smtp.example:x")
    result = run_cli("db", "upgrade")
    assert result.exit_code == 1 and "CONTEST_SMTP_URL" in result.stderr
    assert "mailer:***@smtp.example:x" in result.stderr and PASSWORD not in result.stderr
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


def test_the_drand_relays_are_the_deployment_s_choice(tmp_path: Path) -> None:
    """Issue 17: the draw desk fetches the round from the relays the settings name."""
    assert Settings.load({"CONTEST_INSTANCE_PATH": str(tmp_path)}).drand_relays == ()
    settings = Settings.load({"CONTEST_INSTANCE_PATH": str(tmp_path),
                              "CONTEST_DRAND_RELAYS": "http://127.0.0.1:8081/ ,\n"
                                                      "https://relay.example"})
    assert settings.drand_relays == ("http://127.0.0.1:8081", "https://relay.example")


@pytest.mark.parametrize("value", ["relay.example", "ftp://relay.example", "http://",
                                   "http://[::1", "https://user@"])
def test_a_drand_relay_that_is_no_web_address_names_the_variable(tmp_path: Path,
                                                                 value: str) -> None:
    with pytest.raises(ConfigError, match="CONTEST_DRAND_RELAYS must be web addresses"):
        Settings.load({"CONTEST_INSTANCE_PATH": str(tmp_path),
                       "CONTEST_DRAND_RELAYS": value})
def test_the_settings_know_whether_the_public_address_was_given(tmp_path: Path) -> None:
    unset = Settings.load({"CONTEST_INSTANCE_PATH": str(tmp_path)})
    assert unset.base_url == "http://127.0.0.1:5000" and not unset.base_url_given
    (tmp_path / "config.toml").write_text('base_url = "https://file.example"\n')
    assert Settings.load({"CONTEST_INSTANCE_PATH": str(tmp_path)}).base_url_given
    assert Settings.load({"CONTEST_INSTANCE_PATH": str(tmp_path),
                          "CONTEST_BASE_URL": "https://env.example"}).base_url_given


def test_the_log_integration_settings_are_read_and_checked(tmp_path: Path) -> None:
    settings = Settings.from_values({"instance_path": str(tmp_path),
                                     "log_integrate_every": "0.25", "log_merge_delay": "30"})
    assert (settings.log_integrate_every, settings.log_merge_delay) == (0.25, 30)
    defaults = Settings.from_values({"instance_path": str(tmp_path)})
    assert (defaults.log_integrate_every, defaults.log_merge_delay) == (0.5, 60)
    for name, value in (("log_integrate_every", "-1"), ("log_integrate_every", "soon"),
                        ("log_merge_delay", "0"), ("log_merge_delay", "inf")):
        with pytest.raises(ConfigError, match=f"CONTEST_{name.upper()} must be a number of "
                                              f"seconds"):
            Settings.from_values({"instance_path": str(tmp_path), name: value})
