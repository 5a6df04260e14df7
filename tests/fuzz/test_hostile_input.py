"""Hostile input: property-based tests (Hypothesis) of everything that reads what strangers
send — the CSV readers, the entry and complaint APIs, the rules parser and the bundle
verifier, every whole number of the rules (in the parser and the rules editor), and every
whole number in a query string or a path of every page. Whatever arrives, the answer is a
clear error of the project's own kind (or success), never a crash, and over the web never a
500.
"""

import copy
import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from flask import Flask
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select
from werkzeug.routing import IntegerConverter
from werkzeug.urls import iri_to_uri

from contest.accounts import create_user
from contest.canonical import canonical_json
from contest.complaints.deadlines import due_at
from contest.config import Settings
from contest.csvfile import CsvWriter, read_rows
from contest.draw.bundle import build_bundle
from contest.draw.verify import verify_bundle
from contest.entries.submission import COLUMNS
from contest.errors import ConfigError, ContestError, ImportFailed, RulesInvalid
from contest.fraud.people import read_entries, read_relatives, read_staff
from contest.models import Complaint, Entry
from contest.rules.parse import parse_rules
from contest.rules.publishing import draft_data
from contest.rules.ranges import RANGES
from contest.text import refused_character
from contest.urls import mask_url
from tests.builders import OPENS, SIGNER, consented, make_contest, rules_document
from tests.draw.builders import drawn
from tests.fixtures import Browser, Clock
from tests.test_csv_exports import evaluated
from web.redirects import same_site_path
from web.rules_form import draft_to_form

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                max_size=4),
    max_leaves=12)
CSV_CELLS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """CSV-ish bytes: a header of real and odd column names, then ragged rows of odd cells,
    sometimes in another encoding or cut short."""
    header = draw(st.lists(st.sampled_from([*COLUMNS, "staff_id", "relation", "", "x"]) |
                           CSV_CELLS, min_size=1, max_size=8))
    rows = draw(st.lists(st.lists(CSV_CELLS, max_size=9), max_size=6))
    text = "\n".join(",".join(cells) for cells in [header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1251", "utf-16"]))
    data = text.encode(encoding, errors="replace")
    return data[:draw(st.integers(0, len(data)))] if draw(st.booleans()) else data


@settings(max_examples=300, deadline=None)
@given(csv_files() | st.binary(max_size=300))
def test_the_csv_readers_reject_with_a_reason_or_read(raw: bytes) -> None:
    for read in (lambda: read_rows(raw, COLUMNS, ["full_name"]), lambda: read_entries(raw),
                 lambda: read_staff(raw), lambda: read_relatives(raw, [])):
        try:
            read()
        except ImportFailed as failure:
            assert failure.text("en") and failure.text("ru")


FORMULA_LIKE = st.text(alphabet="'=+-@＝＋－＠\t\r \u00a0aZ1\"", max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.lists(FORMULA_LIKE | CSV_CELLS, min_size=1, max_size=6))
def test_a_written_csv_runs_no_formula_and_reads_back_as_written(cells: list[str]) -> None:
    assume(any(cell.strip() for cell in cells))   # the reader skips blank rows
    header = [f"c{number}" for number in range(len(cells))]
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.writerow(header)
    writer.writerow(cells)
    written = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert not [cell for cell in written[1] if evaluated(cell)]
    [(_line, read)] = read_rows(out.getvalue().encode(), header, [])
    assert read == dict(zip(header, cells, strict=True))


PASSWORDS = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=6,
                    max_size=20)


@settings(max_examples=300, deadline=None)
@given(scheme=st.sampled_from(["smtp://", "smtp+tls://", "smtps//", "smtp:/", "smtp:", "",
                               "redis://", "postgres://", "postgresql://"]),
       user=st.text(alphabet="abcmailer", max_size=6), password=PASSWORDS,
       host=st.sampled_from(["smtp.example", "smtp.example:58x", "smtp.example:587", "[::1",
                             "db.example:5432/contest?sslmode=require", "h:99999", ""]))
def test_a_mistyped_url_never_shows_its_password(scheme: str, user: str, password: str,
                                                 host: str) -> None:
    url = f"{scheme}{user}:{password}@{host}"
    assume(password not in f"{scheme}{user}:***@{host}")
    assert password not in mask_url(url)
    for variable in ("CONTEST_SMTP_URL", "CONTEST_DATABASE_URL", "CONTEST_DRAND_RELAYS"):
        said = _refusal(variable, url)
        # A password that is a word of the message itself ("DATABA" in CONTEST_DATABASE_URL)
        # shows whatever the password: only one that the message shows because of it leaks.
        template = _refusal(variable, f"{scheme}{user}:\u00a7\u00a7\u00a7\u00a7@{host}")
        for language in ("en", "ru"):
            if password not in template.get(language, ""):
                assert password not in said.get(language, "")


def _refusal(variable: str, value: str) -> dict[str, str]:
    """What the settings say of ``value`` as ``variable``, by language (nothing: accepted)."""
    try:
        Settings.load({"CONTEST_INSTANCE_PATH": "/nonexistent/instance",
                       "CONTEST_SECRET_KEY": "a secret key for the fuzz test", variable: value})
    except ConfigError as error:
        return {language: error.text(language) for language in ("en", "ru")}
    return {}


@settings(max_examples=200, deadline=None)
@given(JSON)
def test_the_rules_parser_says_what_is_wrong(data: Any) -> None:
    try:
        parse_rules(data if isinstance(data, dict) else {"rules": data})
    except ContestError as failure:
        assert failure.text("en")


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.dictionaries(st.sampled_from([*COLUMNS, "idempotency_key", "extra",
                                             "personal_data_consent"]),
                            JSON, max_size=8) | JSON,
       raw=st.booleans())
