"""The identity keys stored with every entry: they fit their columns, and they change only
together with a migration that recomputes the stored ones.

``entries.email_key`` and ``entries.household_key`` hold what :mod:`contest.identity`
computed when the entry was taken (or when migration 0012 recomputed it), and
``entries.account`` the social account as ``account_key`` read it. The entry limits
compare a new entry's keys with the stored ones, so if these functions start returning other
keys, old and new entries of one person stop meeting. The values below pin them: if one of
these tests fails because the folding was deliberately changed, add a migration that
recomputes the stored keys (as ``0012_one_identity`` does) and recounts the limits of the
contests not yet frozen (as ``0013_recount_the_limits`` does), raise
``contest.identity.EDITION`` (the freeze then waits for a scan under the new rule), and
update the values here.
"""

import pytest

from contest.identity import (
    EMAIL_KEY_LENGTH,
    HOUSEHOLD_KEY_LENGTH,
    account_key,
    email_key,
    household_key,
    phone_key,
)
from contest.models import Entry

MIGRATION = ("add a migration that recomputes entries.email_key and entries.household_key and "
             "recounts the limits, and raise contest.identity.EDITION")


def test_the_keys_fit_the_columns_that_store_them() -> None:
    columns = Entry.__table__.c  # type: ignore[attr-defined]
    assert columns["email_key"].type.length == EMAIL_KEY_LENGTH
    assert columns["household_key"].type.length == HOUSEHOLD_KEY_LENGTH
    longest = account_key("vk:" + "9" * 19), account_key("ig:" + "a" * 30)
    assert max(len(key or "") for key in longest) <= columns["account"].type.length


@pytest.mark.parametrize(("email", "key"), [
    ("Ivan.Petrov+promo@GoogleMail.com", "ivanpetrov@gmail.com"),
    ("A.@gmail.com", "a@gmail.com"),
    ("ivan.petrov+x@ya.ru", "ivan-petrov@yandex.ru"),
    ("John_Doe+x@pm.me", "johndoe@proton.me"),
    ("anna+shop@me.com", "anna@icloud.com"),
    ("anna+x@hotmail.co.uk", "anna@hotmail.co.uk"),
    ("Ivan.Petrov+x@Mail.ru", "ivan.petrov+x@mail.ru"),
    ("иван@почта.рф", "иван@xn--80a1acny.xn--p1ai"),
    ("+promo@gmail.com", None),
])
def test_the_stored_email_keys_are_pinned(email: str, key: str | None) -> None:
    assert email_key(email) == key, MIGRATION


@pytest.mark.parametrize(("fields", "key"), [
    (("ул. Ленина, д. 5, кв. 12", "Москва", "101000", "RU"), "RU|moskva|lenina 5|12"),
    (("Lenina 5-12", "Moscow", "", "RU"), "RU|moskva|lenina 5|12"),
    (("г. Москва, ул. Ленина, д. 5к2", "", "", "RU"), "RU|moskva|lenina 5 k2|"),
    (("вул. Шевченка, буд. 3, кв. 7", "Київ", "01001", "UA"), "UA|kiv|shevchenka 3|7"),
    (("12 Main St Apt 4B", "New York", "10001-1234", "US"), "US|10001|main 12|4b"),
    (("-", "Москва", "101000", "RU"), None),
    ((None, "Москва", "101000", "RU"), None),
])
def test_the_stored_household_keys_are_pinned(
        fields: tuple[str | None, str, str, str], key: str | None) -> None:
    assert household_key(*fields) == key, MIGRATION


@pytest.mark.parametrize(("phone", "key"), [
    ("+79161234567", "+79161234567"), ("+380671234567", "+380671234567"),
    ("+79160000000", None), ("+12127777777", None),
])
def test_the_limits_phone_keys_are_pinned(phone: str, key: str | None) -> None:
    assert phone_key(phone, None) == key


@pytest.mark.parametrize(("written", "network", "key"), [
    ("vk:123456", None, "vk:123456"), ("https://vk.com/id123456", None, "vk:123456"),
    ("VK: 123456", None, "vk:123456"), ("123456", "vk", "vk:123456"),
    ("tg:987654", None, "tg:987654"), ("ig:@Brand.Fan", None, "ig:brand.fan"),
    ("instagram.com/Brand.Fan/", None, "ig:brand.fan"), ("vk.com/durov", None, None),
])
def test_the_stored_account_keys_are_pinned(written: str, network: str | None,
                                            key: str | None) -> None:
    """``entries.account`` holds what ``account_key`` read when the entry was taken, and the
    limits tie entries by it (edition 3): another reading needs the stored ones recomputed."""
    assert account_key(written, network) == key, MIGRATION.replace(
        "entries.email_key and entries.household_key", "entries.account")
