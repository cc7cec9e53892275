"""What a seed run added, counted for the command's output."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SeedReport:
    municipalities: int = 0
    income_limits: int = 0
    landlords: int = 0
    users: int = 0
    moments: int = 0
    bookings: int = 0
    dossiers: int = 0
    demo_skipped: bool = False
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    manage_links: list[tuple[str, str]] = field(default_factory=list)

    @property
    def created_anything(self) -> bool:
        return any((self.municipalities, self.income_limits, self.landlords, self.users, self.moments))
