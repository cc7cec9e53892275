"""Dossiers: one household's intake, its persons, incomes, declarations, consents, documents and eligibility."""
