"""Deployment settings: the instance folder, then ``CONTEST_*`` environment variables.

Precedence, lowest first: built-in defaults, ``<instance>/config.toml``, the environment.
A wrong value stops start-up with a :class:`ConfigError` that names the variable; a URL in
it shows its password as ``***`` (:func:`contest.urls.mask_url`). The instance folder and
the secret key in it are private to their owner (:mod:`contest.private_files`).

The variables (each documented in the README):

- ``CONTEST_INSTANCE_PATH``: folder for the database, keys and config.toml (``./instance``);
- ``CONTEST_DATABASE_URL``: ``sqlite:///…`` or ``postgresql+psycopg://…`` (SQLite in the
  instance folder);
- ``CONTEST_SECRET_KEY``: signs session cookies and CSRF tokens, ≥ 16 characters (made once
  and kept in ``instance/secret_key``); or ``CONTEST_SECRET_KEY_FILE``, a file holding it;
- ``CONTEST_LOG_SIGNING_KEY_FILE``: the log's signing key (``PRIVATE+KEY+…``) in a file of
  its own, e.g. a mounted secret (default: made once in ``instance/log-signing-key``);
- ``CONTEST_DEFAULT_LANGUAGE``: UI language when the browser states none (``en``);
- ``CONTEST_BASE_URL``: the public address: links in mail, and the log's name that every
  signed checkpoint and receipt carries (``http://127.0.0.1:5000``, the development server's;
  a deployment must set it before its first contest is published, as the log's name cannot
  change later, and is told so at start-up and on the admin page while it has not). Never
  taken from a request's ``Host``, which the sender chooses;
- ``CONTEST_MAX_UPLOAD_MB``: largest accepted request or CSV upload in MiB (``32``);
- ``CONTEST_ENTRY_RATE_LIMIT``: entries and complaints one address may send to one contest
  (``20 per minute;200 per day``, the ``limits`` package's notation);
- ``CONTEST_CONTEST_RATE_LIMIT``: entries and complaints one contest takes from everyone
  together (``6000 per minute``);
- ``CONTEST_RATELIMIT_STORAGE_URI``: where the counts are kept (``memory://``, per worker
  process; ``redis://…`` shares them between workers and servers, with the ``redis`` extra);
- ``CONTEST_SMTP_URL``: the SMTP server that mails complaint acknowledgements and answers,
  ``smtp://host:25``, ``smtp+starttls://user:password@host:587`` or ``smtps://host:465``
  (none: complaints are acknowledged on screen only);
- ``CONTEST_CHALLENGE_DIFFICULTY``: the proof-of-work challenge (ALTCHA) of the public entry
  and complaint forms, the largest counter a browser may have to reach (``100000``, about a
  second on a phone; ``0``: no challenge on the forms). The API asks one of each entry when
  the rules say ``defences.api_challenge``, whatever this says;
- ``CONTEST_MAIL_FROM``: the sender of that mail (``complaints@`` the base URL's host);
- ``CONTEST_TRUSTED_PROXIES``: how many reverse proxies in front of the app to trust for
  ``X-Forwarded-For`` and ``X-Forwarded-Proto``, 0 to 10 (``0``: the headers are ignored, so
  a sender cannot forge their address; set it to 1 behind one TLS proxy, or every entrant
  shares the proxy's address in the rate limits and the stored entries);
- ``CONTEST_DRAND_RELAYS``: the drand relays the draw desk fetches a round from, web
  addresses separated by commas or spaces (none: the League of Entropy's public relays);
- ``CONTEST_WITNESSES``: the independent witnesses (C2SP tlog-witness) asked to cosign each
  new checkpoint, separated by semicolons or line breaks, each its verifier key
  (``name+keyid+base64``, what ``contest witness init`` prints) and the URL it takes
  ``add-checkpoint`` at, separated by a space (none: checkpoints are not witnessed);
- ``CONTEST_VK_API_URL``: where VK API methods are called (``https://api.vk.com/method/``);
  ``CONTEST_VK_TOKEN``: a VK app's service token (or ``CONTEST_VK_TOKEN_FILE``);
- ``CONTEST_TELEGRAM_API_URL``: the Bot API server (``https://api.telegram.org``);
  ``CONTEST_TELEGRAM_BOT_TOKEN``: the bot's token from @BotFather (or ``…_FILE``);
- ``CONTEST_INSTAGRAM_GRAPH_URL``: the Graph API with its version
  (``https://graph.facebook.com/v23.0``); ``CONTEST_INSTAGRAM_TOKEN``: a token of the
  business account's page (or ``…_FILE``). See docs/SOURCES.md.
"""

