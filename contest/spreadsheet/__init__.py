"""Reading the files people actually have: spreadsheets and their dates.

Marketers and HR departments send CSV files saved by Excel in a Russian or Ukrainian locale
(Windows-1251, semicolons), UTF-16 exports, `.xlsx` workbooks, headers in three languages and
dates written the local way. This package turns such a file into rows of text keyed by the
project's field names, and says how it read them:

- :mod:`~contest.spreadsheet.files`: bytes → a grid of text cells (the encoding and the
  delimiter of a CSV file detected, an `.xlsx` workbook's first sheet);
- :mod:`~contest.spreadsheet.dates`: dates and moments as people write them, the day-month
  order decided per column and never guessed silently;
- :mod:`~contest.spreadsheet.columns`: headers in Russian, Ukrainian and English mapped to
  fields, split name columns joined, unknown columns listed;
- :mod:`~contest.spreadsheet.table`: all three together, for every import.

A foundation: it imports no domain package.
"""
