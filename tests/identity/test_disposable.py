"""Disposable e-mail domains (the disposable-email-domains package's list, less the
allow-list) and the syntax and domain check of email-validator that the live channels add to
the reading of an address: no network look-up anywhere."""

import pytest

from contest.identity import (
    allowed_domains,
    disposable_domain,
    email_key,
    is_disposable,
    is_email_address,
    is_mailable_address,
)


@pytest.mark.parametrize(("email", "domain"), [
    ("anna@yopmail.com", "yopmail.com"),
    ("Anna.Petrova@MAILINATOR.COM", "mailinator.com"),
    ("anna@box.mailinator.com", "mailinator.com"),    # the services hand out subdomains
    ("Anna Petrova <anna@guerrillamail.com>", "guerrillamail.com"),
    ("anna@10minutemail.com.", "10minutemail.com"),
])
def test_a_listed_domain_or_its_subdomain_is_disposable(email: str, domain: str) -> None:
    assert disposable_domain(email) == domain
    assert is_disposable(email)


@pytest.mark.parametrize("email", [
    "anna@mail.ru", "anna@yandex.ru", "anna@gmail.com", "anna@ukr.net", "anna@i.ua",
    "anna@rambler.ru", "anna@outlook.com", "anna@proton.me", "anna@icloud.com",
    "anna@brand.example", "not an address", "", "anna@com", "yopmail.com",
])
def test_the_providers_people_keep_are_not_disposable(email: str) -> None:
    assert disposable_domain(email) is None
    assert not is_disposable(email)


def test_the_allow_list_exempts_a_listed_domain_and_its_subdomains() -> None:
    allowed = frozenset({"yopmail.com"})
    assert disposable_domain("anna@yopmail.com", allowed) is None
    assert disposable_domain("anna@x.yopmail.com", allowed) is None
    assert disposable_domain("anna@mailinator.com", allowed) == "mailinator.com"


def test_the_allow_list_file_is_read_without_its_comments() -> None:
    allowed = allowed_domains()
    assert all(domain and " " not in domain and not domain.startswith("#")
               for domain in allowed)
    assert not any(is_disposable(f"a@{domain}") for domain in allowed)


@pytest.mark.parametrize("email", [
    "ivan@mail.local", "ivan@shop.test", "a@b.invalid", "a@x.onion", "a@x_y.ru",
    "a@xn--x.com",
])
def test_an_address_no_mail_can_reach_is_read_but_not_mailable(email: str) -> None:
    assert is_email_address(email)      # read (and kept as written when brought in)
    assert not is_mailable_address(email)


@pytest.mark.parametrize("email", [
    "anna@mail.ru", "A.@gmail.com", ".a..b.@googlemail.com", "ivan.petrov+x@ya.ru",
    "иван@почта.рф", "anna@brand.example",
])
def test_what_the_keys_read_as_mailboxes_stays_mailable(email: str) -> None:
    assert email_key(email) is not None
    assert is_mailable_address(email)


@pytest.mark.parametrize("email", ["+promo@gmail.com", "Anna <anna@mail.ru>", "a b@mail.ru"])
def test_what_is_no_address_is_not_mailable_either(email: str) -> None:
    assert not is_mailable_address(email)