def test_the_entry_api_never_answers_500(client: Browser, db: Session, contest_open: str,
                                          body: Any, raw: bool) -> None:
    if raw:
        answer = client.post(f"/api/contests/{contest_open}/entries",
                             data=json.dumps(body)[:50], content_type="application/json")
    else:
        answer = client.post(f"/api/contests/{contest_open}/entries", json=body)
    assert answer.status_code in (200, 201, 400, 422), answer.get_data(as_text=True)[:300]
    if answer.status_code >= 400:
        assert answer.get_json()["message"]


# Any code point, lone surrogates (which Hypothesis never draws by itself) and the characters
# that are not text among them.
HOSTILE_TEXT = st.lists(
    st.characters() | st.integers(0xD800, 0xDFFF).map(chr)
    | st.sampled_from(["\x00", "\x1b", "\t", "\r\n", "\ufdd0", "\ufffe", "\U0010ffff"]),
    max_size=12).map("".join)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(["full_name", "address", "city", "device_id", "social_handle"]),
       text=HOSTILE_TEXT)
def test_an_entry_field_of_any_characters_is_stored_as_sent_or_refused_by_name(
        client: Browser, db: Session, contest_open: str, field: str, text: str) -> None:
    # As the server reads it: JSON reads "\ud800\udc00" as one character, U+10000.
    value = json.loads(json.dumps(f"A{text}Z"))
    answer = client.post(f"/api/contests/{contest_open}/entries",
                         json={"full_name": "Anna Petrova", "email": "anna@example.ru",
                               "birth_date": "1990-05-17", "country": "RU"}
                         | consented() | {field: value})
    if refused_character(value) is not None:
        assert answer.status_code == 422, answer.get_data(as_text=True)[:300]
        assert [(e["field"], e["code"]) for e in answer.get_json()["errors"]] == [
            (field, "not_text")]
        return
    assert answer.status_code == 201, answer.get_data(as_text=True)[:300]
    stored = db.exec(select(Entry).where(Entry.ticket == answer.get_json()["ticket"])).one()
    assert getattr(stored, field) == (" ".join(value.split()) if field == "full_name"
                                      else value)


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(["contact", "text"]), text=HOSTILE_TEXT)
def test_a_complaint_of_any_characters_is_stored_as_sent_or_refused_by_name(
        client: Browser, db: Session, contest_open: str, field: str, text: str) -> None:
    value = json.loads(json.dumps(f"A{text}Z"))
    answer = client.post(f"/api/contests/{contest_open}/complaints",
                         json={"contact": "@anna", "kind": "other", "text": "Slow site."}
                         | {field: value})
    if refused_character(value, one_line=field == "contact") is not None:
        assert answer.status_code == 422, answer.get_data(as_text=True)[:300]
        assert [(e["field"], e["code"]) for e in answer.get_json()["errors"]] == [
            (field, "not_text")]
        return
    assert answer.status_code == 201, answer.get_data(as_text=True)[:300]
    stored = db.exec(select(Complaint).where(
        Complaint.number == answer.get_json()["number"])).one()
    assert getattr(stored, field) == value


