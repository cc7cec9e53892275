import pytest
import sqlalchemy as sa

from inschrijving import create_app, maintenance
from inschrijving.db_types import utcnow
from inschrijving.extensions import db
from inschrijving.landlords.models import Landlord, LandlordKind


def _app(tmp_path, name):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / name}",
            "UPLOAD_FOLDER": str(tmp_path / f"{name}-uploads"),
        }
    )


def test_backup_then_restore_gives_the_same_data(tmp_path):
    app = _app(tmp_path, "live.sqlite3")
    with app.app_context():
        db.create_all()
        db.session.add(Landlord(slug="svk-de-poort", name="SVK De Poort", kind=LandlordKind.SVK))
        db.session.commit()
        uploads = tmp_path / "live.sqlite3-uploads"
        (uploads / "ab").mkdir(parents=True)
        (uploads / "ab" / "abcdef").write_bytes(b"encrypted scan")
        # The packet's cached sections are left out: a cache, rendered again from the documents when missing.
        (uploads / "blobs" / "cd").mkdir(parents=True)
        (uploads / "blobs" / "cd" / "cdef01").write_bytes(b"encrypted section")

        runner = app.test_cli_runner()
        result = runner.invoke(args=["backup", str(tmp_path / "backups")])
        assert result.exit_code == 0, result.output
        assert "1 document files" in result.output
        db.engine.dispose()

    backup_dir = next((tmp_path / "backups").iterdir())
    restored = _app(tmp_path, "restored.sqlite3")
    maintenance.restore(
        backup_directory=backup_dir,
        database_path=tmp_path / "restored.sqlite3",
        upload_folder=tmp_path / "restored.sqlite3-uploads",
    )
    with restored.app_context():
        names = db.session.scalars(sa.select(Landlord.name)).all()
        assert names == ["SVK De Poort"]
        db.engine.dispose()
    assert (tmp_path / "restored.sqlite3-uploads" / "ab" / "abcdef").read_bytes() == b"encrypted scan"
    assert not (tmp_path / "restored.sqlite3-uploads" / "blobs").exists()


def test_backup_refuses_postgres(tmp_path):
    with pytest.raises(maintenance.BackupError, match="pg_dump"):
        maintenance.backup(
            database_url="postgresql+psycopg://u@h/db", upload_folder=tmp_path, target=tmp_path, now=utcnow()
        )
