Feature: A person enters a contest
  Anyone may enter an open contest without an account; each accepted entry gets a ticket
  and a receipt that names the rules it was made under. The form says what the rules
  require before the person sends it, and keeps nothing of someone the rules exclude.

  Background:
    Given the contest "winter-giveaway" is published and open

  Scenario: A person enters and keeps the receipt
    When a person enters as "Анна Смирнова" with the e-mail "anna@example.ru" born "1990-04-12"
    Then she sees a receipt with a ticket of 32 hexadecimal characters
    And the receipt's headline says "You are in the draw"
    And the receipt names the rules fingerprint she entered under
    And the receipt shows her name masked as "Анна С."
    And the receipt does not show her e-mail
    And the consent she agreed to is kept with her entry

  Scenario: Invalid input gets a clear error next to each field
    When a person enters as "" with the e-mail "not-an-email" born "2990-01-01"
    Then she sees the error "the full name is required" next to "full_name"
    And she sees the error "is not an email address" next to "email"
    And she sees an error next to "birth_date"
    And no entry is stored

  Scenario: Errors come in the person's language
    When a Russian-speaking person sends an entry without a name through the API
    Then the answer is 422 and lists the field "full_name" with a message in Russian
    And no entry is stored

  Scenario: A late entry is refused
    Given the contest closed an hour ago
    When a person enters as "Late Larry" with the e-mail "larry@example.com" born "1980-01-01"
    Then she is told that entries are closed
    And no entry is stored

  Scenario: A double submit of the form creates one entry
    When a person sends the same entry form twice
    Then exactly one entry is stored

  Scenario: The form marks what the rules require
    When a person opens the entry form
    Then she sees that the date of birth, the country and the consent are required
    And she reads the consent to the processing of her personal data before she agrees

  Scenario: An entrant under the minimum age is told so, and nothing of her is kept
    When a person enters as "Young Yuri" with the e-mail "yuri@example.com" born "2012-06-01"
    Then she sees the error "the minimum age to enter this contest is 18" next to "birth_date"
    And no entry is stored

  Scenario: An entry without the consent to the processing of personal data is not taken
    When a person enters as "Анна Смирнова" with the e-mail "anna@example.ru" born "1990-04-12" without agreeing to the processing of her personal data
    Then she sees the error "agree to the processing of your personal data" next to "personal_data_consent"
    And no entry is stored