def mutate(bundle: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    """The bundle with the item at ``path`` (keys and indices, cut short where the
    structure ends) replaced by ``value``."""
    changed = copy.deepcopy(bundle)
    node: Any = changed
    for step in path[:-1]:
        if isinstance(node, dict) and node:
            node = node[sorted(node)[step % len(node)]]
        elif isinstance(node, list) and node:
            node = node[step % len(node)]
        else:
            break
    if isinstance(node, dict) and node:
        node[sorted(node)[path[-1] % len(node)]] = value
    elif isinstance(node, list) and node:
        node[path[-1] % len(node)] = value
    return changed


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.lists(st.integers(0, 50), min_size=1, max_size=4), value=JSON,
       pinned=st.booleans())
def test_the_verifier_names_a_failed_check_for_any_tampering(drawn_bundle: dict[str, Any],
                                                             path: list[int], value: Any,
                                                             pinned: bool) -> None:
    tampered = mutate(drawn_bundle, path, value)
    try:
        verify_bundle(tampered, verifier_key=SIGNER.verifier_key() if pinned else None)
    except ContestError as failure:
        assert failure.text("en")
    else:
        # Only a change that changes nothing may pass, or one of the log's description: the
        # verifier was given the key to trust, and checks against the signed checkpoint.
        allowed = [None, ("log", "tree_size")] + [("log", "verifier_key")] * pinned
        assert difference(drawn_bundle, tampered) in allowed


def difference(original: Any, tampered: Any, where: tuple[Any, ...] = ()) -> Any:
    """The path of the first place where the two differ, or None."""
    if isinstance(original, dict) and isinstance(tampered, dict) and (
            original.keys() == tampered.keys()):
        return next((found for key in original
                     if (found := difference(original[key], tampered[key], (*where, key)))
                     is not None), None)
    if isinstance(original, list) and isinstance(tampered, list) and (
            len(original) == len(tampered)):
        return next((found for index, item in enumerate(original)
                     if (found := difference(item, tampered[index], (*where, index)))
                     is not None), None)
    return None if original == tampered and type(original) is type(tampered) else where


@pytest.fixture
def contest_open(app: Flask, db: Session, clock: Clock) -> str:
    contest, _ = make_contest(db)
    clock.now = OPENS + timedelta(days=1)
    # Hundreds of examples come from one address: the rate limits would answer most of them.
    app.config["ENTRY_RATE_LIMIT"] = app.config["CONTEST_RATE_LIMIT"] = "1000000 per minute"
    return contest.slug


@pytest.fixture
def drawn_bundle(session: Session) -> dict[str, Any]:
    contest = drawn(session, SIGNER)
    bundle: dict[str, Any] = json.loads(json.dumps(build_bundle(
        session, contest=contest, verifier_key=SIGNER.verifier_key())))
    verify_bundle(bundle, verifier_key=SIGNER.verifier_key())
    return bundle


# Pieces that make a redirect target hostile, mixed with any text.
URL_PIECES = st.sampled_from(
    ["/", "//", "\\", "%", "%2F", "%2f", "%5C", "%09", "%0A", "%0D", "%25", "%20", "%E2%80%8B",
     ":", "@", "?", "#", ".", "..", "evil.example", "http:", "javascript:", "\t", "\n", "\r",
     " ", "\x00", "\x1f", "\x7f", "\u00a0", "\u200b", "\u3000", "a", "0", "F"]
) | st.text(max_size=3)
TARGETS = st.lists(URL_PIECES, max_size=10).map("".join)


