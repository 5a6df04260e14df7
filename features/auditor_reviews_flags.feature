Feature: An auditor reviews the participant graph's flags
  The sponsor's staff and their families must not win, and some try through a front person.
  The auditor loads the staff roster, scans the entries, sees each flag's evidence, and
  decides; a confirmed flag excludes the entry before the freeze.

  Background:
    Given a signed-in auditor
    And an open contest with entries from Ivan Ivanov, Olga Sidorova, John Smith and Anna Kowalski
    And the auditor imports the staff roster with Ivan Ivanov and John Smith

  Scenario: A proxy is confirmed and the entry is excluded
    When the auditor scans the entries
    Then the queue shows a "proxy" flag on Olga Sidorova's entry
    When the auditor opens that flag
    Then the evidence shows Olga Sidorova's entry sharing a phone with staff member S1
    When the auditor confirms the flag
    Then Olga Sidorova's entry is excluded with the reason "proxy"
    And the public log records the decision with her ticket and the reason "proxy" only

  Scenario: A namesake is not flagged
    When the auditor scans the entries
    Then no flag is raised on the entry of John Smith born 1990-09-09

  Scenario: An HR workbook with a mistyped phone keeps every employee, and their front person is found
    Given Inna Frolova entered with the e-mail "p.petrov.home@yandex.ru"
    When the auditor uploads the HR workbook where Петров Пётр Петрович (S3) has the phone "+7 916 12-34" and the e-mail "p.petrov.home@yandex.ru"
    Then the page says "3 rows read: 3 people kept, 1 field warned about, 0 rows refused"
    And the page says "Табельный номер → <code>staff_id</code>, Фамилия + Имя + Отчество → <code>full_name</code>"
    And the roster lists Петров Пётр Петрович
    When the auditor scans the entries
    Then the queue shows a "proxy" flag on Inna Frolova's entry
