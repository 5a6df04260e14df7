"""The starting draft of a new contest's rules: complete, valid, and meant to be edited.

Placeholders (the sponsor's legal name, the complaints address) carry the marker of
:mod:`contest.rules.placeholders`, so that a marketer sees at once what to replace and
publishing refuses them until replaced; the standard sections are in the contest's own
language.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from contest.rules.document import (
    Announcement,
    ComplaintChannel,
    Eligibility,
    EntryPeriod,
    Money,
    Party,
    Prize,
    RulesDocument,
    Section,
    SectionKind,
)
from contest.rules.placeholders import PLACEHOLDER_MARKERS as _MARK

OPEN_DAYS = 30
DRAW_AFTER_CLOSE_DAYS = 2
LEGAL_MIN_AGE = 18


@dataclass(frozen=True)
class _Defaults:
    timezone: str
    country: str
    prize_name: str
    prize_value: Money
    sponsor: str
    organiser: str
    complaints: str
    sections: tuple[Section, ...]


_EN = _Defaults(
    timezone="UTC",
    country="US",
    prize_name="Gift card",
    prize_value=Money(Decimal("100.00"), "USD"),
    sponsor=f"Sponsor legal name {_MARK['en']}",
    organiser=f"Organiser legal name {_MARK['en']}",
    complaints=f"complaints@example.com {_MARK['en']}",
    sections=(
        Section(
            SectionKind.NO_PURCHASE, "No purchase necessary",
            "No purchase or payment of any kind is necessary to enter or win. A purchase "
            "does not improve the chances of winning.",
        ),
        Section(
            SectionKind.PRIVACY, "Personal data",
            "The organiser processes entrants' personal data only to run this contest: to "
            "check eligibility, draw and contact winners, deliver prizes and answer "
            "complaints. Data is kept no longer than the law requires and is not sold. "
            "Entrants may ask for access to, correction or deletion of their data through "
            "the complaints channel.",
        ),
        Section(
            SectionKind.TAXES, "Taxes",
            "Winners are responsible for any taxes on their prizes unless the law requires "
            "the sponsor to withhold or pay them, in which case the sponsor does so.",
        ),
    ),
)

_RU = _Defaults(
    timezone="Europe/Moscow",
    country="RU",
    prize_name="Подарочный сертификат",
    prize_value=Money(Decimal("10000.00"), "RUB"),
    sponsor=f"Юридическое наименование спонсора {_MARK['ru']}",
    organiser=f"Юридическое наименование организатора {_MARK['ru']}",
    complaints=f"complaints@example.com {_MARK['ru']}",
    sections=(
        Section(
            SectionKind.NO_PURCHASE, "Покупка не требуется",
            "Для участия и получения приза не требуется совершать покупку или вносить "
            "какую-либо плату. Покупка не увеличивает шансы на выигрыш.",
        ),
        Section(
            SectionKind.PRIVACY, "Персональные данные",
            "Организатор обрабатывает персональные данные участников только для проведения "
            "конкурса: проверки права на участие, розыгрыша, связи с победителями, вручения "
            "призов и рассмотрения обращений. Данные хранятся не дольше, чем требует закон, "
            "и не передаются третьим лицам для других целей. Участник вправе запросить "
            "доступ к своим данным, их исправление или удаление через канал для обращений.",
        ),
        Section(
            SectionKind.TAXES, "Налоги",
            "Победитель самостоятельно уплачивает налоги, связанные с получением приза, "
            "если законом не предусмотрено, что их исчисляет и удерживает спонсор как "
            "налоговый агент.",
        ),
    ),
)

_UK = _Defaults(
    timezone="Europe/Kyiv",
    country="UA",
    prize_name="Подарунковий сертифікат",
    prize_value=Money(Decimal("4000.00"), "UAH"),
    sponsor=f"Юридична назва спонсора {_MARK['uk']}",
    organiser=f"Юридична назва організатора {_MARK['uk']}",
    complaints=f"complaints@example.com {_MARK['uk']}",
    sections=(
        Section(
            SectionKind.NO_PURCHASE, "Купівля не потрібна",
            "Для участі та отримання призу не потрібно нічого купувати чи сплачувати. "
            "Купівля не збільшує шансів на виграш.",
        ),
        Section(
            SectionKind.PRIVACY, "Персональні дані",
            "Організатор обробляє персональні дані учасників лише для проведення конкурсу: "
            "перевірки права на участь, розіграшу, зв'язку з переможцями, вручення призів і "
            "розгляду скарг. Дані зберігаються не довше, ніж вимагає закон, і не передаються "
            "третім особам для інших цілей. Учасник може попросити доступ до своїх даних, "
            "їх виправлення або видалення через канал для скарг.",
        ),
        Section(
            SectionKind.TAXES, "Податки",
            "Переможець самостійно сплачує податки, пов'язані з отриманням призу, якщо закон "
            "не покладає їх утримання та сплату на спонсора як податкового агента.",
        ),
    ),
)

_DEFAULTS = {"en": _EN, "ru": _RU, "uk": _UK}


def starter_rules(*, language: str, title: str, now: datetime) -> dict[str, Any]:
    """A valid draft for a new contest in ``language`` (``en``, ``ru`` or ``uk``).

    Entries open at midnight after ``now`` in the contest's time zone (Moscow for Russian,
    Kyiv for Ukrainian, UTC otherwise), close 30 days later, and the draw is 2 days after.
    """
    defaults = _DEFAULTS.get(language, _EN)
    zone = ZoneInfo(defaults.timezone)
    tomorrow = now.astimezone(zone).date() + timedelta(days=1)

    def midnight(days_later: int) -> datetime:
        # Wall-clock midnight in the zone, whatever its offset is on that day.
        return datetime.combine(tomorrow + timedelta(days=days_later), time(0), tzinfo=zone)

    rules = RulesDocument(
        language=language if language in _DEFAULTS else "en",
        title=title,
        sponsor=Party(defaults.sponsor),
        organiser=Party(defaults.organiser),
        period=EntryPeriod(
            timezone=defaults.timezone,
            opens_at=midnight(0),
            closes_at=midnight(OPEN_DAYS),
            draw_at=midnight(OPEN_DAYS + DRAW_AFTER_CLOSE_DAYS),
        ),
        eligibility=Eligibility(
            min_age=LEGAL_MIN_AGE, legal_min_age=LEGAL_MIN_AGE, countries=(defaults.country,)
        ),
        prizes=(Prize(defaults.prize_name, 1, defaults.prize_value),),
        winners=1,
        alternates=1,
        announcement=Announcement(notify_by="email", notify_within_days=3),
        complaints=ComplaintChannel(channel=defaults.complaints, response_business_days=10),
        sections=defaults.sections,
    )
    return rules.to_data()
