"""Fixed texts shown to candidates in several places (pages, letter, e-mails)."""

from __future__ import annotations

from flask_babel import gettext as _


def checklist() -> list[str]:
    """What to bring to the group registration, in plain words (DOMAIN.md 2.2)."""
    return [
        _("Uw identiteitskaart of paspoort. Ook van iedereen van 18 jaar of ouder die bij u komt wonen."),
        _("Uw verblijfskaart (voorkant en achterkant), als u er een hebt."),
        _("Bewijs van uw inkomen van de laatste 3 maanden: loonbrieven, een attest van werkloosheid, "
          "leefloon of ziekte. Of uw aanslagbiljet van de belastingen."),
        _("Hebt u geen inkomen? Dan vult u bij ons een verklaring in."),
        _("Een attest van uw handicap, als u dat hebt."),
        _("Wonen uw kinderen soms bij de andere ouder? Breng het vonnis of de regeling mee."),
        _("Hebt u een huis of grond, ook in het buitenland? Breng de papieren mee."),
        _("Hebt u schuldbemiddeling of budgetbeheer? Breng het attest mee."),
        _("Kan uw partner niet komen? Breng een volmacht mee."),
        _("Een bewijs van uw Nederlands mag u meebrengen, maar het hoeft niet."),
    ]
