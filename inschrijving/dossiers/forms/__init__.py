"""Dossier forms (`steps`, `documents`, `limits`, `common` choices): input shape and per-field checks; they never
write to the database."""
