"""Eligibility guidance: a pure function (`rules.assess`) from plain household facts (`facts`) and a year's
limits to reasoned findings.

Nothing here reads the database, the request or the clock, and nothing here refuses anyone: the
findings are guidance for the volunteer and for the public /check page. Rules follow DOMAIN.md 8.2;
the yearly amounts come in as `Limits` (entered by coordinators with their source), never from code.
"""
