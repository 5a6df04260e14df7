"""The rule of one person (contest.identity.ties): which shared keys make two entries one
person, transitively, and which evidence the entry limits count."""

from contest.identity import (
    email_key,
    limits_count,
    one_person,
    person_account_key,
    person_keys,
)


def test_a_mailbox_and_a_persons_phone_are_the_keys_a_placeholder_is_not() -> None:
    assert person_keys(email_key("A.+x@googlemail.com"), "+7 916 123-45-67", "RU") == [
        "email:a@gmail.com", "phone:+79161234567"]
    assert person_keys(None, "+7 916 000-00-00", "RU") == []
    assert person_keys(None, "8 916 123 45 67", "RU") == ["phone:+79161234567"]


def test_entrants_sharing_a_key_are_one_person_transitively_and_the_rest_alone() -> None:
    people = one_person([
        ("anna", ["email:a@gmail.com"]),
        ("anna's phone", ["email:anna@work.example", "phone:+79161234567"]),
        ("boris", ["email:b@mail.ru"]),
        ("anna again", ["email:a@gmail.com", "phone:+79161234567"]),
        ("no contact", []),
        ("nor this one", []),
    ])
    assert people["anna"] == people["anna's phone"] == people["anna again"]
    assert len({people["anna"], people["boris"], people["no contact"],
                people["nor this one"]}) == 4


def test_the_limits_count_mailboxes_and_phones_but_not_devices_or_likeness() -> None:
    assert limits_count(["email", "email"]) and limits_count(["phone", "email"])
    assert not limits_count(["email", "device"])
    assert not limits_count(["same_person"])
    assert not limits_count([])


def test_a_social_account_is_a_key_of_its_own_network() -> None:
    assert person_keys(None, None, account="vk:123456") == ["account:vk:123456"]
    assert person_keys(email_key("a@gmail.com"), None, account="tg:987654") == [
        "email:a@gmail.com", "account:tg:987654"]
    people = one_person([
        ("by the form", person_keys(email_key("a@gmail.com"), None, account="vk:123456")),
        ("read from VK", person_keys(None, None, account="vk:123456")),
        ("on Telegram", person_keys(None, None, account="tg:123456")),
    ])
    assert people["by the form"] == people["read from VK"] != people["on Telegram"]


def test_the_limits_count_a_shared_account() -> None:
    assert limits_count(["account", "account"]) and limits_count(["email", "account"])
    assert not limits_count(["account", "device"])


def test_an_account_no_rule_reads_is_kept_as_written_for_the_graph() -> None:
    assert person_account_key("https://vk.com/id123456") == "vk:123456"
    assert person_account_key("ig:@Brand.Fan") == "ig:brand.fan"
    assert person_account_key(" 123 456 ") == "?123456"
    assert person_account_key("@Brand.Fan") == "?@brand.fan"
    assert person_account_key("  ") is None