import os
import re
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from limits import parse_many
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from contest.errors import ConfigError
from contest.i18n import LANGUAGES
from contest.private_files import PRIVATE_FILE, PRIVATE_FOLDER, create_private_file, narrow
from contest.smtp import Mailer
from contest.urls import mask_url

PREFIX = "CONTEST_"


@dataclass(frozen=True)
class WitnessSetting:
    """A witness named in ``CONTEST_WITNESSES``: its verifier key as written (checked in full
    by :func:`contest.witness.collect.log_witnesses`, for parsing a key is the log's code) and
    the URL of its ``add-checkpoint``, without the final slash."""

    key: str
    url: str


@dataclass(frozen=True)
class NetworkSettings:
    """Where the social networks' APIs are and the tokens they are called with (none: that
    network's sources cannot be read). Tests point the URLs at local servers."""

    vk_api_url: str = "https://api.vk.com/method/"
    vk_token: str = field(default="", repr=False)
    telegram_api_url: str = "https://api.telegram.org"
    telegram_bot_token: str = field(default="", repr=False)
    instagram_graph_url: str = "https://graph.facebook.com/v23.0"
    instagram_token: str = field(default="", repr=False)


@dataclass(frozen=True)
class Settings:
    instance_path: Path
    database_url: str = field(repr=False)  # the URLs may hold passwords
    secret_key: str = field(repr=False)
    default_language: str
    base_url: str
    max_upload_mb: int
    entry_rate_limit: str = "20 per minute;200 per day"
    contest_rate_limit: str = "6000 per minute"
    ratelimit_storage_uri: str = field(default="memory://", repr=False)
    log_signing_key_file: Path | None = None
    smtp_url: str = field(default="", repr=False)
    mail_from: str = ""
    trusted_proxies: int = 0
    drand_relays: tuple[str, ...] = ()
    witnesses: tuple[WitnessSetting, ...] = ()
    base_url_given: bool = False
    """Whether ``CONTEST_BASE_URL`` (or ``base_url`` in config.toml) was set, rather than
    the development server's default."""
    log_integrate_every: float = 0.5
    """Seconds between two integrations of the log's pending leaves by the app's background
    thread (each signs one checkpoint over its batch); 0: no background thread (the next
    event appended, checkpoint issued or ``contest log integrate`` integrates them)."""
    log_merge_delay: int = 60
    """Seconds after an entry is received by which a receipt promises its leaf will be in a
    signed checkpoint (the log's maximum merge delay)."""
    networks: NetworkSettings = field(default_factory=NetworkSettings)
    challenge_difficulty: int = 100_000
    """The proof-of-work challenge of the public entry and complaint forms
    (:mod:`contest.challenge`): the largest counter a browser may have to reach (about a
    second on a phone for 100,000); 0 turns the forms' challenge off."""

    @property
    def log_origin(self) -> str:
        """The public log's name: its checkpoints' origin line and its key's name."""
        return urlparse(self.base_url).netloc + "/log"

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        """The settings of this deployment: defaults, then the instance folder's
        ``config.toml``, then the ``CONTEST_*`` variables of ``environ`` (the process's)."""
        env = dict(os.environ if environ is None else environ)
        instance = Path(env.get(PREFIX + "INSTANCE_PATH") or "instance").resolve()
        values: dict[str, str] = {}
        config_file = instance / "config.toml"
        if config_file.exists():
            values.update(_read_toml(config_file))
        for key, value in env.items():
            if key.startswith(PREFIX):
                values[key.removeprefix(PREFIX).lower()] = value
        return cls.from_values(values | {"instance_path": str(instance)})

    @classmethod
    def from_values(cls, values: Mapping[str, str]) -> "Settings":
        """The settings ``values`` give, by name (``database_url``, ``instance_path``, …),
        over the defaults; nothing else is read (the app's tests configure it so)."""
        instance = Path(values.get("instance_path") or "instance").resolve()
        narrow(instance, PRIVATE_FOLDER)  # older versions made it 0755
        _refuse_unknown(values)
        database_url = _database_url(values, instance)
        language = _default_language(values)
        base_url = _base_url(values)
        max_upload_mb = _max_upload_mb(values)
        secret_key = _secret_key(values, instance)
        entry_rate_limit = _rate_limit(values, "entry_rate_limit", cls.entry_rate_limit)
        contest_rate_limit = _rate_limit(values, "contest_rate_limit", cls.contest_rate_limit)
        smtp_url = values.get("smtp_url", "")
        mail_from = values.get("mail_from") or f"complaints@{urlparse(base_url).hostname}"
        Mailer.from_settings(smtp_url, mail_from)  # a wrong value stops start-up
        return cls(instance, database_url, secret_key, language, base_url, max_upload_mb,
                   entry_rate_limit, contest_rate_limit,
                   values.get("ratelimit_storage_uri", cls.ratelimit_storage_uri),
                   Path(values["log_signing_key_file"]) if values.get("log_signing_key_file")
                   else None, smtp_url, mail_from, _trusted_proxies(values),
                   _drand_relays(values), _witnesses(values),
                   base_url_given=bool(values.get("base_url")),
                   log_integrate_every=_seconds(values, "log_integrate_every",
                                                cls.log_integrate_every, least=0.0),
                   log_merge_delay=int(_seconds(values, "log_merge_delay",
                                                cls.log_merge_delay, least=1.0)),
                   networks=_networks(values),
                   challenge_difficulty=_challenge_difficulty(values))


