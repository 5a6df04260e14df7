"""The public complaint desk: complaints, their business-day deadlines, the auditor's answers
and extensions, the acknowledgement e-mail, and the public summary.

- :mod:`contest.complaints.deadlines` counts business days with a country's public holidays
  in the sponsor's time zone;
- :mod:`contest.complaints.desk` files, answers and extends complaints, and lists them;
- :mod:`contest.complaints.mail` sends the acknowledgement and the answer by e-mail.
"""
