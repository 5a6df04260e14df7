Feature: Entries gathered elsewhere are imported from CSV
  Entries collected in a social network arrive as a CSV file. Valid rows are kept, each bad
  row is reported with its line, column and reason, and nothing is imported twice.

  Background:
    Given the contest "winter-giveaway" is published and open
    And a CSV file of 4 entries where line 4 has the e-mail "ivan@@mail"

  Scenario: Valid rows are imported and bad rows are reported
    When the marketer runs "contest entries import winter-giveaway" on the file
    Then the summary says 3 rows were imported and 1 was rejected
    And the rejection report names line 4, column "email"
    And "contest entries export winter-giveaway" lists the 3 imported entries

  Scenario: Importing the same file twice adds nothing twice
    When the marketer runs "contest entries import winter-giveaway" on the file
    And the marketer runs "contest entries import winter-giveaway" on the file again
    Then the contest has 3 entries
    And the second summary says 3 rows were already imported

  Scenario: A row sent after the close is kept but not eligible
    Given the file also has a row submitted a day after the contest closed
    When the marketer runs "contest entries import winter-giveaway" on the file
    Then that row's entry is stored as not eligible with the reason "outside_period"
