"""The public, anonymous "Kom ik in aanmerking?" page (/check): its own blueprint, outside the staff guard."""
