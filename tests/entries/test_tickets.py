from contest.entries.tickets import TICKET_PATTERN, new_ticket


def test_a_ticket_is_32_lowercase_hex_characters() -> None:
    ticket = new_ticket()
    assert TICKET_PATTERN.fullmatch(ticket), ticket
    assert int(ticket, 16) >= 0 and len(bytes.fromhex(ticket)) == 16


def test_tickets_do_not_repeat() -> None:
    tickets = {new_ticket() for _ in range(10_000)}
    assert len(tickets) == 10_000
