"""Names: spellings of one name meet across scripts and transliteration systems, name order
and patronymics do not matter, typos cost little — and different names stay apart."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contest.fraud import names
from contest.fraud.names import (
    GIVEN_NAMES,
    INITIAL_LIKENESS,
    SINGLE_WORD_LIKENESS,
    as_meant,
    name_key,
    name_similarity,
    neutral_surname,
    same_family,
    surname_stems,
    transliterate,
)
from contest.identity.skeleton import fold_text, other_layout


def likeness(a: str, b: str) -> float:
    return name_similarity(name_key(a), name_key(b))


@pytest.mark.parametrize(("a", "b"), [
    # the list: ICAO 9303, BGN/PCGN, informal
    ("Юлия", "Yuliya"), ("Yulia", "Iuliia"), ("Julia", "Юлія"),
    ("Харитонов", "Kharitonov"), ("Haritonov", "Харитонов"),
    ("Алексей", "Aleksei"), ("Aleksey", "Alexey"), ("Alexei", "Алексей"),
    ("Щукин", "Shchukin"), ("Schukin", "Щукин"),
    ("Григорій", "Hryhorii"), ("Григорий", "Grigoriy"),
    ("Олександр", "Oleksandr"),
    ("Ксения", "Kseniya"), ("Ksenia", "Xenia"), ("Kseniia", "Ксения"),
    ("Євген", "Yevhen"), ("Ievgen", "Evgen"), ("Євген", "Ievgen"),
    ("Наталья", "Natalya"), ("Natal'ia", "Natalia"), ("Nataliia", "Наталия"),
    ("Дмитрий", "Dmitriy"), ("Dmitry", "Dmitrii"), ("Dmitri", "Дмитрий"),
    # ё, ie/ye, и/y, soft and hard signs, Ukrainian і ї є ґ and the apostrophe
    ("Фёдор", "Fyodor"), ("Fedor", "Фёдор"), ("Пётр", "Pyotr"), ("Семён", "Semyon"),
    ("Артём", "Artyom"), ("Соловьёв", "Solovyov"), ("Solovyev", "Solov'ev"),
    ("Хрущёв", "Khrushchyov"), ("Горбачёв", "Gorbachyov"), ("Елена", "Yelena"),
    ("Евгений", "Yevgeniy"), ("Сергеевна", "Sergeyevna"), ("Подъячев", "Podyachev"),
    ("Мар'яна", "Maryana"), ("Мар’яна", "Mariana"), ("Ілля", "Illia"), ("Il'ya", "Ilia"),
    ("Михайло", "Mykhailo"), ("Mykhaylo", "Михайло"), ("Сергій", "Serhii"),
    ("Serhiy", "Сергій"), ("Микола", "Mykola"), ("Ольга", "Olha"), ("Olga", "Ol'ga"),
    ("Тетяна", "Tetiana"), ("Татьяна", "Tatyana"), ("Tatjana", "Tatiana"),
    ("Ґалаґан", "Galagan"), ("Їжакевич", "Yizhakevych"),
    # gendered and adjectival surnames in every system
    ("Петровский", "Petrovskiy"), ("Petrovsky", "Petrovskii"), ("Ковальський", "Kovalskyi"),
    ("Зеленский", "Zelenskyy"), ("Черных", "Chernykh"), ("Chernyh", "Черных"),
    ("Цветков", "Tsvetkov"), ("Tcvetkov", "Цветков"),
    # French-, German- and Polish-style spellings, marks, case and punctuation
    ("Юрий", "Iouri"), ("Yuriy", "Jurij"), ("Шевченко", "Schewtschenko"),
    ("Szewczenko", "Шевченко"), ("Ševčenko", "SHEVCHENKO"), ("Чайковский", "Tchaikovsky"),
    ("Виктор", "Victor"), ("Николай", "Nicolai"), ("Жанна", "Zhanna"),
    ("Anna-Maria", "anna maria"),
])
def test_spellings_of_one_name_fold_together(a: str, b: str) -> None:
    assert fold_text(a) == fold_text(b) != ""


@pytest.mark.parametrize(("a", "b"), [
    ("Ivan", "Ilya"), ("Maria", "Marina"), ("Petrov", "Petrenko"), ("Anna", "Inna"),
    ("Иванов", "Ивашов"), ("Aleksandr", "Aleksandra"), ("Иванов", "Иванова"),
    ("Sasha", "Masha"), ("Олег", "Ольга"), ("Петров", "Петраков"), ("Юлия", "Лия"),
    ("Shevchenko", "Shevchuk"), ("Kovalenko", "Kovalchuk"), ("Smirnov", "Smirnitsky"),
])
def test_different_names_stay_apart(a: str, b: str) -> None:
    assert fold_text(a) != fold_text(b)


def test_folding_gives_lowercase_latin_words() -> None:
    assert fold_text("  ИВАНОВ,  Иван-Петро  ") == "ivanov ivan petro"
    assert fold_text("Natal'ia O’Neil") == "natalia oneil"
    assert fold_text("123 — !") == ""


@given(st.text(alphabet="абвгґдеєёжзиіїйклмнопрстуфхцчшщъыьэюя'- ABCXYZabcxyz.,"))
def test_folding_cyrillic_and_latin_never_leaves_other_letters(text: str) -> None:
    assert re.fullmatch(r"(?:[a-z]+(?: [a-z]+)*)?", fold_text(text))


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("Юлия Щукина", None, "Yuliya Shchukina"),
    ("Фёдор Соловьёв", None, "Fyodor Solovyov"),
    ("Елена Сергеевна", None, "Yelena Sergeyevna"),
    ("Дмитрий Хрущёв", None, "Dmitriy Khrushchov"),
    ("ЩУКИНА Юлия", None, "SHCHUKINA Yuliya"),
    ("Григорій Євгенович", None, "Hryhorii Yevhenovych"),
    ("Олександр Шевченко", "uk", "Oleksandr Shevchenko"),
    ("Згурський", "uk", "Zghurskyi"),
    ("Юлія Їжак", None, "Yuliia Yizhak"),
    ("John Smith, 1990", None, "John Smith, 1990"),
])
def test_transliteration_for_display_reads_naturally(text: str, language: str | None,
                                                     expected: str) -> None:
    assert transliterate(text, language) == expected


@pytest.mark.parametrize(("full_name", "tokens", "given_name", "surname", "initials",
                          "patronymic"), [
    ("Иванов Иван Иванович", ("ivanov", "ivan"), "ivan", "ivanov", (), "ivanovich"),
    ("Ivan Ivanov", ("ivan", "ivanov"), "ivan", "ivanov", (), None),
    ("IVANOV, Ivan", ("ivanov", "ivan"), "ivan", "ivanov", (), None),
    ("IVANOV Ivan", ("ivanov", "ivan"), "ivan", "ivanov", (), None),
    ("I. Ivanov", ("ivanov",), None, "ivanov", ("i",), None),
    ("И.И. Иванов", ("ivanov",), None, "ivanov", ("i", "i"), None),
    ("Ю. Петрова", ("petrova",), None, "petrov", ("iu",), None),
    ("Ivanova Maria Petrovna", ("ivanova", "maria"), "maria", "ivanov", (), "petrovna"),
    ("Петровская Анна Сергеевна", ("petrovskaia", "ana"), "ana", "petrovsk", (), "sergevna"),
    ("Анна Сергеевна Петровская", ("ana", "petrovskaia"), "ana", "petrovsk", (), "sergevna"),
    ("Шостакович Дмитрий Дмитриевич", ("shostakovich", "dmitri"), "dmitri", "shostakovich",
     (), "dmitrevich"),
    ("Дмитрий Дмитриевич Шостакович", ("dmitri", "shostakovich"), "dmitri", "shostakovich",
     (), "dmitrevich"),
    ("Олексій Андрійович Ковальський", ("oleksi", "kovalski"), "oleksi", "kovalsk", (),
     "andriovich"),
    ("Мамедов Али Гусейн оглы", ("mamedov", "ali"), "ali", "mamedov", (), "gusein"),
    ("Петрова-Водкина Анна Сергеевна", ("petrova", "vodkina", "ana"), "ana", "petrov", (),
     "sergevna"),
    ("Smith, John", ("smit", "iogn"), "iogn", "smit", (), None),
    ("John F. Kennedy", ("iogn", "kenedi"), "iogn", "kenedi", ("f",), None),
    ("Тарас Шевченко", ("taras", "shevchenko"), "taras", "shevchenko", (), None),
    ("Лев Толстой", ("lev", "tolstoi"), "lev", "tolst", (), None),
    ("Maria", ("maria",), "maria", None, (), None),
    ("Ivanov", ("ivanov",), None, "ivanov", (), None),
    ("", (), None, None, (), None),
])
def test_a_full_name_is_parsed_into_its_parts(
        full_name: str, tokens: tuple[str, ...], given_name: str | None, surname: str | None,
        initials: tuple[str, ...], patronymic: str | None) -> None:
    key = name_key(full_name)
    assert (key.tokens, key.given, key.surname, key.initials, key.patronymic) == (
        tokens, given_name, surname, initials, patronymic)
    assert key.surnames[:1] == ((surname,) if surname else ())


@pytest.mark.parametrize(("a", "b"), [
    ("Иванов Иван Иванович", "Ivan Ivanov"), ("IVANOV, Ivan", "Ivan Ivanov"),
    ("Щукина Юлия Петровна", "Yulia Schukina"), ("Ivan Ivanov", "Ivanov Ivan"),
    ("Харитонов Алексей", "ALEXEY KHARITONOV"), ("Григорій Шевченко", "Hryhorii Shevchenko"),
    ("Natal'ia Iakovleva", "Наталья Яковлева"), ("Anna Smith", "Smith Anna"),
    ("John F. Kennedy", "John Kennedy"),
])
def test_one_name_in_any_order_script_or_with_patronymic_is_the_same_name(
        a: str, b: str) -> None:
    assert likeness(a, b) == likeness(b, a) == 1.0


@pytest.mark.parametrize(("a", "b"), [
    ("Aleksandr Kharitonov", "Aleksandr Haritonvo"),          # two letters swapped
    ("Ekaterina Smirnova", "Ekaterina Smirnva"),              # a letter missing
    ("Ekaterina Smirnova", "Ekatrina Smirnova"),
    ("Konstantin Konstantinopolsky", "Konstantin Konstantinoplsky"),
    ("Ivan Petrov", "Ivna Petrov"),
    ("Alexander Ivanov", "Александр Иванов"),                  # two spellings of one name
    ("Oleksandr Ivanov", "Александр Иванов"),                  # Ukrainian and Russian form
])
def test_a_typo_or_a_variant_of_a_long_name_costs_little(a: str, b: str) -> None:
    assert 0.9 <= likeness(a, b) < 1.0


@pytest.mark.parametrize(("a", "b"), [
    ("Ivan Petrov", "Ivan Petrenko"), ("Maria Ivanova", "Marina Ivanova"),
    ("Ivan Ivanov", "Ilya Ivanov"), ("Aleksandr Ivanov", "Aleksandra Ivanova"),
    ("Anna Sokolova", "Inna Sokolova"), ("Maria Petrova", "Ivan Petrov"),
    ("Zulfiya Ivanova", "Zulfat Ivanova"), ("Ivanov Ivan", "Petrov Petr"),
])
def test_other_people_under_one_surname_are_not_the_same_name(a: str, b: str) -> None:
    assert likeness(a, b) < 0.8


def test_an_initial_or_a_lone_word_is_only_a_moderate_match() -> None:
    assert likeness("I. Ivanov", "Ivan Ivanov") == INITIAL_LIKENESS
    assert likeness("Ю. Петрова", "Yulia Petrova") == INITIAL_LIKENESS
    assert likeness("I. Ivanov", "I. Ivanov") == INITIAL_LIKENESS
    assert likeness("Ivanov", "Ivan Ivanov") == SINGLE_WORD_LIKENESS
    assert likeness("Ivanov", "Ivanov") == SINGLE_WORD_LIKENESS
    assert likeness("P. Ivanov", "Ivan Ivanov") <= 0.5
    assert likeness("I. Ivanov", "P. Ivanov") <= 0.5
    assert likeness("Ю. Петрова", "Ivan Petrov") <= 0.5


def test_different_fathers_or_middle_initials_lower_the_likeness() -> None:
    assert likeness("Иванов Иван Петрович", "Иванов Иван Петрович") == 1.0
    assert likeness("Иванов Иван Петрович", "Иванов Иван Сергеевич") <= 0.6
    assert likeness("Иванов И. П.", "Иванов Иван Петрович") == INITIAL_LIKENESS
    assert likeness("Иванов И. С.", "Иванов Иван Петрович") < 0.5
    assert likeness("John F. Kennedy", "John R. Kennedy") <= 0.5


def test_an_empty_name_is_like_nothing() -> None:
    assert likeness("", "Ivan Ivanov") == likeness("И.", "И.") == 0.0


@given(st.text(alphabet="ИванПетровСергеевичМарияIvanPetrovMaria .,", max_size=40),
       st.text(alphabet="ИванПетровСергеевичМарияIvanPetrovMaria .,", max_size=40))
def test_likeness_is_symmetric_and_between_zero_and_one(a: str, b: str) -> None:
    assert 0.0 <= likeness(a, b) == likeness(b, a) <= 1.0


@pytest.mark.parametrize(("a", "b"), [
    ("Иван Иванов", "Мария Иванова"), ("Петровский Олег", "Petrovskaya Anna"),
    ("Ковальський Петро", "Kovalska Mariia"), ("Тарас Шевченко", "Oksana Shevchenko"),
    ("Kovalsky Petro", "Ковальська Марія"), ("Лев Толстой", "Tolstaya Anna"),
    ("Петрова-Водкина Анна Сергеевна", "Vodkin Kuzma"), ("Олег Донской", "Донская Мария"),
    ("Соловьёв Пётр", "Solovyova Anna"), ("Высоцкий Владимир", "Vysotskaya Marina"),
])
def test_gendered_forms_of_a_family_surname_meet(a: str, b: str) -> None:
    assert surname_stems(a) & surname_stems(name_key(b))


@pytest.mark.parametrize(("a", "b"), [
    ("Ivan Petrov", "Ivan Petrenko"), ("Иван Иванов", "Иван Ивашов"),
    ("Anna Shevchenko", "Anna Shevchuk"), ("Maria Ivanova", "Maria Ivanenko"),
])
def test_different_surnames_are_different_families(a: str, b: str) -> None:
    assert not surname_stems(a) & surname_stems(b)


@pytest.mark.parametrize(("a", "b"), [
    ("Muraveva Naina Vasileva", "Муравьева Юлия Павловна"),   # -eva looks like a surname too
    ("Sheremet Erika", "Антон Шеремет"), ("Caarl J. BREWER", "Erin Brewer"),
])
def test_when_the_order_is_unclear_every_likely_surname_is_a_candidate(a: str, b: str) -> None:
    assert surname_stems(a) & surname_stems(b)


@pytest.mark.parametrize(("a", "b", "family"), [
    ("Orysia Batiku", "Батюк Аркадій", True), ("Galina Teretnyeva", "Евпраксия Терентьева", True),
    ("Иван Иванов", "Мария Иванова", True), ("Ivan Petrov", "Ivan Petrenko", False),
    ("Anna Popova", "Anna Popko", False), ("Ivan Li", "Ivan Lu", False),
])
def test_same_family_allows_one_typo_in_a_long_surname(a: str, b: str, family: bool) -> None:
    assert same_family(a, b) is same_family(name_key(b), name_key(a)) is family


@pytest.mark.parametrize(("a", "b"), [
    ("dmitry kudryavstev", "Кудрявцев Дмитрий Владиславович"),  # ts/st: one swap as written
    ("СМИРНОВ ПРООР ИСИДОРОВИЧ", "Смирнов Прохор Исидорович"),  # х lost: one edit in Cyrillic
    ("Vysotskaya Agaa Vyacheslavovna", "Высоцкая Агата Вячеславовна"),
])
def test_typos_are_also_measured_as_written(a: str, b: str) -> None:
    assert likeness(a, b) >= 0.9


def test_the_written_form_keeps_cyrillic_letters_and_drops_latin_marks() -> None:
    assert name_key("Ёлкин Йосип").written == ("ёлкин", "йосип")
    assert name_key("José Müller").written == ("jose", "muller")
    assert name_key("Мар'яна O’Neil").written == ("маряна", "oneil")


@pytest.mark.parametrize(("surname", "stem"), [
    ("ivanova", "ivanov"), ("ivanov", "ivanov"), ("petrovskaia", "petrovsk"),
    ("petrovski", "petrovsk"), ("kovalska", "kovalsk"), ("visockaia", "visock"),
    ("donskoi", "donsk"), ("tolstaia", "tolst"), ("shevchenko", "shevchenko"),
    ("cvetaeva", "cvetaev"), ("pushkina", "pushkin"), ("coi", "coi"),
])
def test_neutral_surname_drops_the_gendered_ending(surname: str, stem: str) -> None:
    assert neutral_surname(surname) == stem


def test_given_name_lexicon_lines_never_share_a_spelling() -> None:
    owner: dict[str, str] = {}
    for line in names._GIVEN_NAMES.replace(";", "\n").splitlines():
        if not line.split():
            continue
        first = fold_text(line.split()[0])
        for word in line.split():
            assert owner.setdefault(fold_text(word), first) == first, (word, line)
    assert GIVEN_NAMES[fold_text("Yuliya")] == GIVEN_NAMES[fold_text("Юлія")]
    assert GIVEN_NAMES[fold_text("Maria")] != GIVEN_NAMES[fold_text("Marina")]


@pytest.mark.parametrize(("typed", "meant"), [
    ("Bdfyjd B. B.", "Иванов И. И."),
    ("Bdfyjd B/ B/", "Иванов И. И."),          # the Russian layout's full stop is on "/"
    ("Yfjvb Nb[jyjdyf Ghbdfkjdf", "Наоми Тихоновна Привалова"),
    ("Ukt, Bdfyjd", "Глеб Иванов"),
    ("F.D. Fkxtdcmrf", "А.В. Алчевська"),
    ("Pf]rf", "Заїка"),                        # ъ after a vowel is the Ukrainian ї
    ("Шмфт Ыьшер", "Ivan Smith"),
])
def test_text_typed_with_the_other_keyboard_layout_on_reads_back(typed: str, meant: str) -> None:
    assert other_layout(typed).lower() == meant.lower()


@pytest.mark.parametrize(("typed", "other"), [
    ("Bdfyjd Bdfy", "Иванов Иван"),
    ("Rjdfktyrj Hen", "Коваленко Рут Адріанівна"),
    ("'df Rbhbktyrj", "Кириленко Єва Ааронівна"),
    ("Yfjvb Nb[jyjdyf Ghbdfkjdf", "Привалова Наоми Тихоновна"),
    ("Шмфт Ыьшер", "Ivan Smith"),
])
def test_a_name_typed_with_the_other_layout_on_is_that_name(typed: str, other: str) -> None:
    assert likeness(typed, other) == 1.0


@pytest.mark.parametrize("name", [
    "John Smith", "Loyce Carver", "Tanner Johnston", "Monet K. Porter", "Chidi Okafor",
    "R. Nelsno", "Стефаній Безушко", "Зиновій Дубина", "Ярина Дубас", "Лукерья Солодникова",
])
def test_a_name_that_reads_as_typed_is_kept(name: str) -> None:
    """Names whose other-layout reading has no more name-like words (an English -er reads
    as -ук, a Ukrainian -ій as -sq, "Дубина" as "Le,byf"): kept as typed."""
    assert as_meant(name) == name


def test_a_cyrillic_reading_counts_only_cyrillic_given_names_and_a_mixed_name_is_kept() -> None:
    assert other_layout("Tam Lamb").lower() == "ефь дфьи"    # "Ефь" folds as Jeff does
    assert as_meant("Tam Lamb") == "Tam Lamb"
    assert as_meant("Antonets Valentyna Aksеnovna") == "Antonets Valentyna Aksеnovna"  # one е


@pytest.mark.parametrize(("typed", "meant"), [
    ("Ghbuj;byf Cjyz", "Пригожина Соня"), (",jktckfd ,tpgfkbq", "Болеслав Безпалий"),
    ("Fufajybrf Vtkmybr", "Агафоника Мельник"), ("Vfhbfyyf Dtctkfz", "Марианна Веселая")])
def test_a_slip_is_read_by_its_surname_ending_alone(typed: str, meant: str) -> None:
    assert as_meant(typed).lower() == meant.lower()


@pytest.mark.parametrize("name", ["Stone Eleonoer", "Марʼяна Дубас", "Kirby Crosby"])
def test_english_endings_and_cyrillic_punctuation_keys_are_not_slips(name: str) -> None:
    assert as_meant(name) == name


@pytest.mark.parametrize(("typed", "meant"), [
    ("Hfljvbh Vjhjp", "Радомир Мороз"), (",kfujdbl F,hfvtwm", "благовид Абрамець"),
    ("Rhfcyjkbrf ,fhfy", "Краснолика баран")])
def test_a_slip_of_names_no_lexicon_knows_is_read_by_its_shape(typed: str, meant: str) -> None:
    assert as_meant(typed).lower() == meant.lower()


@pytest.mark.parametrize("name", ["J. French", "Frank Schmidt", "Glenn Wright", "Kym Lynch"])
def test_latin_names_with_few_vowels_are_not_read_by_their_shape(name: str) -> None:
    assert as_meant(name) == name
