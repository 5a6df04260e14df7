"""Who is "the same person": the keys that make two spellings of one mailbox, one phone or one
home equal, and keep two people apart.

The entry form and import (:mod:`contest.entries.submission`), the entry limits
(:mod:`contest.entries.eligibility`) and the participant graph (:mod:`contest.fraud.graph`)
all ask this package, so that an entrant's receipt and the fraud scan read one person alike:

- :func:`email_key`, the mailbox an address delivers to under its provider's rules
  (``Ivan.Petrov+promo@GoogleMail.com`` → ``ivanpetrov@gmail.com``), and
  :func:`is_email_address`, what the form takes as an address, and
  :func:`is_mailable_address`, the same checked by ``email-validator`` (what the live
  channels take);
- :func:`is_disposable` and :func:`disposable_domain`, a throwaway address's listed domain
  (:mod:`.disposable`), which the intake refuses and the participant graph flags as the
  rules say;
- :func:`phone_e164`, a phone in E.164 read in the person's country, :func:`phone_region`
  why a number is not one, and :func:`phone_key`, the number as one person's (placeholders
  such as ``+7 916 000-00-00`` tie no one);
- :func:`household_key`, the building and flat of a postal address in its city (``ул.
  Ленина, д. 5, кв. 12`` and ``Lenina 5-12`` in Moscow are one home; the flat next door is
  another; an address that names no street and house number is no household);
- :func:`account_key`, a social account as ``vk:123456``, ``tg:987654`` or ``ig:username``
  however it is written (``https://vk.com/id123456``), and :func:`person_account_key`, an
  account as the participant graph ties people by it (one no rule reads kept as written);
- the rule itself (:mod:`.ties`): a shared mailbox, phone or social account makes two
  entries one person, whatever names come with them (:func:`person_keys`,
  :func:`one_person`); a device only suggests it, for the auditor to judge
  (:data:`SIGNALS`, :func:`limits_count`).

The stored ``entries.email_key`` and ``entries.household_key`` are these functions' values
(migration 0012 recomputed the older ones): a change to what they return changes who the
limits count as one person, so it comes with a migration recomputing the stored keys
(``tests/identity/test_keys_are_pinned.py`` fails until then).

This package is a leaf: it imports no other package of ``contest``. Its modules:
:mod:`.contacts` (mailboxes, phones, devices), :mod:`.disposable` (throwaway mail domains),
:mod:`.accounts` (social accounts),
:mod:`.addresses` (households, buildings,
cities), :mod:`.skeleton` (the Latin skeleton that names and streets are compared by) and
:mod:`.ties` (which shared keys make one person).
See docs/NORMALISATION.md.
"""

from contest.identity.accounts import account_key, person_account_key, written_account_key
from contest.identity.addresses import HOUSEHOLD_KEY_LENGTH, household_key
from contest.identity.contacts import (
    EMAIL_KEY_LENGTH,
    email_key,
    is_email_address,
    is_mailable_address,
    person_phone_key,
    phone_e164,
    phone_key,
    phone_region,
    written_email_key,
    written_phone_key,
)
from contest.identity.disposable import allowed_domains, disposable_domain, is_disposable
from contest.identity.ties import (
    EDITION,
    PERSON_TIES,
    SIGNALS,
    limits_count,
    one_person,
    person_keys,
)

__all__ = [
    "EDITION", "EMAIL_KEY_LENGTH", "HOUSEHOLD_KEY_LENGTH", "PERSON_TIES", "SIGNALS",
    "account_key", "allowed_domains", "disposable_domain", "email_key", "household_key",
    "is_disposable", "is_email_address", "is_mailable_address", "limits_count",
    "one_person", "person_account_key", "person_keys", "person_phone_key", "phone_e164",
    "phone_key", "phone_region", "written_account_key", "written_email_key",
    "written_phone_key",
]
