Feature: Giveaways where they happen: VK, Telegram and Instagram
  Most giveaways run in the social networks: "repost this post and join our community",
  "subscribe to our channel and press Participate", "comment and tag a friend". The contest
  reads its entrants from the network itself, says on the public record how many it read
  against how many the network reports, and checks the winners' conditions again before
  the results are published, so a winner who unsubscribed the next day does not win.

  Scenario: A marketer runs a VK repost giveaway from the read to the re-checked winners
    Given a VK giveaway whose rules ask to repost the post and be a member of the community
    And 30 people reposted the post, 3 of whom are not members of the community
    When the entries close and the marketer reads the VK source on the sources desk
    Then the sources desk says "reposts: 30 of 30" and "Read whole."
    And 30 entries are stored from VK, 3 of them left out for "condition_unmet"
    And the public log records the read with its counts and no account or name
    When the auditor has reviewed the entries and the marketer freezes them
    And the entrant the draw will name first leaves the community
    And the drand round arrives and the marketer draws
    Then the first winner is replaced by the first alternate for "condition_unmet"
    And the results page says the winner "no longer met a condition of the rules in the social network when checked after the draw"
    And the results page says where the entries came from: "reposts: 30 of 30"

  Scenario: A VK read that misses reposts holds the freeze until the marketer accepts the gap
    Given a VK giveaway whose rules ask to repost the post and be a member of the community
    And 30 people reposted the post, 3 of whom are not members of the community
    And 4 more reposted to pages VK does not show
    When the entries close and the marketer reads the VK source on the sources desk
    Then the sources desk says "reposts: 30 of 34" and "Incomplete"
    And the draw desk says the freeze waits for the read of source 1
    When the marketer accepts the gap because "the network counts reposts or comments it does not show"
    Then the public log records the gap accepted for "private_items"
    And the draw desk no longer waits for source 1

  Scenario: An entrant enters through the contest's Telegram bot, in Russian
    Given a Telegram giveaway for adults in Russia whose rules ask to be subscribed to @brand_news
    And Olga, who writes to Telegram in Russian, is subscribed to @brand_news
    Then the contest's page links to the bot with the contest in its link
    When Olga opens the bot's link to the contest
    Then the bot answers her in Russian with the link to the official rules and a "Участвовать" button
    When Olga presses "Участвовать"
    Then the bot asks her in Russian for her date of birth and country
    When Olga replies "17.05.1990 RU"
    Then the bot answers in Russian with her ticket and the link to her receipt
    And her entry is stored from Telegram with her membership checked
    When Olga presses "Участвовать" again
    Then the bot answers that she has already entered, with the same ticket

  Scenario: A subscriber-only Telegram giveaway turns away someone not subscribed
    Given a Telegram giveaway for adults in Russia whose rules ask to be subscribed to @brand_news
    And Boris, who writes to Telegram in Russian, is not subscribed to @brand_news
    When Boris opens the bot's link to the contest and presses "Участвовать"
    Then the bot tells him in Russian to subscribe to @brand_news and press again
    And no entry is stored

  Scenario: A marketer reads an Instagram comment giveaway that asks to tag two friends
    Given an Instagram giveaway whose rules ask to comment under the post tagging at least 2 other accounts
    And 12 people commented under the post, 2 of them tagging only one friend, and the brand answered twice
    When the entries close and the marketer reads the Instagram source on the sources desk
    Then the sources desk says "comments: 14 of 14" and "Read whole."
    And 12 entries are stored from Instagram, 2 of them left out for "condition_unmet"
    And no public page shows an Instagram username
