Feature: A public complaint desk that keeps its deadlines
  Every complaint gets a number and a deadline at once, counted in business days with the
  contest country's public holidays in the sponsor's time zone. Auditors see the queue by
  deadline; an unanswered complaint past its deadline shows as overdue, to them and to the
  public. A complaint that a winner is staff or a front person re-checks that winner in the
  participant graph.

  Scenario: A complaint is acknowledged with a deadline
    Given the contest "winter-giveaway" is published and open
    And it is Friday 4 December 2026, 18:00 in the sponsor's time zone
    When a person complains through the form that their entry was not included
    Then they see complaint number 1 acknowledged on screen
    And the answer is due by the end of Monday 7 December 2026
    And the public log records the acknowledgement with the number, kind and moments only

  Scenario: An overdue complaint shows as overdue
    Given the contest "winter-giveaway" is published and open
    And it is Friday 4 December 2026, 18:00 in the sponsor's time zone
    And a person complains through the form that their entry was not included
    And a signed-in auditor
    When it is Tuesday 8 December 2026 and nobody has answered
    Then the auditor's queue shows complaint 1 as overdue
    And the contest's complaints page shows 1 complaint waiting, overdue

  Scenario: A complaint about a winner triggers a re-check
    Given a drawn contest whose first winner entered with a staff member's e-mail
    And a signed-in auditor
    When a person complains through the API that a winner is staff or a front person
    And the auditor opens the complaint
    Then the re-check shows a "proxy" flag on the first winner