KNOWN = frozenset({
    "instance_path", "database_url", "secret_key", "default_language", "base_url",
    "max_upload_mb", "test_postgres_url", "entry_rate_limit", "contest_rate_limit",
    "ratelimit_storage_uri", "secret_key_file", "log_signing_key_file", "smtp_url",
    "mail_from", "trusted_proxies", "drand_relays", "witnesses", "log_integrate_every",
    "log_merge_delay", "vk_api_url", "vk_token", "vk_token_file", "telegram_api_url",
    "telegram_bot_token", "telegram_bot_token_file", "instagram_graph_url", "instagram_token",
    "instagram_token_file", "challenge_difficulty"})
"""The settings there are, by name (``CONTEST_`` and the name in capitals)."""


def _refuse_unknown(values: Mapping[str, str]) -> None:
    for key in values:
        if key not in KNOWN:
            raise ConfigError(
                "unknown setting {variable}; known settings: {known}",
                {"variable": PREFIX + key.upper(),
                 "known": ", ".join(PREFIX + k.upper() for k in sorted(KNOWN))},
            )


def _database_url(values: Mapping[str, str], instance: Path) -> str:
    """The database's URL, with the driver SQLAlchemy needs for PostgreSQL."""
    database_url = values.get("database_url") or f"sqlite:///{instance / 'contest.db'}"
    if not database_url.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
        raise ConfigError(
            "CONTEST_DATABASE_URL must start with sqlite:// or postgresql+psycopg://, "
            "got {value!r}",
            {"value": mask_url(database_url)},
        )
    if not _readable_database_url(database_url):
        raise ConfigError(
            "CONTEST_DATABASE_URL must look like sqlite:///path/contest.db or "
            "postgresql+psycopg://user:password@host:5432/contest, got {value!r}",
            {"value": mask_url(database_url)},
        )
    if database_url.startswith("postgresql:"):
        database_url = "postgresql+psycopg:" + database_url.removeprefix("postgresql:")
    return database_url


def _seconds(values: Mapping[str, str], name: str, default: float, *, least: float) -> float:
    """A number of seconds, at least ``least``."""
    raw = values.get(name)
    if raw is None or raw == "":
        return default
    try:
        seconds = float(raw)
        if not seconds >= least or seconds == float("inf"):
            raise ValueError
    except ValueError:
        raise ConfigError("{variable} must be a number of seconds ≥ {least}, got {value!r}",
                          {"variable": PREFIX + name.upper(), "least": least,
                           "value": raw}) from None
    return seconds


