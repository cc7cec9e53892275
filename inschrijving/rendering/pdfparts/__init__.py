"""Packets written from prepared parts: a PDF's pages kept as serialised objects, joined without parsing again.

Why not qpdf for the join: qpdf (pikepdf) reads every object of every part and writes every byte again
through its pipelines. For a packet of 100 dossiers with two office scans each (65 MB) that is about
0.3 s of CPU per download, more than rendering the one section that changed; at 300 dossiers over a
second (docs/performance.md, "Packets written from parts"). A PDF file is a sequence of numbered
objects with a table of their offsets, so a part whose objects are serialised once, with their
references left open, can be written into any packet by numbering its objects and copying its bytes.

`to_part` does the preparing, once, when a section is cached: pikepdf (qpdf) parses the PDF, every page
gets a slot for its footer (its content wrapped in q/Q first, so the page's own graphics state cannot
hide the footer) and the footer font, and every object reachable from the pages is serialised by
`_Serialiser` with each reference written as a marker, into a `PartBuilder`: the one writer of the
format. Pages written as PDF operators directly (a packet's cover and contents, `pdfpages.text_part`)
go into a `PartBuilder` without pikepdf, their fonts serialised once per subset (a `Fragment`).
`write` numbers the parts' objects, fills in the markers, writes the footers, page tree, bookmarks,
title and cross-reference table, and yields the file one part at a time, so a download never holds
the whole packet.

Knows no domain: the caller words the footers (already translated) and the bookmark titles.
"""
