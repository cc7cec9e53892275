"""Privacy: the retention purge, and a household's copy and erasure on request."""
