"""What the door checks of a live entry's e-mail address, beyond reading it: the checks of
issue 21 against entrants who do not exist, kept apart from the reading of the fields
(:mod:`contest.entries.submission`) so that an entry brought in never meets them.

- The address must be one mail can reach by its syntax and domain
  (:func:`~contest.identity.contacts.is_mailable_address`, through ``email-validator``, no
  network look-up): ``ivan@mail.local`` is refused at the form, the API and the Telegram
  bot, and kept as written when a file brings it in.
- A disposable address (:mod:`contest.identity.disposable`) is refused when the rules say
  ``defences.disposable_email: refuse``, with a message by the e-mail field in the
  entrant's language; ``flag`` takes it and the participant graph flags it for the
  auditor; ``allow`` takes it as any other.
- An entry with no address is refused when the rules ask its channel's entrants to confirm
  theirs (:mod:`contest.entries.confirmation`): there is nothing to send the link to.
"""

from contest.entries.confirmation import asks
from contest.errors import FieldError
from contest.i18n import N_
from contest.identity.contacts import is_mailable_address
from contest.identity.disposable import disposable_domain
from contest.models import Channel
from contest.rules.document import DisposableEmail, RulesDocument


def door_refusals(rules: RulesDocument, channel: Channel,
                  email: str | None) -> list[FieldError]:
    """The errors that keep a live entry through ``channel`` with the e-mail address
    ``email`` (as read: :attr:`~contest.entries.submission.Submission.email`) out, under
    ``rules``."""
    if email is None:
        if asks(rules, channel):
            return [FieldError("email", "required_to_confirm", N_(
                "is needed: the rules ask every entrant to confirm their e-mail address "
                "through a link sent to it"))]
        return []
    if not is_mailable_address(email):
        return [FieldError("email", "invalid_email",
                           N_("\"{value}\" is not an email address"), {"value": email})]
    if rules.defences.disposable_email == DisposableEmail.REFUSE:
        domain = disposable_domain(email)
        if domain is not None:
            return [FieldError("email", "disposable_email", N_(
                "\"{value}\" is a disposable address ({domain}), which this contest does "
                "not take: enter an address you will keep, as the prize is announced to it"),
                {"value": email, "domain": _as_written(domain)})]
    return []


def _as_written(domain: str) -> str:
    """A listed domain as people write it: IDNA's ``xn--`` labels in their own letters
    (``xn--9kq967o.com`` → ``雨云.com``), or as listed when IDNA cannot read it."""
    try:
        return domain.encode("ascii").decode("idna")
    except UnicodeError:
        return domain
