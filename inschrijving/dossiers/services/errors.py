"""The intake's domain exceptions."""

from __future__ import annotations


class DossierError(Exception):
    """Base class for intake rule violations."""


class BookingNotLive(DossierError):
    """A cancelled booking (or a no-show) cannot get a dossier."""


class MomentTakesNoDossiers(DossierError):
    """An info moment: its professionals attend, nobody starts a dossier there (`RegistrationMoment.takes_dossiers`)."""


class StaleDossier(DossierError):
    """Someone else saved the dossier after this form was opened."""


class DossierLocked(DossierError):
    """A complete dossier is shared with landlords and no longer changes."""


class NotComplete(DossierError):
    """The checklist still has missing items."""

    def __init__(self, missing: list[str]):
        super().__init__(", ".join(missing))
        self.missing = missing


class LandlordNotOffered(DossierError):
    """The landlord is not active on the moment's date or serves none of the chosen municipalities."""


class UploadRefused(DossierError):
    """An upload was refused; the message says why, in plain words."""


class DuplicateHousehold(DossierError):
    """Another live dossier of the same household already goes to one of these landlords for this moment."""

    def __init__(self, reference: str, landlords: list[str]):
        super().__init__(reference)
        self.landlords = landlords
