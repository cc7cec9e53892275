"""Demo data for `flask --app wsgi seed-demo`."""

from __future__ import annotations

import click


@click.command("seed-demo")
def seed_demo() -> None:
    """Fill an empty database with the region's municipalities, landlords and a fictitious demo set."""
