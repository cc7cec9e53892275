"""Read side of planning, by topic: `moments`, `day`, `statistics`; each page in a fixed number of queries."""
