"""Intake rules: open a dossier, save each step, consent per landlord, documents, checklist, completion.

One topic module per part (`lifecycle`, `intake`, `consent`, `documents`, `checklist`, `facts`,
`history`, `errors`); callers import the module. Services take the actor and the clock as parameters,
flush but never commit, and raise the exceptions in `errors`.
"""
