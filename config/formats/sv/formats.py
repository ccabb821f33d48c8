"""Swedish dates and times: the one way Värn writes them for people (pages, e-mails, PDFs).

As DIGG's Webbriktlinjer (66, "Skriv datum och andra sifferuppgifter konsekvent") and
Myndigheternas skrivregler recommend: one format throughout; the date "4 december 2026" (the
pattern to use first, and always in running text — it reads the same aloud by a screen reader and
cannot be misread), the year always written, and the time with a point, "kl. 14.30". Every named
format is the same pattern, so `SHORT_DATE_FORMAT` in a table reads as the date in a sentence.
Machine formats (ISO 8601 in CSV, ICS, `datetime` attributes and form values) are not these.
Anything not set here comes from Django's Swedish formats (input formats, number separators)."""

DATE_FORMAT = "j F Y"  # 4 december 2026
SHORT_DATE_FORMAT = DATE_FORMAT
TIME_FORMAT = "H.i"  # 14.30
DATETIME_FORMAT = r"j F Y \k\l. H.i"  # 4 december 2026 kl. 14.30
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
MONTH_DAY_FORMAT = "j F"  # 4 december
YEAR_MONTH_FORMAT = "F Y"  # december 2026
FIRST_DAY_OF_WEEK = 1
