"""The detectors on names and homes as people write them: initials, a name typed with the
other keyboard layout on, a house and flat written "5/12"."""

from contest.fraud.people import read_entries, read_relatives, read_staff
from contest.fraud.scan import scan

STAFF = ("staff_id,full_name,email,phone,birth_date,address,city,postal_code,country\n"
         "S1,Можаев Иосиф Аверьянович,i.mozhaev@triada.ru,8 (912) 933-82-36,1984-03-27,"
         "\"ул. Береговая, д. 45, кв. 190\",Самара,,RU\n"
         "S2,Кириленко Єва Ааронівна,,38067 2615657,1999-03-24,,Болград,,UA\n"
         "S3,\"Nelson, Regan Syreeta\",r.nelson@brightline.com,,1992-02-29,,,,US\n")
RELATIVES = ("staff_id,full_name,relation,email,phone,address,city,postal_code,country\n"
             "S1,Христофор Бутин,sibling,,+7 (961) 193-39-02,,,,RU\n")
HEADER = "entry_id,submitted_at,full_name,email,phone,birth_date,address,city,postal_code,country"


def flags(*rows: str) -> dict[str, tuple[str, str]]:
    """The flags of a scan of entries ``rows`` (after the header) against the staff above."""
    staff = read_staff(STAFF.encode())
    relatives = read_relatives(RELATIVES.encode(), staff.people)
    entries = read_entries("\n".join((HEADER, *rows)).encode())
    assert not (staff.rejected or relatives.rejected or entries.rejected)
    result = scan(entries.people, staff.people, relatives.people)
    return {flag.entry_id: (flag.kind, flag.related_to) for flag in result.flags}


def test_a_staff_member_writing_initials_with_their_own_phone_is_the_employee() -> None:
    found = flags("e1,2026-09-20T10:00:00+03:00,Можаев И. А.,,8 912 933 82 36,1984-03-27,,,,RU",
                  "e2,2026-09-20T11:00:00+03:00,I.A. Mozhaev,,+79129338236,,,,,RU")
    assert found == {"e1": ("employee", "S1"), "e2": ("employee", "S1")}


def test_a_staff_member_writing_initials_on_their_birthday_is_the_employee() -> None:
    found = flags("e1,2026-09-20T10:00:00+03:00,Можаев И.А.,x@mail.ru,,1984-03-27,,,,RU")
    assert found == {"e1": ("employee", "S1")}


def test_a_declared_relative_writing_initials_with_their_own_phone_is_the_relative() -> None:
    found = flags("e1,2026-09-20T10:00:00+03:00,Бутин Х. А.,,+7 961 1933902,2000-02-07,,,,RU")
    assert found == {"e1": ("relative", "S1")}


def test_initials_alone_are_not_a_person() -> None:
    """A namesake written with initials, born another day, sharing nothing: no flag; a
    stranger whose initial fits no word of the staff member's name, with their phone: a
    proxy."""
    found = flags("e1,2026-09-20T10:00:00+03:00,Можаев И. А.,y@mail.ru,,1990-01-01,,,,RU",
                  "e2,2026-09-20T10:00:00+03:00,Можаев П. А.,,89129338236,1990-01-01,,,,RU")
    assert found == {"e2": ("proxy", "S1")}


def test_a_staff_member_typing_their_name_with_the_latin_layout_on_is_the_employee() -> None:
    found = flags("e1,2026-09-20T10:00:00+03:00,'df Rbhbktyrj,,067-261-56-57,1999-03-24,,,,UA",
                  "e2,2026-09-20T10:00:00+03:00,Rbhbktyrj Tdf,,,1999-03-24,,,,UA")
    assert found == {"e1": ("employee", "S2"), "e2": ("employee", "S2")}


def test_a_home_written_with_a_slash_for_house_and_flat_is_that_flat() -> None:
    """S1 lives at "ул. Береговая, д. 45, кв. 190": an entrant of another surname who writes
    "Береговая ул 45/190" lives there (a household), one under S1's surname is family (a
    relative); a neighbour in flat 191 is neither."""
    found = flags(
        'e1,2026-09-20T10:00:00+03:00,Анна Лаврина,a@mail.ru,,1990-01-01,"Береговая ул 45/190",'
        'Самара,,RU',
        'e2,2026-09-20T10:00:00+03:00,Ольга Можаева,o@mail.ru,,1960-01-01,"ул. Береговая, 45/190",'
        'Самара,,RU',
        'e3,2026-09-20T10:00:00+03:00,Олег Лавров,l@mail.ru,,1970-01-01,"ул. Береговая, 45/191",'
        'Самара,,RU')
    assert found == {"e1": ("household", "S1"), "e2": ("relative", "S1")}


def test_the_family_surname_with_a_typo_at_the_staff_home_is_a_relative() -> None:
    found = flags(
        'e1,2026-09-20T10:00:00+03:00,Можеав Олег,o@mail.ru,,1960-01-01,'
        '"ул. Береговая, д. 45, кв. 190",Самара,,RU',
        'e2,2026-09-20T10:00:00+03:00,Анна Лаврина,a@mail.ru,,1990-01-01,'
        '"ул. Береговая, д. 45, кв. 190",Самара,,RU')
    assert found == {"e1": ("relative", "S1"), "e2": ("household", "S1")}


def test_a_staff_member_writing_an_initial_and_leaving_out_a_middle_name_is_the_employee(
        ) -> None:
    found = flags("e1,2026-09-20T10:00:00-04:00,R. Nelson,r.nelson@brightline.com,,,,,,US",
                  "e2,2026-09-20T10:00:00-04:00,P. Nelson,R.Nelson@brightline.com,,,,,,US")
    assert found == {"e1": ("employee", "S3"), "e2": ("proxy", "S3")}