def _default_language(values: Mapping[str, str]) -> str:
    language = values.get("default_language", "en")
    if language not in LANGUAGES:
        raise ConfigError(
            "CONTEST_DEFAULT_LANGUAGE must be one of {allowed}, got {value!r}",
            {"allowed": ", ".join(LANGUAGES), "value": language},
        )
    return language


DEFAULT_BASE_URL = "http://127.0.0.1:5000"
"""The development server's address (``contest serve``'s default ``--bind``)."""


def _base_url(values: Mapping[str, str]) -> str:
    base_url = (values.get("base_url") or DEFAULT_BASE_URL).rstrip("/")
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError(
            "CONTEST_BASE_URL must start with http:// or https://, got {value!r}",
            {"value": base_url},
        )
    return base_url


def _max_upload_mb(values: Mapping[str, str]) -> int:
    raw_mb = values.get("max_upload_mb", "32")
    try:
        max_upload_mb = int(raw_mb)
        if max_upload_mb < 1:
            raise ValueError
    except ValueError:
        raise ConfigError(
            "CONTEST_MAX_UPLOAD_MB must be a whole number of MiB ≥ 1, got {value!r}",
            {"value": raw_mb},
        ) from None
    return max_upload_mb


MAX_CHALLENGE_DIFFICULTY = 10_000_000


def _challenge_difficulty(values: Mapping[str, str]) -> int:
    raw = values.get("challenge_difficulty", str(Settings.challenge_difficulty))
    try:
        difficulty = int(raw)
        if not 0 <= difficulty <= MAX_CHALLENGE_DIFFICULTY:
            raise ValueError
    except ValueError:
        raise ConfigError(
            "CONTEST_CHALLENGE_DIFFICULTY must be a whole number from 0 (no challenge) to "
            "{most}, got {value!r}", {"most": MAX_CHALLENGE_DIFFICULTY, "value": raw}) from None
    return difficulty


def _secret_key(values: Mapping[str, str], instance: Path) -> str:
    """The key given, else the one in the file named, else the instance folder's own."""
    secret_key = (values.get("secret_key") or _secret_from_file(values.get("secret_key_file"))
                  or _instance_secret(instance))
    if len(secret_key) < 16:
        raise ConfigError(
            "CONTEST_SECRET_KEY must be at least 16 characters, got {length}",
            {"length": len(secret_key)},
        )
    return secret_key


def _rate_limit(values: Mapping[str, str], name: str, default: str) -> str:
    value = values.get(name, default)
    try:
        parse_many(value)
    except ValueError:
        raise ConfigError(
            "{variable} must be limits like \"20 per minute;200 per day\", got {value!r}",
            {"variable": PREFIX + name.upper(), "value": value}) from None
    return value


MAX_TRUSTED_PROXIES = 10


def _trusted_proxies(values: Mapping[str, str]) -> int:
    """How many proxies' ``X-Forwarded-*`` entries to believe; more than there are would let
    a sender's forged entries through again."""
    raw = values.get("trusted_proxies") or "0"
    if not (raw.isascii() and raw.isdigit()) or int(raw) > MAX_TRUSTED_PROXIES:
        raise ConfigError(
            "CONTEST_TRUSTED_PROXIES must be a whole number from 0 to {most}, got {value!r}",
            {"most": MAX_TRUSTED_PROXIES, "value": raw})
    return int(raw)


def _drand_relays(values: Mapping[str, str]) -> tuple[str, ...]:
    """The relays named, each an http(s) address without its final slash; none named: the
    public relays (:data:`contest.randomness.drand.DEFAULT_RELAYS`) are asked."""
    relays = tuple(relay.rstrip("/") for relay in
                   values.get("drand_relays", "").replace(",", " ").split())
    for relay in relays:
        try:
            parsed = urlparse(relay)
            readable = parsed.scheme in ("http", "https") and bool(parsed.hostname)
        except ValueError:  # "http://[::1" and the like
            readable = False
        if not readable:
            raise ConfigError(
                "CONTEST_DRAND_RELAYS must be web addresses (http:// or https://) separated "
                "by commas or spaces, got {value!r}", {"value": mask_url(relay)})
    return relays


