"""Tables to an XLSX workbook (openpyxl), for people who open figures in a spreadsheet; knows no domain."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

MAX_TITLE = 31  # Excel's limit on a sheet name


@dataclass(frozen=True)
class Table:
    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]


def tables_to_xlsx(tables: Sequence[Table]) -> bytes:
    """One sheet per table: a bold header row that stays in view, then the rows; columns sized to their text."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(table.title[:MAX_TITLE])
        sheet.append(list(table.header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(list(row))
        sheet.freeze_panes = "A2"
        for index, column in enumerate(sheet.iter_cols(values_only=True), start=1):
            longest = max((len(str(value)) for value in column if value is not None), default=8)
            sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 8), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
