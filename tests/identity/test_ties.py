"""The rule of one person (contest.identity.ties): which shared keys make two entries one
person, transitively, and which evidence the entry limits count."""

from contest.identity import email_key, limits_count, one_person, person_keys


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
