"""English dates and times, the counterpart of the Swedish ones (`config/formats/sv`): one
format throughout, the date "4 December 2026" and the time "14:30" (24-hour, as in Sweden)."""

DATE_FORMAT = "j F Y"  # 4 December 2026
SHORT_DATE_FORMAT = DATE_FORMAT
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j F Y, H:i"  # 4 December 2026, 14:30
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
MONTH_DAY_FORMAT = "j F"  # 4 December
YEAR_MONTH_FORMAT = "F Y"  # December 2026
FIRST_DAY_OF_WEEK = 1
