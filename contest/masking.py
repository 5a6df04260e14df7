"""What may be shown of a person to the public: a masked name, never contacts or addresses.
(Of a URL in a message or in output, everything but its password: :mod:`contest.urls`.)

A masked name is the given name and the surname's initial ("Платон Н.", "John S."), found by
the participant graph's name parsing (:func:`contest.fraud.names.name_parts`) in whatever
order the name was written: "Given Surname", "Surname Given Patronymic", "Surname Given",
"Given Patronymic Surname", "Surname, Given", with initials, hyphens or one word. The
patronymic, middle names and the second half of a double surname are left out. When the
words alone cannot tell the given name from the surname ("Chidi Okafor": neither is a known
given name nor has a surname's ending) only the initials are shown, in the order written; a
lone surname shows as its initial.

A masked name is still about a person: it appears only next to what the public record says of
every entry anyway (a winner's ticket and country, or nothing), never next to an exclusion
reason.
"""

from contest.fraud.names import name_parts


def _initial(word: str) -> str:
    """A word's initial: ``Никонов`` → ``Н.``."""
    return word[0].upper() + "."


def _as_initial(written: str) -> str:
    """An initial as it was written, without its dot: ``Yu`` → ``Yu.``, ``и`` → ``И.``."""
    return written[0].upper() + written[1:] + "."


def mask_name(full_name: str) -> str:
    """``Никонов Платон Харламович`` → ``Платон Н.``; ``John F. Kennedy`` → ``John K.``;
    ``И.И. Иванов`` → ``И. И.``; ``Chidi Okafor`` → ``C. O.``; ``""`` → ``""``."""
    parts = name_parts(full_name)
    if parts.unsure:
        return " ".join(_initial(word) for word in parts.words)
    if parts.given is not None:
        given = parts.given[0].upper() + parts.given[1:] if parts.given.islower() else (
            parts.given)
        if parts.surname is not None:
            return f"{given} {_initial(parts.surname)}"
        return f"{given} {_as_initial(parts.initials[-1])}" if parts.initials else given
    shown = [_as_initial(initial) for initial in parts.initials[:1]]
    if parts.surname is not None:
        shown.append(_initial(parts.surname))
    elif len(parts.initials) > 1:
        shown.append(_as_initial(parts.initials[-1]))
    return " ".join(shown)
