Feature: Bots and throwaway identities are kept out, and no real person is left out silently
  A giveaway draws scripts, farms of made-up entrants and throwaway mailboxes. The rules may
  ask every entrant to confirm their e-mail address; the auditor's scan flags farms with the
  signals it saw, for a person to decide; and an honest crowd, however sudden, is not a farm.

  Scenario: An entrant confirms by mail
    Given the contest "winter-giveaway" asks entrants to confirm their e-mail address
    When Anna Smith enters by the form with the e-mail "anna@example.com"
    Then her receipt says "Your entry waits for confirmation"
    And a mail with her confirmation link arrives at "anna@example.com"
    When she opens the link
    Then the page shows the button "Confirm my entry", and her entry still waits
    When she presses "Confirm my entry"
    Then the page says "Your entry is confirmed"
    And her receipt says "You are in the draw"
    When Bob Brown enters by the form with the e-mail "bob@example.com"
    And the entries close, the auditor has reviewed them and the marketer freezes them
    Then Bob Brown's entry is left out with the reason "unconfirmed" and Anna Smith's is in the draw
    And the results page counts 1 entry left out because "the e-mail address was not confirmed before the close"

  Scenario: A marketer sees a bot farm in the auditor's queue with its evidence picture
    Given the contest "winter-giveaway" is published and open
    And 40 people entered by the form over the first day
    And a farm sent 20 entries through the API within 8 minutes from the network 45.12.7.0/24, with the mailboxes ivan.petrov1@mail.ru to ivan.petrov20@mail.ru
    And a signed-in auditor
    When the auditor scans the entries
    Then the queue shows each of the farm's 20 entries flagged "bot or farm"
    And none of the 40 people is flagged
    When the auditor opens the flag of the farm's entry from ivan.petrov4@mail.ru
    Then the evidence picture shows the burst from the network 45.12.7.0/24 and the mailbox series ivan.petrov#@mail.ru
    And the evidence says "came in a burst: 20 entries from 45.12.7.0/24 within ten minutes"
    And the evidence says "follows a template shared by 20 entries: ivan.petrov#@mail.ru"

  Scenario: A real crowd after a TV mention is not flagged
    Given the contest "winter-giveaway" is published and open
    And 40 people entered by the form over the first day
    And after a TV mention 300 people entered by the form within ten minutes, most of them behind 10 addresses of a mobile carrier's network 100.64.0.0/24
    And a signed-in auditor
    When the auditor scans the entries
    Then the scan saw the crowd as a burst from the network 100.64.0.0/24
    And no entry is flagged "bot or farm"

  Scenario: A disposable address is refused at the form, in Russian
    Given the contest "winter-giveaway" refuses throwaway mailboxes
    When Анна Петрова enters by the form in Russian with the e-mail "anna.p@mailinator.com"
    Then the form is shown again with her name kept and an error next to "email" naming "mailinator.com"
    And the error is written in Russian
    And no entry is stored
