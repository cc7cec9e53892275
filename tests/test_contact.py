import pytest

from inschrijving.contact import normalise_email, normalise_phone, readable_phone


@pytest.mark.parametrize("typed", ["0470 12 34 56", "0470/12.34.56", "+32 470 12 34 56", "0032470123456"])
def test_belgian_numbers_typed_any_way_become_one_form(typed):
    assert normalise_phone(typed) == "+32470123456"
    assert normalise_phone(typed, readable=True) == "+32 470 12 34 56"


@pytest.mark.parametrize("typed", ["12", "abc", "0470 12 34", ""])
def test_invalid_numbers_are_refused(typed):
    with pytest.raises(ValueError):
        normalise_phone(typed)


@pytest.mark.parametrize(("stored", "shown"), [
    ("+3256123456", "+32 56 12 34 56"), ("+32470123456", "+32 470 12 34 56"), ("12", "12"), (None, ""), ("", ""),
])
def test_a_stored_number_is_shown_readable_and_what_cannot_be_parsed_as_stored(stored, shown, app):
    assert readable_phone(stored) == shown
    with app.test_request_context():
        assert app.jinja_env.from_string("{{ value|phone }}").render(value=stored) == shown


def test_email_is_validated_and_lower_cased():
    assert normalise_email("  An.Peeters@Example.ORG ") == "an.peeters@example.org"
    with pytest.raises(ValueError):
        normalise_email("an.peeters@")
