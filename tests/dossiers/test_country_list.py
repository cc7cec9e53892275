"""The property step's country list holds countries only."""

from inschrijving.dossiers.labels import country_choices


def test_the_country_list_has_no_pseudo_locales_or_unions_and_starts_with_belgium(app):
    codes = [code for code, _name in country_choices()]
    assert codes[0] == "BE" and "MA" in codes and "TR" in codes
    assert not {"XA", "XB", "EU", "EZ", "UN", "ZZ", "QO"} & set(codes)
