import pytest
from cryptography.fernet import Fernet

from inschrijving import InsecureConfiguration, create_app


def test_testing_app_starts(app):
    assert app.testing


def test_refuses_default_secret_in_production(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    with pytest.raises(InsecureConfiguration, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_starts_in_production_with_a_real_secret(monkeypatch):
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SECRET_KEY": "a-long-random-production-secret-of-48-characters",
            "DOCUMENT_KEYS": Fernet.generate_key().decode(),
        }
    )
    assert not app.debug and app.config["SESSION_COOKIE_SECURE"]


def test_home_page_speaks_dutch(client):
    response = client.get("/")
    assert response.status_code == 200
    assert 'lang="nl"' in response.text
    assert "Inschrijven voor een sociale woning" in response.text


def test_friendly_404(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.text
