"""German date words and formats, independent of the machine's locale."""

from __future__ import annotations

from datetime import datetime

MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")


def full(dt: datetime) -> str:
    """``04.01.2024 - 20:41:54``: the agency's date line."""
    return dt.strftime("%d.%m.%Y - %H:%M:%S")


def short(dt: datetime) -> str:
    """``03.02.2026 - 10:23``: the date in teaser lines."""
    return dt.strftime("%d.%m.%Y - %H:%M")


def month_name(month: int) -> str:
    return MONTHS[month - 1]


def month_year(year: int, month: int) -> str:
    """``Januar 2024``."""
    return f"{MONTHS[month - 1]} {year}"


def day_long(year: int, month: int, day: int) -> str:
    """``Donnerstag, 4. Januar 2024``."""
    weekday = WEEKDAYS[datetime(year, month, day).weekday()]
    return f"{weekday}, {day}. {MONTHS[month - 1]} {year}"


def correction_line(when: datetime, text: str) -> str:
    """``Korrektur vom 05.01.2024, 10:12 Uhr: …``, under a corrected report."""
    return f"Korrektur vom {when:%d.%m.%Y, %H:%M} Uhr: {text}"
