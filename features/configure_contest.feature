Feature: A marketer configures a contest with published, versioned rules
  The public must be able to trust that the rules they read are the rules that were applied,
  so every published version is frozen under its SHA-256 fingerprint and every change is
  a new, public version.

  Scenario: A marketer creates, previews and publishes the rules
    Given a signed-in marketer
    When she creates the contest "winter-giveaway" titled "Winter giveaway" in English
    And she saves rules with 3 gift cards for 3 winners
    And she previews the rules
    Then the preview is the public rules page, marked as a preview without a fingerprint
    When she publishes the rules
    Then the official rules page shows version 1 with its fingerprint
    And the fingerprint is the SHA-256 of the rules' canonical JSON

  Scenario: Rules with mistakes are refused with every error at once
    Given a signed-in marketer
    And she creates the contest "winter-giveaway" titled "Winter giveaway" in English
    When she saves rules that close before they open and have zero winners
    Then she is told what is still to do: "Choose when entries close" and "Give the number of winners"
    And she sees an error next to "period.closes_at"
    When she opens the step "prizes" of the rules
    Then she sees an error next to "winners"
    And the rules cannot be published

  Scenario: An open contest's rules change only with a public reason
    Given the contest "winter-giveaway" is published and open
    And a signed-in marketer
    When she sets the number of alternates to 5 and publishes without a reason
    Then publishing is refused because a reason is required
    When she publishes with the reason "more_prizes" and the note "Olga asked for more alternates"
    Then the official rules page shows version 2 with the reason "more prizes, winners or alternates"
    And the note stays off the public pages and the public log
    And the version history shows "Number of alternates" changed from 2 to 5
    And version 1 is still public with its original fingerprint

  Scenario: A marketer runs a repost giveaway in VK and the rules say how to enter
    Given a signed-in marketer
    When she creates the repost giveaway "vk-party" titled "VK party" in English
    And she saves rules with 3 gift cards for 3 winners
    Then publishing is refused, saying "is the example -123456_789"
    When she opens the step "sources" of the rules
    Then she sees the error "is the example -123456_789" next to "sources.0.post"
    When she names the post "https://vk.com/wall-20001_55" and the community "vk.com/club20001"
    And she previews the rules
    Then the rules say "How to enter in VK: repost the post https://vk.com/wall-20001_55 and be a member of the community https://vk.com/club20001 when the entries close and at the draw."
    When she publishes the rules
    Then the official rules page shows version 1 with its fingerprint
