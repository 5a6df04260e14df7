"""The key of an entrant's private receipt link: an HMAC of the ticket, nothing stored."""

import base64
import hashlib
import hmac

from contest.ledger.receipts import is_receipt_key, receipt_key

TICKET = "0123456789abcdef0123456789abcdef"
SECRET = b"a secret key of the deployment"


def test_the_key_is_a_truncated_hmac_of_the_ticket_under_the_secret() -> None:
    digest = hmac.new(SECRET, b"contest-receipt-key/1\n" + TICKET.encode(),
                      hashlib.sha256).digest()
    expected = base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()
    assert receipt_key(TICKET, SECRET) == expected
    assert len(expected) == 22


def test_only_the_tickets_own_key_under_the_same_secret_opens_it() -> None:
    key = receipt_key(TICKET, SECRET)
    assert is_receipt_key(TICKET, key, SECRET)
    assert not is_receipt_key("f" * 32, key, SECRET)
    assert not is_receipt_key(TICKET, key, b"another deployment's secret")
    assert not is_receipt_key(TICKET, key[:-1], SECRET)
    assert not is_receipt_key(TICKET, "", SECRET)
    assert not is_receipt_key(TICKET, "ключ", SECRET)  # not ASCII: refused, no crash
