Feature: A visitor re-checks a draw without trusting the server
  The verification bundle holds everything needed to re-do the draw offline: the tickets,
  the randomness and its proof, the signed checkpoint and the log's inclusion proofs.

  Background:
    Given a contest that closed with 30 entries, 3 of them under age
    And the contest is drawn

  Scenario: The downloaded bundle verifies
    When a visitor downloads the bundle from the results page
    And checks it with "contest verify" and the published log key
    Then it says VERIFIED with the winners the results page shows

  Scenario Outline: A tampered bundle fails, naming what is wrong
    When a visitor downloads the bundle from the results page
    And someone <tampers> in it
    And checks it with "contest verify" and the published log key
    Then it says NOT VERIFIED because of the "<check>" check

    Examples:
      | tampers                              | check    |
      | changes a ticket                     | entries_root |
      | swaps two tickets                    | tickets  |
      | changes the seed                     | seed     |
      | puts an alternate among the winners  | winners  |
      | forges the checkpoint signature      | checkpoint |
