Feature: A marketer runs the draw from public randomness
  Once entries close, the list of tickets is fixed and the randomness is named before it
  exists, so nobody can choose or foresee the winners. A disqualified winner is replaced by
  the next alternate, never by a new draw.

  Background:
    Given a contest that closed with 30 entries, 3 of them under age

  Scenario: The marketer freezes the entries, the randomness arrives, winners are drawn
    When the marketer freezes the entries
    Then the freeze names drand round 1000000, which is not yet due
    And 3 tickets are excluded with the reason "under_age"
    When the drand round arrives and the marketer draws
    Then the results page shows 3 winners as masked names with their tickets

  Scenario: A disqualified winner is replaced by the first alternate
    Given the contest is drawn
    When the auditor disqualifies the first winner as "employee"
    Then the first alternate takes that place on the results page
    And the public log records the replacement with the reason "employee"
    And the results page shows the replaced ticket with the reason "works for the sponsor or an agency" and no name
