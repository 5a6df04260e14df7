Feature: A marketer picks prizes that suit the contest's audience
  A prize that only part of the entrants can use makes the others enter for nothing. The
  prize editor says, in plain words, whom each prize suits, shows the audience's ages with
  the prize's ages over them, and offers prizes of similar value that suit nearly everyone.
  Choosing one changes the draft only: the published rules change only when she publishes.

  Background:
    Given a signed-in marketer
    And the contest "summer-giveaway" gives a skateboard worth 9000 RUB to people of all ages in Russia

  Scenario: A skateboard for an audience of all ages gets a warning and universal alternatives
    When she opens the prize editor of "summer-giveaway"
    Then the skateboard suits less than half of the people the rules admit
    And the warning says that most of them are over 35
    And the alternatives are universal prizes that suit at least 95% of them
    And a chart shows the audience's ages with the skateboard's ages 5–35 over them
    When she gives the first alternative instead of the skateboard
    Then the draft gives a cash prize and the editor no longer warns
    And the published rules still give the skateboard

  Scenario: A marketer tries a prize before editing the rules
    When she tries the prize "Наушники Sony WH-1000XM5" in the prize editor of "summer-giveaway"
    Then she sees that headphones suit most of the people the rules admit
    And the draft still gives the skateboard

  Scenario: An empty prize to try is refused next to the field
    When she tries a blank prize in the prize editor of "summer-giveaway"
    Then she sees the error "must not be empty" next to "prize"
    And the draft still gives the skateboard
