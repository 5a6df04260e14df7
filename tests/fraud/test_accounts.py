"""Social accounts in the participant graph (issue 20): an entry from a staff member's
account, or a declared relative's, is theirs; two entries from one account are one person's,
as the entry limits count them; the roster and relatives files may list several accounts,
and one no rule reads is warned about and kept, never dropping the person."""

from contest.fraud.graph import profile
from contest.fraud.people import PersonKind, read_entries, read_relatives, read_staff
from contest.fraud.picture import evidence_lines, evidence_svg, path_nodes
from contest.fraud.scan import scan
from contest.identity import limits_count

STAFF = ("staff_id,full_name,email,phone,birth_date,country,account\n"
         "S1,Иван Петров,ivan@brand.ru,,1984-03-27,RU,https://vk.com/id123456; ig:Ivan.Petrov\n"
         "S2,Ольга Смирнова,olga@brand.ru,,1990-01-01,RU,\n")
RELATIVES = ("staff_id,full_name,relation,phone,account\n"
             "S2,Мария Смирнова,sister,,tg:987654\n")
HEADER = "entry_id,submitted_at,full_name,email,phone,birth_date,country,account"


def _scan(*rows: str) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """Each flag of a scan of entries ``rows`` against the staff and relatives above: its
    kind, whom it ties the entry to, and the labels of its evidence."""
    staff = read_staff(STAFF.encode())
    relatives = read_relatives(RELATIVES.encode(), staff.people)
    entries = read_entries("\n".join((HEADER, *rows)).encode())
    assert not (staff.warnings or relatives.warnings or entries.warnings)
    result = scan(entries.people, staff.people, relatives.people)
    return {flag.entry_id: (flag.kind, flag.related_to,
                            tuple(edge["label"] for edge in flag.evidence))
            for flag in result.flags}


def test_a_staff_members_account_entering_is_the_employee() -> None:
    found = _scan("e1,2026-09-20T10:00:00+03:00,Иван Петров,,,,RU,vk:123456",
                  "e2,2026-09-20T11:00:00+03:00,Ivan Petrov,,,,RU,ig:ivan.petrov")
    assert found == {"e1": ("employee", "S1", ("account", "account")),
                     "e2": ("employee", "S1", ("account", "account"))}


def test_a_declared_relatives_account_entering_is_the_relative() -> None:
    found = _scan("e1,2026-09-20T10:00:00+03:00,Мария Смирнова,,,,RU,tg:987654")
    assert found == {"e1": ("relative", "S2", ("account", "account", "declared_relative"))}


def test_another_name_on_a_staff_members_account_is_a_proxy() -> None:
    found = _scan("e1,2026-09-20T10:00:00+03:00,Анна Кузнецова,,,,RU,vk:123456")
    assert found == {"e1": ("proxy", "S1", ("account", "account"))}


def test_one_number_on_another_network_is_someone_else() -> None:
    assert _scan("e1,2026-09-20T10:00:00+03:00,Анна Кузнецова,,,,RU,tg:123456") == {}


def test_two_entries_from_one_account_are_one_person_by_the_limits_rule() -> None:
    """Another name, no contact in common but the account: the later entry is a duplicate the
    limits counted (its receipt says person_limit), its evidence the account alone."""
    found = _scan("e1,2026-09-20T10:00:00+03:00,Анна Кузнецова,anna@mail.ru,,,RU,vk:555",
                  "e2,2026-09-21T10:00:00+03:00,Аня К.,,,,RU,https://vk.com/id555")
    assert found == {"e2": ("duplicate", "e1", ("account", "account"))}
    assert limits_count(found["e2"][2])


def test_the_auditor_reads_which_account_was_shared() -> None:
    staff = read_staff(STAFF.encode())
    entries = read_entries(
        f"{HEADER}\ne1,2026-09-20T10:00:00+03:00,Анна Кузнецова,,,,RU,vk:123456".encode())
    [flag] = scan(entries.people, staff.people).flags
    names = {"entry:e1": "Анна Кузнецова", "staff:S1": "Иван Петров (S1)"}
    assert evidence_lines(flag.evidence, names, "en") == [
        "Entrant Анна Кузнецова and staff member Иван Петров (S1) entered from the same "
        "social account: vk:123456."]
    assert path_nodes(flag.evidence) == ["entry:e1", "account:vk:123456", "staff:S1"]
    picture = evidence_svg(flag.evidence, names, title="Why", language="en")
    assert "Social account" in picture and "the same social account" in picture


def test_a_roster_lists_several_accounts_and_keeps_one_no_rule_reads() -> None:
    """An account written without its network cannot be read: it is warned about with its
    line and column, kept as written (it still matches the same value elsewhere), and the
    staff member is kept with their other accounts."""
    read = read_staff("табельный номер,ФИО,аккаунт в соцсети\n"
                      "S1,Иван Петров,vk:123456; 98765\n"
                      "S2,Ольга Смирнова,@olga\n".encode())
    assert [(person.key, person.accounts) for person in read.people] == [
        ("S1", ("vk:123456", "98765")), ("S2", ("@olga",))]
    assert [(w.line, w.column, w.code, w.params["value"]) for w in read.warnings] == [
        (2, "аккаунт в соцсети", "invalid_account", "98765"),
        (3, "аккаунт в соцсети", "invalid_account", "@olga")]
    assert "kept as written" in read.warnings[0].message
    assert profile(read.people[0]).values("account") == ["vk:123456", "?98765"]


def test_a_row_naming_only_an_account_names_someone() -> None:
    relatives = read_relatives(b"staff_id,relation,account\nS1,spouse,tg:987654\n")
    assert not relatives.rejected
    [person] = relatives.people
    assert (person.kind, person.accounts) == (PersonKind.RELATIVE, ("tg:987654",))
    entries = read_entries(b"entry_id,account\ne1,ig:brand.fan\n")
    assert [person.accounts for person in entries.people] == [("ig:brand.fan",)]
