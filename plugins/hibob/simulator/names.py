"""Name and calendar material shared by the demo and generated companies.

Kept apart so both generators draw from the same realistic pools without
importing each other.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

FIRST_NAMES: tuple[str, ...] = (
    "Amy", "Zoe", "Liam", "Noah", "Emma", "Olivia", "Ava", "Mia", "Lucas", "Ethan",
    "Sofia", "Maya", "Daniel", "Grace", "Omar", "Leah", "Ravi", "Priya", "Tomás", "Ingrid",
    "Hannah", "Jonas", "Chloe", "Mateo", "Aisha", "Yusuf", "Nora", "Felix", "Clara", "Hugo",
    "Elena", "Marco", "Sara", "Ben", "Julia", "Kenji", "Yuki", "Anna", "David", "Ruth",
)  # fmt: skip

SURNAMES: tuple[str, ...] = (
    "Miles", "Clark", "Smith", "Cohen", "Garcia", "Martin", "Brown", "Levi", "Novak", "Rossi",
    "Schmidt", "Dubois", "Kowalski", "Jensen", "Silva", "Patel", "Khan", "Tanaka", "Park", "Nguyen",
    "Walker", "Baker", "Hughes", "Fischer", "Moreau", "Ferrari", "Haddad", "Larsen", "Costa", "Weber",
)  # fmt: skip

TITLE_NAMES: tuple[str, ...] = (
    "Chief Executive Officer", "Chief Technology Officer", "Chief Financial Officer", "Chief Operating Officer",
    "VP Engineering", "Engineering Manager", "Senior Software Engineer",
    "Software Engineer", "Site Reliability Engineer", "Product Manager", "Designer", "UX Researcher",
    "Account Executive", "Sales Development Representative", "HR Business Partner", "Recruiter",
    "Accountant", "Support Specialist", "Marketing Manager", "QA Engineer", "Data Analyst",
)  # fmt: skip

SITES: tuple[tuple[int, str], ...] = (
    (2510068, "New York"),
    (2510069, "London"),
    (2510070, "Tel Aviv"),
    (2510071, "Berlin"),
    (2510072, "Remote"),
)


def email_local(first: str, surname: str) -> str:
    """An ASCII mailbox for a possibly accented or non-Latin name."""
    raw = f"{first}.{surname}".lower()
    ascii_only = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode("ascii")
    cleaned = "".join(ch for ch in ascii_only if ch.isalnum() or ch == ".").strip(".")
    return cleaned or "person"


def day(base: dt.date, offset_days: int) -> str:
    """An ISO date ``offset_days`` after ``base``."""
    return (base + dt.timedelta(days=offset_days)).isoformat()
