"""The JSON API for landlords' own systems (/api/v1/), its contract, and the tokens coordinators give out."""
