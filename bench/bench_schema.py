"""The bench-only table behind the bare write endpoint (kept out of the app's metadata)."""

from __future__ import annotations

import sqlalchemy as sa

bench_metadata = sa.MetaData()
bench_rows = sa.Table(
    "bench_rows",
    bench_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("note", sa.String(40), nullable=False),
)
