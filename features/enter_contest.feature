Feature: A person enters a contest
  Anyone may enter an open contest without an account; each accepted entry gets a ticket
  and a receipt that names the rules it was made under.

  Background:
    Given the contest "winter-giveaway" is published and open

  Scenario: A person enters and keeps the receipt
    When a person enters as "Анна Смирнова" with the e-mail "anna@example.ru" born "1990-04-12"
    Then she sees a receipt with a ticket of 32 hexadecimal characters
    And the receipt names the rules fingerprint she entered under
    And the receipt shows her name masked as "Анна С."
    And the receipt does not show her e-mail

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

  Scenario: An entrant under the minimum age is kept, with the reason
    When a person enters as "Young Yuri" with the e-mail "yuri@example.com" born "2012-06-01"
    Then she sees a receipt with a ticket of 32 hexadecimal characters
    And the receipt says the entry is not eligible because of "below the minimum age"
