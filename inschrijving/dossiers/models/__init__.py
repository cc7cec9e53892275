"""The dossier's tables, one module per topic: the household (`household`), its income and means
(`means`), consents and landlord choices (`consent`), documents (`documents`) and the history (`history`)."""
