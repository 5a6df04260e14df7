"""Person names compared across scripts, spellings, name order and grammatical gender.

The participant graph joins entrants, staff members and declared relatives partly by name,
so a name written in Cyrillic, in a passport's Latin letters or in someone's own informal
spelling has to meet itself — and two different names must not.

Words are compared by their *skeleton* (:func:`contest.identity.skeleton.fold_word`),
equal for the transliterations people actually use.

:func:`name_key` parses a full name into a :class:`NameKey`: patronymics (-ovich, -ovna,
-ivna, -ichna, "оглы"…) are set aside, single letters are initials, and the surname is found
from a comma ("IVANOV, Ivan"), the patronymic's place, a word in capitals, a lexicon of
given names, or a surname ending. :func:`name_similarity` compares two keys whatever their
order; typos cost little (optimal string alignment distance from rapidfuzz, which counts a
swap of two neighbouring letters as one edit), two known different given names cost all.
:func:`name_parts` gives the same parse with the words as written (for the public's
masked names, :mod:`contest.masking`). :func:`surname_stems` gives gender-neutral surnames
(Иванова → ivanov, Petrovskaya → petrovsk, Ковальська → kovalsk, Шевченко unchanged) for
"same family" checks.

A name is not an identity: namesakes exist, and the detectors combine names with birth dates
and contacts. See docs/NORMALISATION.md for what is folded, what is kept apart, the limits,
and the measured cost (a new name takes 5-10 µs on a recent laptop, a repeated one 0.2 µs).
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import permutations
from typing import NamedTuple

from rapidfuzz.distance import OSA

from contest.identity.skeleton import APOSTROPHES, WORD, fold_word, other_layout

# A word of a name: letters, apostrophes inside (Natal'ia, Ukrainian Мар'яна), maybe a dot.
_NAME_PART = re.compile(r"[^\W\d_]+(?:[’'`´][^\W\d_]+)*\.?|,")


# --- Readable transliteration ------------------------------------------------------------------

_RU_READABLE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}
_UK_READABLE = {
    **_RU_READABLE, "г": "h", "ґ": "g", "е": "e", "є": "ie", "и": "y", "і": "i", "ї": "i",
    "й": "i", "ю": "iu", "я": "ia", "ё": "io", "ы": "y", "э": "e",
}
_UK_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_RU_AFTER_VOWEL = {"е": "ye", "ё": "yo"}
_RU_VOWELS = frozenset("аеёиоуыэюяъь")
_UK_LETTERS = frozenset("іїєґ")
_HUSHING = frozenset("жчшщ")
_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+")


def _romanise(word: str, ukrainian: bool) -> str:
    lower = word.lower()
    out = []
    for i, letter in enumerate(lower):
        previous = lower[i - 1] if i else ""
        if ukrainian:
            if not i and letter in _UK_INITIAL:
                latin = _UK_INITIAL[letter]
            elif letter == "г" and previous == "з":
                latin = "gh"    # зг is zgh, kept apart from ж (zh)
            else:
                latin = _UK_READABLE.get(letter, letter)
        elif letter in _RU_AFTER_VOWEL and (not i or previous in _RU_VOWELS):
            latin = _RU_AFTER_VOWEL[letter]
        elif letter == "ё" and previous in _HUSHING:
            latin = "o"
        else:
            latin = _RU_READABLE.get(letter, letter)
        if word[i] != letter:
            latin = latin.upper() if word.isupper() and len(word) > 1 else latin.capitalize()
        out.append(latin)
    return "".join(out)


def transliterate(text: str, language: str | None = None) -> str:
    """``text`` in plain readable Latin letters, for display and evidence.

    Russian words follow BGN/PCGN without its diacritics and apostrophes (Юлия Щукина →
    Yuliya Shchukina); Ukrainian words (``language="uk"``, or any word with і, ї, є or ґ)
    follow the national system of 2010 (Григорій → Hryhorii, Євген → Yevhen). Text that is
    not Cyrillic is returned as it is.
    """
    def word(match: re.Match[str]) -> str:
        found = match.group()
        ukrainian = language == "uk" or (language is None and not _UK_LETTERS.isdisjoint(
            found.lower()))
        return _romanise(found, ukrainian)

    return _CYRILLIC_WORD.sub(word, text)


# --- Given names, patronymics, surnames ---------------------------------------------------------

# One given name a line (or between semicolons): its Russian and Ukrainian forms and common
# Latin spellings. Two names on different lines are different names (Maria and Marina,
# Aleksandr and Aleksandra), which typo likeness alone cannot tell.
_GIVEN_NAMES = """
Александр Олександр Alexander Aleksander Alexandr Aleksandr Oleksandr
Алексей Олексій Aleksei Alexey Oleksii Oleksiy
Анатолий Анатолій Anatoly Anatolii Anatoliy
Андрей Андрій Andrei Andrey Andrii Andriy
Антон Anton
Аркадий Аркадій Arkady Arkadii
Арсений Арсеній Arseny Arsenii
Артём Artem Artyom
Артур Arthur Artur
Богдан Bohdan
Борис Борис Boris Borys
Вадим Vadym
Валентин Valentyn
Валерий Валерій Valery Valerii
Василий Василь Vasily Vasilii Vasyl
Виктор Віктор Viktor Victor
Виталий Віталій Vitaly Vitalii
Владимир Володимир Vladimir Volodymyr
Владислав Vladyslav
Вячеслав В'ячеслав Vyacheslav Viacheslav
Геннадий Геннадій Gennady Hennadii
Георгий Георгій Georgy Heorhii
Глеб Гліб Gleb Hlib
Григорий Григорій Grigory Hryhorii
Даниил Данило Данила Daniil Danylo
Денис Denys
Дмитрий Дмитро Dmitry Dmytro
Евгений Євген Evgeny Yevhen Ievgen Evgen Yevgeny Jewgeni
Егор Yegor
Иван Іван Ivan
Игорь Ігор Igor Ihor
Илья Ілля Ilya Illia
Кирилл Кирило Kirill Kyrylo
Константин Костянтин Konstantin Kostiantyn Constantin
Лев Lev
Леонид Леонід Leonid
Максим Maksim Maxim Maksym
Марк Mark Marc
Матвей Матвій Matvey Matvii
Михаил Михайло Mikhail Mykhailo
Назар Nazar
Никита Микита Nikita Mykyta
Николай Микола Nikolai Nikolay Mykola
Олег Oleh
Остап Ostap
Павел Павло Pavel Pavlo
Пётр Петро Petr Pyotr Petro
Роман Roman
Руслан Ruslan
Святослав Sviatoslav
Семён Semen Semyon
Сергей Сергій Sergey Sergei Serhii Serhiy
Станислав Станіслав Stanislav
Степан Stepan
Тарас Taras
Тимофей Тимофій Timofey Tymofii
Тимур Timur
Фёдор Федір Fedor Fyodor Fedir
Филипп Пилип Filipp Pylyp Philip Phillip
Эдуард Едуард Eduard Edward
Юрий Юрій Yury Yurii Iurii Youri
Ярослав Yaroslav
Ян Yan Jan
Захар Zakhar
Давид David
Даниэль Daniel
Александра Олександра Alexandra Aleksandra Oleksandra
Алина Аліна Alina
Алиса Аліса Alisa
Алла Alla
Алёна Альона Alena Alyona
Анастасия Анастасія Anastasia Anastasiya Anastasiia
Ангелина Angelina
Анна Ганна Anna Hanna Hannah
Антонина Antonina
Валентина Valentyna
Валерия Валерія Valeria Valeriya
Вера Віра Vera Vira
Вероника Вероніка Veronika Veronica
Виктория Вікторія Viktoria Victoria Viktoriya
Галина Halyna
Дарья Дарина Daria Darya Daryna
Диана Діана Diana
Евгения Євгенія Evgenia Yevheniia
Екатерина Катерина Ekaterina Yekaterina Kateryna
Елена Олена Elena Yelena Olena
Елизавета Єлизавета Elizaveta Yelyzaveta
Жанна Zhanna
Зоя Zoya
Инна Інна Inna
Ирина Ірина Irina Iryna
Карина Karina
Кира Kira
Кристина Христина Kristina Khrystyna Christina
Ксения Ксенія Kseniya Xenia Kseniia
Лариса Larysa
Лидия Лідія Lidia Lidiya
Любовь Любов Lyubov Liubov
Людмила Lyudmila Liudmyla
Маргарита Marharyta
Марина Maryna
Мария Марія Maria Mariya Mariia
Милана Milana
Мирослава Myroslava
Надежда Надія Nadezhda Nadiia
Наталья Наталия Наталія Natalya Natalia Nataliia
Нина Ніна Nina
Оксана Oksana
Олеся Olesya Olesia
Ольга Olga Olha
Полина Поліна Polina
Раиса Раїса Raisa
Светлана Світлана Svetlana Svitlana
Снежана Сніжана Snezhana Snizhana
Софья София Софія Sofia Sofiya Sophia
Таисия Taisiya
Тамара Tamara
Татьяна Тетяна Tatiana Tatyana Tetiana
Ульяна Уляна Ulyana Uliana
Юлия Юлія Yulia Yuliya Iuliia Julia
Яна Yana Iana
Соломия Соломія Solomiia
Агата Agata
Арина Аріна Arina
Варвара Varvara
Василиса Vasilisa
Злата Zlata
Лилия Лілія Liliia Lilia
Майя Майя Maya Maia
Мила Mila
Эмилия Емілія Emilia
Эльвира Ельвіра Elvira
Зинаида Zinaida
Клавдия Klavdia
Римма Rimma
Роза Roza
Вениамин Veniamin
Всеволод Vsevolod
Герман Herman German
Демид Demid
Елисей Yelisey Elisei
Ефим Yefim Efim
Игнат Ihnat Ignat
Иосиф Йосип Iosif Yosyp
Лука Luka
Мирон Myron Miron
Платон Platon
Прохор Prokhor
Родион Rodion
Савелий Saveliy Savelii
Тихон Tikhon
Яков Яків Yakov Iakov
Кузьма Kuzma
Макар Makar
Ростислав Rostyslav Rostislav
Трофим Trofim
Харитон Khariton
Богдана Bohdana
Зоряна Zoriana
Aaron; Adam; Adrian; Aidan; Albert Альберт; Alex; Alfred; Allen; Alan Allan; Alvin; Andre;
Andrew; Andy; Angel; Anthony Antony; Antonio; Arnold; Austin; Barry; Ben; Benjamin; Bernard;
Bill; Billy; Blake; Bob; Bobby; Brad; Bradley; Brandon; Brendan; Brent; Brett; Brian Bryan;
Bruce; Byron; Calvin; Cameron; Carl Karl; Carlos; Casey; Cecil; Chad; Charles; Charlie; Chase;
Chris; Christian; Christopher; Clarence; Clayton; Clifford; Clinton; Cody; Cole; Colin Collin;
Connor; Corey Cory; Craig; Curtis; Dale; Dalton; Damon; Dan; Danny; Darius; Darren; Darryl;
Dave; Dean; Derek; Derrick; Devin; Dennis; Dominic; Don; Donald; Douglas; Drew; Duane Dwayne;
Dustin; Dylan; Earl; Eddie; Edgar; Edwin; Elijah; Elliot Elliott; Emmanuel; Eric Erik Эрик;
Ernest; Ethan; Eugene; Evan; Felix Феликс Фелікс; Fernando; Floyd; Francis; Francisco; Frank;
Franklin; Fred; Frederick; Gabriel; Garrett; Gary; Gavin; Gene; Geoffrey; George; Gerald;
Gilbert; Glenn Glen; Gordon; Grant; Greg; Gregory; Harold; Harry; Harvey; Hector; Henry;
Herbert; Howard; Hunter; Ian; Isaac; Jack; Jacob; Jake; James; Jared; Jason; Javier; Jay; Jeff;
Jeffrey; Jeremiah; Jeremy; Jerome; Jerry; Jesse; Jesus; Jim; Jimmy; Joe; Joel; John; Johnny;
Jon; Jonathan; Jordan; Jorge; Jose; Joseph; Joshua; Juan; Julian; Justin; Keith; Ken; Kenneth;
Kent; Kevin; Kurt; Kyle; Lance; Larry; Lawrence; Lee; Leo; Leon; Leonard; Leroy; Lewis; Logan;
Louis; Lucas; Luis; Luke; Malcolm; Manuel; Marcus; Mario; Marshall; Martin; Marvin; Mason;
Matthew; Maurice; Max; Melvin; Michael; Miguel; Mike; Miles; Mitchell; Nathan; Nathaniel; Neil;
Nicholas; Noah; Norman; Oliver; Omar; Oscar Оскар; Owen; Patrick; Paul; Pedro; Perry; Peter;
Preston; Rafael; Ralph; Randall; Randy; Ray; Raymond; Reginald; Ricardo; Richard; Ricky; Riley;
Robert; Roberto; Rodney; Roger; Roland; Ron; Ronald; Ross; Roy; Ruben; Russell; Ryan; Sam;
Samuel; Scott; Sean; Sergio; Seth; Shane; Shawn; Spencer; Stanley; Steven Stephen; Steve;
Stuart; Taylor; Terrance Terrence; Terry; Theodore; Thomas; Tim; Timothy; Todd; Tom; Tommy;
Tony; Travis; Trevor; Troy; Tyler; Tyrone; Vincent; Walter; Warren; Wayne; Wesley; William;
Willie; Xavier; Zachary;
Abigail; Adriana; Alexis; Alice; Alicia; Allison Alison; Alyssa; Amanda; Amber; Amy; Andrea;
Angela; Angelica; Anita; Ann Anne; Annette; April; Ashley; Audrey; Barbara; Becky; Belinda;
Beth; Betty; Beverly; Bonnie; Brandi Brandy; Brenda; Brianna; Bridget; Brittany; Brooke;
Caitlin Kaitlyn; Candace; Carla; Carmen; Carol; Caroline; Carolyn; Carrie; Cassandra; Katherine
Catherine Kathryn; Cathy Kathy; Cecilia; Chelsea; Cheryl; Christine; Cindy; Claire; Claudia;
Colleen; Connie; Courtney; Crystal Krystal; Cynthia; Daisy; Dana; Danielle; Dawn; Debbie;
Deborah; Debra; Denise; Dolores; Donna; Doris; Dorothy; Edith; Elaine; Eleanor; Elizabeth;
Ellen; Emily; Emma; Erica Erika; Erin; Esther; Eva Ева Єва; Evelyn; Faith; Felicia; Frances;
Gabriela; Gail; Gina; Gloria; Grace; Gwendolyn; Hailey Haley; Heather; Heidi; Helen; Holly;
Hope; Irene; Isabel; Isabella; Jacqueline; Jamie; Jane; Janet; Janice; Jasmine; Jean; Jeanette;
Jennifer; Jenny; Jessica; Jill; Joan; Joann; Joanna; Jocelyn; Jodi; Joy; Joyce; Juanita;
Judith; Judy; Julie; June; Karen; Kari; Katelyn; Kathleen; Katie; Kayla; Kelly; Kelsey; Kendra;
Kim; Kimberly; Kristen; Kristin; Kristy; Laura; Lauren; Leah; Leslie; Lillian; Linda; Lindsay
Lindsey; Lisa; Lori; Lorraine; Louise; Lucy; Lynn; Mackenzie; Madison; Mallory; Marcia;
Margaret; Marie; Marilyn; Marissa; Marsha; Martha; Mary; Megan; Melanie; Melinda; Melissa;
Meredith; Michelle Michele; Miranda; Misty; Molly; Monica; Monique; Morgan; Nancy; Natalie;
Nicole; Norma; Olivia; Paige; Pamela; Patricia; Paula; Peggy; Penny; Phyllis; Priscilla;
Rachel; Rebecca; Regina Регина; Renee; Rhonda; Rita; Roberta; Robin; Rosa; Rose; Ruth; Sabrina;
Sally; Samantha; Sandra; Sarah Sara; Savannah; Shannon; Sharon; Sheila; Shelby; Shelley;
Shirley; Sierra; Sonia; Stacey; Stacy; Stephanie; Sue; Susan; Suzanne; Sydney; Sylvia; Tabitha;
Tammy; Tanya; Tara; Teresa Theresa; Tiffany; Tina; Toni; Tonya; Tracey; Tracy; Valerie;
Vanessa; Vicki; Virginia; Wanda; Wendy; Whitney; Yolanda; Yvonne
"""


def _given_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for line in _GIVEN_NAMES.replace(";", "\n").split("\n"):
        spellings = [fold_word(word) for word in WORD.findall(line)]
        if not spellings:
            continue
        for spelling in spellings:
            names.setdefault(spelling, spellings[0])
    return names


GIVEN_NAMES: dict[str, str] = _given_names()
"""Folded spelling of a known given name → the folded first spelling of its line."""

_PATRONYMIC = re.compile(r"[a-z]{2,}(?:ovich|evich|ovna|evna|ichna|ivna|ich)")
# Azerbaijani and Central Asian patronymics: "Мамедов Али Гусейн оглы" (son of Huseyn).
_PATRONYMIC_MARKERS = frozenset({"ogli", "oglu", "uli", "ulu", "kizi", "gizi"})
# Folded surname endings: the Slavic, Georgian and Armenian ones say "surname" clearly; the
# weak ones end given names too (Erin, Dustin, Jackson).
_SURNAME_ENDING = re.compile(
    r"[a-z]{2,}(?:ov|ev|ova|eva|sk|ski|ska|skaia|skoi|ck|cki|cka|ckaia|ckoi|zki|zka|enko|uk|"
    r"chuk|ich|ian|ianc|dze|shvili)")
_WEAK_SURNAME_ENDING = re.compile(r"[a-z]{2,}(?:in|ina|ko|ak|ik|son|sen|ez|man)")
# Gendered surname endings (folded) → the ending of the neutral stem, longest first.
_GENDERED = (
    ("skaia", "sk"), ("ckaia", "ck"), ("zkaia", "zk"), ("skoi", "sk"), ("ckoi", "ck"),
    ("zkoi", "zk"), ("ska", "sk"), ("cka", "ck"), ("zka", "zk"), ("ski", "sk"),
    ("cki", "ck"), ("zki", "zk"), ("ova", "ov"), ("eva", "ev"), ("ina", "in"),
    ("aia", ""), ("oi", ""),
)


@lru_cache(maxsize=1 << 16)
def neutral_surname(surname: str) -> str:
    """The gender-neutral stem of a folded surname: ivanova → ivanov, petrovskaia and
    petrovski → petrovsk, tolstaia and tolstoi → tolst; others unchanged (shevchenko)."""
    for ending, stem in _GENDERED:
        if surname.endswith(ending) and len(surname) - len(ending) >= 3:
            return surname[: -len(ending)] + stem
    return surname


def _surname_score(token: str) -> float:
    if token in GIVEN_NAMES:
        return -3.0
    if _SURNAME_ENDING.fullmatch(token):
        return 2.0
    return 1.0 if _WEAK_SURNAME_ENDING.fullmatch(token) else 0.0


# --- Parsed names -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NameKey:
    """One full name, parsed and folded (see :func:`name_key`)."""

    tokens: tuple[str, ...]
    """Folded name words in the order given, without patronymic and initials; the surname
    keeps its gendered form here (ivanova), so brother and sister stay apart."""
    given: str | None = None
    """Best guess of the given name, folded."""
    surname: str | None = None
    """Best guess of the surname, folded and gender-neutral (ivanova → ivanov)."""
    initials: tuple[str, ...] = ()
    """Folded initials in the order given (Ю. → iu, Y. → i)."""
    patronymic: str | None = None
    """The folded patronymic, when one was written."""
    surnames: tuple[str, ...] = ()
    """Gender-neutral surname candidates, the best guess first (see :func:`surname_stems`)."""
    written: tuple[str, ...] = ()
    """``tokens`` as written, lowercased, in their own script: typos are measured on these
    too, since folding can turn one wrong letter into two (Kudryavstev, Прохор → Проор)."""


_WRITTEN = str.maketrans(dict.fromkeys(APOSTROPHES, None))


def _as_written(word: str) -> str:
    text = word.lower().translate(_WRITTEN)
    if text.isascii():
        return text
    kept: list[str] = []
    for c in unicodedata.normalize("NFD", text):
        if unicodedata.combining(c) and kept and kept[-1].isascii():
            continue                        # é → e, but й and ё stay
        kept.append(c)
    return unicodedata.normalize("NFC", "".join(kept))


class _Word(NamedTuple):
    folded: str
    written: str
    score: float            # how much it looks like a surname (see _surname_score)
    patronymic: bool        # shaped like a patronymic
    capitals: bool          # written in capitals (IVANOV Ivan)
    initial: bool           # a single letter, or two with a dot (Yu.)


@lru_cache(maxsize=1 << 17)
def _word(part: str) -> _Word:
    letters = part.rstrip(".")
    folded = fold_word(letters)
    return _Word(folded, _as_written(letters), _surname_score(folded),
                 _PATRONYMIC.fullmatch(folded) is not None, letters.isupper(),
                 len(letters) == 1 or (len(letters) == 2 and len(part) == 3))


def _surname_index(scores: tuple[float, ...], capitals: tuple[bool, ...], comma: int | None,
                   patronymic_at: int | None) -> tuple[int, bool]:
    """The index of the surname among a name's words, and whether the order of the name
    said so (a comma, the patronymic's place, capitals) rather than the words themselves."""
    size = len(scores)
    if comma is not None and 1 <= comma <= size:
        return 0, True
    if patronymic_at is not None:
        # Surname Given Patronymic, or Given Patronymic Surname.
        return (0 if patronymic_at >= size else size - 1), True
    if capitals.count(True) == 1 and size > 1:
        return capitals.index(True), True
    best, index = scores[-1] + 0.5, size - 1        # a tie keeps Given … Surname order
    for i in range(size - 1):
        if scores[i] > best:
            best, index = scores[i], i
    return index, False


class _Parsed(NamedTuple):
    """One full name parsed: its words and the part each plays (see :func:`name_key`)."""

    words: tuple[_Word, ...]        # name words in order, without patronymic and initials
    letters: tuple[str, ...]        # the same words exactly as written
    initials: tuple[str, ...]       # folded initials in order
    initial_letters: tuple[str, ...]  # the same, as written, without their dots
    patronymic: _Word | None
    patronymic_letters: str | None
    surname_at: int | None          # index into words
    given_at: int | None
    candidates: tuple[int, ...]     # surname candidates, indices into words, best first
    told: bool                      # the order said which is the surname (see _surname_index)


@lru_cache(maxsize=1 << 16)
def _parse(full_name: str) -> _Parsed:
    words: list[_Word] = []
    letters: list[str] = []
    initials: list[str] = []
    initial_letters: list[str] = []
    comma: int | None = None
    for part in _NAME_PART.findall(full_name):
        if part == ",":
            if comma is None:
                comma = len(words)
            continue
        word = _word(part)
        if word.initial:
            if word.folded:
                initials.append(word.folded)
                initial_letters.append(part.rstrip("."))
        elif word.folded:
            words.append(word)
            letters.append(part.rstrip("."))
    patronymic: _Word | None = None
    patronymic_letters: str | None = None
    patronymic_at: int | None = None
    if len(words) >= 3:
        marker = next((i for i in range(2, len(words))
                       if words[i].folded in _PATRONYMIC_MARKERS), None)
        if marker is not None:              # "Гусейн оглы": two words
            patronymic_at, patronymic = marker - 1, words[marker - 1]
            patronymic_letters = f"{letters[marker - 1]} {letters[marker]}"
            del words[marker - 1: marker + 1], letters[marker - 1: marker + 1]
        else:
            patronymic_at = next((i for i in range(1, len(words)) if words[i].patronymic),
                                 None)
            if patronymic_at is not None:
                patronymic = words.pop(patronymic_at)
                patronymic_letters = letters.pop(patronymic_at)
    parsed = _Parsed(tuple(words), tuple(letters), tuple(initials), tuple(initial_letters),
                     patronymic, patronymic_letters, None, None, (), False)
    if not words:
        return parsed
    if len(words) == 1 and words[0].folded in GIVEN_NAMES:
        return parsed._replace(given_at=0)
    scores = tuple(word.score for word in words)
    capitals = tuple(word.capitals for word in words)
    if all(capitals):
        capitals = ()
    index, told = _surname_index(scores, capitals, comma, patronymic_at)
    candidates = [index]
    given_at = None
    if len(words) > 1:
        others = [i for i in range(len(words)) if i != index]
        given_at = min(others, key=scores.__getitem__)
        # Other candidates: a second surname (Петрова-Водкина), or, when nothing but the
        # words told the order, any word not known as a given name that scored nearly as well.
        floor = 1.0 if told else max(0.0, min(1.0, scores[index] - 1))
        candidates += [i for i in others
                       if scores[i] >= floor and (i != given_at or len(words) == 2)]
    return parsed._replace(surname_at=index, given_at=given_at, candidates=tuple(candidates),
                           told=told)


# Endings that make a Cyrillic word a surname or patronymic (Иванов, Петренко, Вишневская,
# Шевчук, Белых, Мельник, Безпалый); not -ук or -ин alone, which English names typed with
# the Russian layout on end in (Carver → Сфкмук, Crosby → Скщыин).
_CYRILLIC_SURNAME = re.compile(
    r"[а-яёіїєґ']{2,}(?:ов|ев|ёв|ова|ева|ёва|[еэє]нко|ко|ский|ская|цкий|цкая|ськ[ийа]|"
    r"цьк[ийа]|ий|ый|ой|ая|ина|ых|их|ник|чук|юк|ович|евич|ич|овна|евна|івна|ївна|ична)")


# Folded given names of the lexicon written in Cyrillic there: "Ефь" folds as Jeff does, but
# is no one's name in Cyrillic.
_CYRILLIC_GIVEN_NAMES = frozenset(
    fold_word(word) for word in WORD.findall(_GIVEN_NAMES) if not word.isascii())
_LATIN_READING = re.compile(r"(?:[A-Za-z]+\.?(?: |$))+")
_LATIN_LETTER = re.compile("[A-Za-z]")


def _named_words(full_name: str) -> tuple[int, int]:
    """How many words of ``full_name`` (initials aside) there are, and how many of them read
    as a name: a known given name, a patronymic, or a Cyrillic surname's or patronymic's
    ending."""
    words = named = 0
    for part in _NAME_PART.findall(full_name):
        word = _word(part)
        if part == "," or word.initial or not word.folded:
            continue
        words += 1
        if word.written.isascii():
            named += word.folded in GIVEN_NAMES or word.patronymic
        else:   # the folded shapes are too loose for a Cyrillic word (тудытщ → tudich)
            named += (word.folded in _CYRILLIC_GIVEN_NAMES
                      or _CYRILLIC_SURNAME.fullmatch(word.written) is not None)
    return words, named


@lru_cache(maxsize=1 << 16)
def as_meant(full_name: str) -> str:
    """``full_name``, or what it says read through the other keyboard layout
    (:func:`contest.identity.skeleton.other_layout`: "Bdfyjd Bdfy" → "Иванов Иван", "Шмфт
    Ыьшер" → "Ivan Smith") when no word of the name as typed reads as a name and one of
    that reading does (a known given name, a patronymic, a Cyrillic surname's ending), or
    the reading is shaped as a Cyrillic name of two words or more where the Latin as typed
    has next to no vowels ("Hfljvbh Vjhjp" → Радомир Мороз, see :func:`_cyrillic_shaped`)."""
    if not full_name.isascii() and _LATIN_LETTER.search(full_name):
        return full_name        # both scripts: not one slip of the whole name
    if _named_words(full_name)[1]:
        return full_name        # a slip reads as no name at all
    read = other_layout(full_name)
    if not full_name.isascii() and not _LATIN_READING.fullmatch(read):
        return full_name        # х, ъ, ж, э, б, ю were typed: a Cyrillic name, not a slip
    return read if _named_words(read)[1] or _cyrillic_shaped(full_name, read) else full_name


_LATIN_VOWELS = frozenset("aeiouy")
_CYRILLIC_VOWELS = frozenset("аеёиоуыэюяіїє")
_CYRILLIC_WORD_READ = re.compile(r"[а-яёіїєґ']+")
_UNSPOKEN = re.compile(r"[^аеёиоуыэюяіїє'ьъй]{4}|[аеёиоуыэюяіїє]{3}")


def _cyrillic_shaped(typed: str, read: str) -> bool:
    """Whether Latin ``typed`` reads, through the other layout, as a Cyrillic name of two
    words or more none of which the lexicon knows ("Hfljvbh Vjhjp" → Радомир Мороз): each
    word of three letters or more has next to no Latin vowels as typed ("Hfljvbh": a
    fifth at most), and as read a third to two thirds vowels, no four consonants or three
    vowels in a row, and no ь, ъ, ы, й or ї to start it."""
    if not typed.isascii():
        return False
    pairs = [(word_typed, word_read.rstrip(".").lower())
             for word_typed, word_read in zip(typed.split(), read.split(), strict=False)
             if len(word_typed.rstrip(".")) > 2]
    if len(pairs) < 2:
        return False
    for word_typed, word in pairs:
        if (not _CYRILLIC_WORD_READ.fullmatch(word) or word[0] in "ьъыйї'"
                or _UNSPOKEN.search(word)):
            return False
        latin = sum(c in _LATIN_VOWELS for c in word_typed.lower()) / len(word_typed)
        cyrillic = sum(c in _CYRILLIC_VOWELS for c in word) / len(word)
        if latin > 0.2 or not 0.3 <= cyrillic <= 0.65:
            return False
    return True


@lru_cache(maxsize=1 << 18)
def name_key(full_name: str) -> NameKey:
    """Parse ``full_name`` as people write it: "Иванов Иван Иванович", "Ivan Ivanov",
    "IVANOV, Ivan", "I. Ivanov", "Ivanova Maria Petrovna", "И.И. Иванов", and "Bdfyjd
    Bdfy", "Иванов Иван" typed with the Latin keyboard layout on (see :func:`as_meant`)."""
    parsed = _parse(as_meant(full_name))
    patronymic = parsed.patronymic.folded if parsed.patronymic else None
    if not parsed.words:
        return NameKey((), None, None, parsed.initials, patronymic)
    tokens = tuple(word.folded for word in parsed.words)
    written = tuple(word.written for word in parsed.words)
    given = None if parsed.given_at is None else tokens[parsed.given_at]
    if parsed.surname_at is None:
        return NameKey(tokens, given, None, parsed.initials, patronymic, (), written)
    candidates: list[str] = []
    for i in parsed.candidates:
        stem = neutral_surname(tokens[i])
        if stem not in candidates:
            candidates.append(stem)
    return NameKey(tokens, given, candidates[0], parsed.initials, patronymic,
                   tuple(candidates), written)


@dataclass(frozen=True)
class NameParts:
    """One full name's words as written, by the part each plays (see :func:`name_parts`)."""

    given: str | None = None
    """The given name, as written."""
    surname: str | None = None
    """The surname, as written (its gendered form, one half of a double surname)."""
    initials: tuple[str, ...] = ()
    """Initials as written, without their dots, in order: ("И", "И") of "И.И. Иванов"."""
    patronymic: str | None = None
    """The patronymic as written, when there is one."""
    surnames: tuple[str, ...] = ()
    """Every word that may be a surname, as written, the best guess first."""
    words: tuple[str, ...] = ()
    """The name's words as written, in order, without patronymic and initials."""
    unsure: bool = False
    """Whether nothing could tell the given name from the surname: neither the order (a
    comma, a patronymic, a surname in capitals) nor the words (two words neither known as a
    given name nor shaped like a surname: "Chidi Okafor")."""


def name_parts(full_name: str) -> NameParts:
    """The parts of ``full_name`` as written, found as :func:`name_key` finds them: in any
    order, with or without a patronymic, initials, a comma or a surname in capitals."""
    parsed = _parse(full_name)
    return NameParts(
        given=None if parsed.given_at is None else parsed.letters[parsed.given_at],
        surname=None if parsed.surname_at is None else parsed.letters[parsed.surname_at],
        initials=parsed.initial_letters, patronymic=parsed.patronymic_letters,
        surnames=tuple(parsed.letters[i] for i in parsed.candidates), words=parsed.letters,
        unsure=(not parsed.told and parsed.given_at is not None
                and parsed.given_at in parsed.candidates))


def surname_stems(name: NameKey | str) -> frozenset[str]:
    """Gender-neutral surname candidates of ``name``, for "same family surname": Иванов and
    Ivanova, Petrovskiy and Петровская, Шевченко and Shevchenko, Kovalsky and Ковальська meet.

    The best-guess surname; any other word with a surname's ending (the second half of
    Петрова-Водкина); and, when only the words could tell the order ("Sheremet Erika"), the
    other words not known as given names."""
    key = name_key(name) if isinstance(name, str) else name
    return frozenset(key.surnames)


def same_family(a: NameKey | str, b: NameKey | str) -> bool:
    """Whether two names share a family surname, allowing one typo in surnames of five
    letters or more (Батюк and Batiku, Терентьева and Teretnyeva)."""
    stems_a, stems_b = surname_stems(a), surname_stems(b)
    if stems_a & stems_b:
        return True
    return any(min(len(x), len(y)) >= 5 and OSA.distance(x, y) <= 1
               for x in stems_a for y in stems_b)


# --- Likeness ---------------------------------------------------------------------------------

INITIAL_LIKENESS = 0.8
"""The most an initial standing for a full given name can give (I. Ivanov ~ Ivan Ivanov)."""
SINGLE_WORD_LIKENESS = 0.75
"""The most a one-word name can give against any name: a surname alone is not a person."""
_SPELLING_LIKENESS = 0.95      # two spellings or language forms of one given name
_EXTRA_WORD = 0.9              # a middle name or second surname the other name lacks
_CONFLICT = 0.5                # an initial that fits none of the other name's words
_OTHER_FATHER = 0.6            # two different patronymics


def _edit_likeness(a: str, b: str, edits: int) -> float:
    likeness = 1.0 - edits / max(len(a), len(b))
    # One edit is a typo; more in one word is more likely another word.
    return likeness if edits <= 1 else max(0.0, likeness) ** 1.5


@lru_cache(maxsize=1 << 16)
def _latin(written: str) -> str:
    return transliterate(written).lower() if not written.isascii() else written


@lru_cache(maxsize=1 << 18)
def _token_likeness(a: str, b: str, written_a: str = "", written_b: str = "") -> float:
    """How alike two folded words are; ``written_a`` and ``written_b`` are the words as
    written, compared too when the folded ones are two edits apart (folding can turn one
    wrong letter into two: Kudryavstev, Проор)."""
    if a == b:
        return 1.0
    group_a, group_b = GIVEN_NAMES.get(a), GIVEN_NAMES.get(b)
    if group_a is not None and group_b is not None:
        return _SPELLING_LIKENESS if group_a == group_b else 0.0
    edits = OSA.distance(a, b)
    likeness = _edit_likeness(a, b, edits)
    if edits == 2 and written_a and written_b:
        if written_a.isascii() != written_b.isascii():
            written_a, written_b = _latin(written_a), _latin(written_b)
        written_edits = OSA.distance(written_a, written_b)
        likeness = max(likeness, _edit_likeness(written_a, written_b, written_edits))
    return likeness


def initial_fits(initial: str, word: str) -> bool:
    """Whether a folded ``initial`` may stand for a folded ``word`` (Ю. → iu for Iurii)."""
    return word.startswith(initial) or initial.startswith(word[: len(initial)])


def _best_pairing(short: NameKey, long_: NameKey, fathers: float, fathers_weight: int
                  ) -> tuple[float, tuple[int, ...]]:
    """The best length-weighted likeness of ``short``'s words paired with distinct words of
    ``long_`` (``fathers`` and its weight added for the patronymics), and the pairing."""
    short_written = short.written or short.tokens
    long_written = long_.written or long_.tokens
    scored = [[(_token_likeness(s, t, short_written[i], long_written[j])
                * max(len(s), len(t)), max(len(s), len(t)))
               for j, t in enumerate(long_.tokens)] for i, s in enumerate(short.tokens)]
    best, pairing = -1.0, tuple(range(len(short.tokens)))
    for candidate in permutations(range(len(long_.tokens)), len(short.tokens)):
        total, size = fathers, fathers_weight
        for i, j in enumerate(candidate):
            total += scored[i][j][0]
            size += scored[i][j][1]
        if total / size > best:
            best, pairing = total / size, candidate
    return best, pairing


def name_similarity(a: NameKey, b: NameKey) -> float:
    """How alike two names are, in [0, 1], whatever their order, script and patronymic.

    Words are paired to maximise the length-weighted likeness of the pairs (the patronymics
    too, when both names have one). 1.0 for one name written in another order, script or
    with a patronymic; at least 0.9 for one typo in a long word; 0 for a pair of different
    known given names; an initial standing for a full given name gives at most
    :data:`INITIAL_LIKENESS`, a one-word name at most :data:`SINGLE_WORD_LIKENESS`; different
    patronymics or an initial that fits nothing lower the likeness.
    """
    if not a.tokens or not b.tokens:
        return 0.0
    short, long_ = (a, b) if len(a.tokens) <= len(b.tokens) else (b, a)
    size = len(short.tokens)
    fathers = 0.0
    fathers_weight = 0
    if a.patronymic and b.patronymic:
        fathers = _token_likeness(a.patronymic, b.patronymic)
        fathers_weight = max(len(a.patronymic), len(b.patronymic))
    pairing: tuple[int, ...]
    if short.tokens == long_.tokens or sorted(short.tokens) == sorted(long_.tokens):
        score, pairing = 1.0, tuple(range(size))    # one name, maybe in another order
        if fathers_weight:
            score = (fathers * fathers_weight + sum(map(len, short.tokens))) / (
                fathers_weight + sum(map(len, short.tokens)))
    else:
        score, pairing = _best_pairing(short, long_, fathers * fathers_weight,
                                       fathers_weight)
    short_initials = list(short.initials)
    for j, word in enumerate(long_.tokens):
        if j in pairing:
            continue
        fit = next((k for k, initial in enumerate(short_initials) if initial_fits(initial, word)),
                   None)
        if fit is not None:
            short_initials.pop(fit)
            score = min(score, INITIAL_LIKENESS)
        elif short_initials:
            score *= _CONFLICT
        else:
            score *= _EXTRA_WORD
    both = bool(short_initials) and bool(long_.initials)
    if size == 1:
        stood_for = len(short_initials) < len(short.initials)
        agree = both and initial_fits(short_initials[0], long_.initials[0])
        score = min(score, INITIAL_LIKENESS if stood_for or agree else SINGLE_WORD_LIKENESS)
    if both and not initial_fits(short_initials[0], long_.initials[0]):
        score *= _CONFLICT
    if fathers_weight:
        if fathers < 0.8:
            score *= _OTHER_FATHER
    elif long_.patronymic and short_initials:
        if not initial_fits(short_initials[-1], long_.patronymic):
            score *= _OTHER_FATHER
    elif short.patronymic and long_.initials:
        if not initial_fits(long_.initials[-1], short.patronymic):
            score *= _OTHER_FATHER
    return score