def browser_normalised(target: str) -> str:
    """What a browser reads before it parses a URL (WHATWG URL Standard): leading and trailing
    C0 controls and spaces stripped, tabs and line breaks dropped, a backslash read as a
    slash."""
    stripped = target.strip("".join(map(chr, range(0x21))))
    return re.sub("[\t\n\r]", "", stripped).replace("\\", "/")


def assert_on_this_site(target: str) -> None:
    """However a browser reads ``target``, before or after decoding it, it is a path here."""
    for form in (target, browser_normalised(target), unquote(target),
                 browser_normalised(unquote(target))):
        parts = urlsplit(form)
        assert (parts.scheme, parts.netloc) == ("", ""), form
        assert form.startswith("/") and not form.startswith("//"), form
        assert urlsplit(urljoin("https://contest.example/a/b", form)).netloc == (
            "contest.example"), form


@settings(max_examples=1000, deadline=None)
@given(TARGETS)
def test_a_kept_redirect_target_is_a_path_of_this_site_however_a_browser_reads_it(
        target: str) -> None:
    kept = same_site_path(target, fallback="/fallback")
    assert kept in (target, "/fallback")
    assert_on_this_site(kept)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TARGETS)
def test_the_language_switch_never_answers_500_nor_leaves_the_site(client: Browser,
                                                                   target: str) -> None:
    answer = client.submit("/language/uk", {"next": target})
    assert answer.status_code == 302
    location = answer.headers["Location"]
    assert location == "/" or location == iri_to_uri(target)
    assert_on_this_site(location)
# -- every whole number of the rules ----------------------------------------------------------

WHOLE_NUMBER_FIELDS = sorted(path.replace(".N.", ".0.") for path in RANGES)
# Small, near the ends of every range, beyond what RFC 8785 takes.
NUMBERS = (st.integers(-1000, 1000) | st.integers() | st.integers(-2**80, 2**80)
           | st.sampled_from([2**53 + 1, -(2**53) - 1, 2**31])
           | st.sampled_from(sorted({end + step for bounds in RANGES.values()
                                     for end in (bounds.minimum, bounds.maximum)
                                     for step in (-1, 0, 1)})))


def with_number(path: str, value: object) -> dict[str, Any]:
    """Valid rules with ``path`` set to ``value``, and what must agree with it moved along
    (the winners are the prizes' total; ages start from 0), so only ``path`` can be wrong."""
    rules = rules_document().to_data()
    rules["eligibility"].update(legal_min_age=0, min_age=0, max_age=None)
    rules["sources"] = [{"network": "instagram", "post": "17900000000000001", "conditions": [
        {"kind": "tagged", "at_least": 1}, {"kind": "commented"}]}]
    node: Any = rules
    *parents, last = path.split(".")
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[last] = value
    if path in ("winners", "prizes.0.quantity"):
        rules["winners"] = rules["prizes"][0]["quantity"] = value
    if path == "eligibility.legal_min_age":
        rules["eligibility"]["min_age"] = value
    return rules


@settings(max_examples=400, deadline=None)
@given(path=st.sampled_from(WHOLE_NUMBER_FIELDS),
       value=NUMBERS | st.just(10**5000) | st.booleans())
def test_every_whole_number_of_the_rules_is_in_its_range_or_named(path: str,
                                                                   value: int) -> None:
    bounds = RANGES[re.sub(r"\.0\.", ".N.", path)]
    try:
        rules = parse_rules(with_number(path, value))
    except RulesInvalid as invalid:
        assert isinstance(value, bool) or value not in bounds, invalid
        error = next(e for e in invalid.errors if e.field == path)
        assert error.code == ("not_integer" if isinstance(value, bool) else
                              "too_small" if value < bounds.minimum else "too_large")
        for language in ("en", "ru", "uk"):
            assert str(bounds.maximum) in error.text(language)
        return
    assert not isinstance(value, bool) and value in bounds
    # What the parser lets through canonicalises, and its deadline can be counted.
    canonical_json(rules.to_data())
    due_at(datetime(2026, 12, 1, tzinfo=UTC), rules.complaints.response_business_days,
           country="RU", timezone="Europe/Moscow")