_VERIFIER_KEY = re.compile(r"[^+\s]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+={0,2}")


def _witnesses(values: Mapping[str, str]) -> tuple[WitnessSetting, ...]:
    """The witnesses named: entries separated by semicolons or line breaks, each a verifier
    key and a URL separated by spaces; the same witness twice is refused."""
    found: list[WitnessSetting] = []
    entries = [entry.strip() for entry in re.split(r"[;\n]", values.get("witnesses", ""))]
    for number, entry in enumerate((entry for entry in entries if entry), start=1):
        parts = entry.split()
        if len(parts) != 2:
            raise ConfigError(
                "CONTEST_WITNESSES entry {number} should be a witness's verifier key and its "
                "URL separated by a space, got {value!r}", {"number": number, "value": entry})
        key, url = parts[0], parts[1].rstrip("/")
        if not _VERIFIER_KEY.fullmatch(key):
            raise ConfigError(
                "CONTEST_WITNESSES entry {number} has key {value!r}, expected a verifier key "
                "name+keyid+base64 (as 'contest witness init' prints it)",
                {"number": number, "value": key})
        try:
            parsed = urlparse(url)
            readable = parsed.scheme in ("http", "https") and bool(parsed.hostname)
        except ValueError:
            readable = False
        if not readable:
            raise ConfigError(
                "CONTEST_WITNESSES entry {number} has URL {value!r}, expected an http:// or "
                "https:// address", {"number": number, "value": mask_url(url)})
        name_and_id = key.rpartition("+")[0]
        if any(other.key.rpartition("+")[0] == name_and_id for other in found):
            raise ConfigError("CONTEST_WITNESSES entry {number} names witness {witness} again",
                              {"number": number, "witness": name_and_id})
        found.append(WitnessSetting(key, url))
    return tuple(found)


def _networks(values: Mapping[str, str]) -> NetworkSettings:
    """The networks' API addresses (http or https, kept with their final slash as given,
    for VK's ends in one) and tokens, each given or read from the file its ``…_FILE``
    twin names."""
    defaults = NetworkSettings()
    urls = {}
    for name in ("vk_api_url", "telegram_api_url", "instagram_graph_url"):
        url = values.get(name) or getattr(defaults, name)
        try:
            parsed = urlparse(url)
            readable = parsed.scheme in ("http", "https") and bool(parsed.hostname)
        except ValueError:
            readable = False
        if not readable:
            raise ConfigError("{variable} must be a web address (http:// or https://), got "
                              "{value!r}", {"variable": PREFIX + name.upper(),
                                            "value": mask_url(url)})
        urls[name] = url
    tokens = {name: values.get(name) or _token_from_file(values, name + "_file")
              for name in ("vk_token", "telegram_bot_token", "instagram_token")}
    return NetworkSettings(**urls, **tokens)


def _token_from_file(values: Mapping[str, str], name: str) -> str:
    path = values.get(name)
    if not path:
        return ""
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError as error:
        raise ConfigError("{variable} cannot be read: {error}",
                          {"variable": PREFIX + name.upper(), "error": str(error)}) from None


def _readable_database_url(url: str) -> bool:
    try:
        make_url(url)
    except (ArgumentError, ValueError):  # SQLAlchemy's own words would show the password
        return False
    return True


def _read_toml(path: Path) -> dict[str, str]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError("{path} is not valid TOML: {error}",
                          {"path": str(path), "error": str(error)}) from None
    return {str(k).lower(): str(v) for k, v in data.items()}


def _secret_from_file(name: str | None) -> str:
    if not name:
        return ""
    try:
        return Path(name).read_text(encoding="utf-8").strip()
    except OSError as error:
        raise ConfigError("CONTEST_SECRET_KEY_FILE cannot be read: {error}",
                          {"error": str(error)}) from None


def _instance_secret(instance: Path) -> str:
    """A random key made on first start and kept in the instance folder (mode 0600)."""
    path = instance / "secret_key"
    if not create_private_file(path, secrets.token_hex(32) + "\n"):
        narrow(path, PRIVATE_FILE)  # older versions wrote it, then changed its mode
    return path.read_text(encoding="utf-8").strip()
