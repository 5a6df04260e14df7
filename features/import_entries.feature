Feature: Entries gathered elsewhere are imported from the files people have
  Entries collected in a social network or by an agency arrive as a CSV file or an Excel
  workbook, written the way its author's Excel writes. Every row that names someone is kept;
  a field that cannot be read is reported with its line, column and reason; the marketer is
  told how the file was read; and nothing is imported twice.

  Background:
    Given the contest "winter-giveaway" is published and open
    And a CSV file of 4 entries where line 4 has the e-mail "ivan@@mail"

  Scenario: Every entry is kept and the bad field is reported
    When the marketer runs "contest entries import winter-giveaway" on the file
    Then the summary says 4 rows were imported and 1 field was warned about
    And the report names line 4, column "email", kept
    And "contest entries export winter-giveaway" lists the 4 imported entries

  Scenario: Importing the same file twice adds nothing twice
    When the marketer runs "contest entries import winter-giveaway" on the file
    And the marketer runs "contest entries import winter-giveaway" on the file again
    Then the contest has 4 entries
    And the second summary says 4 rows were already imported

  Scenario: A row sent after the close is kept but not eligible
    Given the file also has a row submitted a day after the contest closed
    When the marketer runs "contest entries import winter-giveaway" on the file
    Then that row's entry is stored as not eligible with the reason "outside_period"

  Scenario: An Excel workbook from Moscow is read as its author wrote it
    Given an Excel workbook with the columns "Фамилия", "Имя", "Отчество", "Телефон", "Дата рождения" and "Дата и время" of 2 entries, written "05.06.1963" and "02.12.2026 19:40"
    When the marketer runs "contest entries import winter-giveaway --timezone Europe/Moscow" on the workbook
    Then the summary says 2 rows were imported and 0 field was warned about
    And the output says "columns: Фамилия + Имя + Отчество → full_name"
    And the output says "2 moments without a time zone were read in Europe/Moscow"
    And the entry of "Петрова Анна Ивановна" was born on 1963-06-05 and entered at 2026-12-02T16:40:00+00:00

  Scenario: A Windows-1251 file with semicolons is read and said to be
    Given a Windows-1251 file separated by ";" with the columns "ФИО;Эл. почта;Дата рождения" and the row "Анна Петрова;anna@mail.ru;17.05.1990"
    When the marketer runs "contest entries import winter-giveaway" on that file
    Then the summary says 1 row was imported and 0 field was warned about
    And the output says "CSV, Windows-1251, separated by ';'"

  Scenario: A file whose rows name nobody fails loudly and imports nothing
    Given a CSV file whose rows give only a city
    When the marketer runs "contest entries import winter-giveaway" on that file, which fails
    Then the output says "more than half of the rows were refused"
    And the contest has 0 entries
