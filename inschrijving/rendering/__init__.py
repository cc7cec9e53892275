"""Rendering adapters (PDF, iCalendar, upload storage); they know no domain."""
