"""Landlords: the region's social landlords, the municipalities they serve, their portal, packets and API."""
