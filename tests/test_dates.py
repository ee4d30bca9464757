"""Date expressions resolved against the article date."""
import datetime as dt

import pytest

from kg.extract.dates import find_dates

TUESDAY = dt.date(2026, 1, 27)


@pytest.mark.parametrize("text, expected", [
    ("The minister on Tuesday said", dt.date(2026, 1, 27)),
    ("India and Belgium on Monday discussed", dt.date(2026, 1, 26)),
    ("They met on Wednesday", dt.date(2026, 1, 21)),
    ("last Tuesday", dt.date(2026, 1, 20)),
    ("yesterday, Republic Day", dt.date(2026, 1, 26)),
    ("signed on January 27 in Delhi", dt.date(2026, 1, 27)),
    ("signed on December 30 in Delhi", dt.date(2025, 12, 30)),
    ("signed on 3 March 2024 in", dt.date(2024, 3, 3)),
    ("On Jan. 5, 2025, the ministers", dt.date(2025, 1, 5)),
    ("The navies agreed Wednesday to share patrol data", dt.date(2026, 1, 21)),
    ("the envoys met Tuesday in Hanoi", dt.date(2026, 1, 27)),
    ("the ministry said late Friday", dt.date(2026, 1, 23)),
    ("The talks, held Jan. 19-20 in Rabat, ended", dt.date(2026, 1, 19)),
    ("Sunday's exchange of fire was the worst", dt.date(2026, 1, 25)),
])
def test_days(text, expected):
    days = [d.date for d in find_dates(text, TUESDAY) if d.date]
    assert days == [expected]


@pytest.mark.parametrize("text, year, precision", [
    ("In 2021, the bilateral trade", 2021, "year"),
    ("deliveries began in March 2024", 2024, "month"),
    ("since May 2023", 2023, "month"),
    ("exports fell sharply last year", 2025, "year"),
    ("the frigate was commissioned last month", 2025, "month"),
    ("the two chiefs spoke last week", 2026, "week"),
])
def test_coarse_dates_have_no_day(text, year, precision):
    (d,) = find_dates(text, TUESDAY)
    assert d.date is None and d.year == year and d.precision == precision


def test_no_false_dates():
    assert find_dates("The May agreement was discussed by 2,000 troops", TUESDAY) == []
    assert find_dates("Officials may 20 times a year review it", TUESDAY) == []
    assert find_dates("MANILA, Jan 20 (Reuters) - ", TUESDAY) == []  # a dateline is not a date of the story


@pytest.mark.parametrize("text", ["talks resume next Monday", "the drills run through Sunday",
                                  "patrols are held every Friday"])
def test_future_and_recurring_weekdays_are_not_past_days(text):
    assert [d for d in find_dates(text, TUESDAY) if d.date] == []