@pytest.fixture
def editor(client: Browser, db: Session, clock: Clock) -> tuple[str, dict[str, str]]:
    """A marketer signed in at the rules editor of an unpublished contest, and the editor's
    form of its valid draft (each example starts from it, whatever the last one saved)."""
    create_user(db, email="m@brand.example", name="M", role="marketer",
                password="a long password", actor_id=None, now=clock.now)
    contest, _ = make_contest(db, published=False)
    client.sign_in("m@brand.example", "a long password")
    return contest.slug, draft_to_form(draft_data(contest)) | {
        "eligibility.legal_min_age": "0", "eligibility.min_age": "0",
        "eligibility.max_age": "", "then": "stay"}


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(WHOLE_NUMBER_FIELDS),
       value=NUMBERS.map(str) | st.sampled_from(["True", "false", "1e3", "٣", "+5", " 7 ",
                                                 "1_000", "-0", "9" * 5000]))
def test_the_rules_editor_names_any_number_out_of_range_and_publishing_never_fails(
        client: Browser, editor: tuple[str, dict[str, str]], path: str, value: str) -> None:
    slug, form = editor
    form = form | {path: value}
    if path in ("winners", "prizes.0.quantity"):
        form["winners"] = form["prizes.0.quantity"] = value
    if path == "eligibility.legal_min_age":
        form["eligibility.min_age"] = value
    saved = client.submit(f"/manage/contests/{slug}/rules", form)
    assert saved.status_code in (200, 422), saved.get_data(as_text=True)[:300]
    if saved.status_code == 422:
        assert f'id="{path}-error"' in saved.get_data(as_text=True)
    published = client.submit(f"/manage/contests/{slug}/publish")
    assert published.status_code in (302, 303), published.get_data(as_text=True)[:300]


# -- every whole number in a query string or a path, on every page ---------------------------

WEB = Path(__file__).parents[2] / "web"


def integer_query_parameters() -> set[str]:
    """Every whole-number query parameter a view reads: all of them go through web/query.py
    (``page_number()`` reads ``page``)."""
    names = {"page"}
    for source in WEB.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "type=int" not in text, f"web/{source.name} reads a number past web/query.py"
        names |= set(re.findall(r'(?:WholeNumber|optional_whole_number)\("(\w+)"', text))
    return names


def test_the_query_parameters_fuzzed_are_the_ones_the_views_read() -> None:
    assert integer_query_parameters() == {"page", "version", "start", "end", "index", "size",
                                          "first", "second"}


@pytest.fixture
def site(app: Flask, client: Browser, db: Session, clock: Clock) -> tuple[list[Any], str]:
    """Every GET route but the static files, and a drawn contest's slug, for an admin (who
    may open every page)."""
    contest = drawn(db, app.extensions["contest.signer"])
    create_user(db, email="a@brand.example", name="A", role="admin",
                password="a long password", actor_id=None, now=clock.now)
    db.commit()
    client.sign_in("a@brand.example", "a long password")
    routes = sorted((rule for rule in app.url_map.iter_rules()
                     if "GET" in (rule.methods or ()) and rule.endpoint != "static"),
                    key=lambda rule: rule.rule)
    return routes, contest.slug


QUERY_TEXT = (st.text(max_size=30) | st.integers().map(str)
              | st.sampled_from(["9" * 30, "-1", "0", "2147483648", "1e9", "１", ""]))


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_page_answers_500_to_any_number_in_its_query_or_path(
        client: Browser, site: tuple[list[Any], str], data: st.DataObject) -> None:
    routes, slug = site
    rule = data.draw(st.sampled_from(routes))
    values: dict[str, Any] = {}
    for argument, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            values[argument] = data.draw(st.integers(min_value=0) | st.just(10**30))
        else:
            values[argument] = slug if argument == "slug" else data.draw(
                st.sampled_from(["x", "0" * 32]))
    path = rule.build(values, append_unknown=False)[1]
    query = data.draw(st.dictionaries(st.sampled_from(sorted(integer_query_parameters())),
                                      QUERY_TEXT, max_size=4))
    answer = client.get(path, query_string=query)
    assert answer.status_code < 500, (path, query, answer.get_data(as_text=True)[:300])
