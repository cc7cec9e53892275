"""Packet PDFs from cached parts: a fast byte-level merge (`parts`) and the plain cover and contents pages (`pages`).

See `parts` for why the merge does not parse the sections with pypdf.
"""

from inschrijving.landlords.pdfmerge.pages import ROWS_PER_PAGE, table_pages, text_page
from inschrijving.landlords.pdfmerge.parts import (
    FOOTER_MARK,
    UnexpectedPdf,
    fill_footers,
    finish_part,
    footer_stream,
    merge_parts,
    page_count,
)

__all__ = [
    "FOOTER_MARK",
    "ROWS_PER_PAGE",
    "UnexpectedPdf",
    "fill_footers",
    "finish_part",
    "footer_stream",
    "merge_parts",
    "page_count",
    "table_pages",
    "text_page",
]
