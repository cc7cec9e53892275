"""Work that follows a transaction's outcome (`inschrijving.transactions`): files and the task queue."""

from __future__ import annotations

import logging

import pytest

from inschrijving import transactions
from inschrijving.extensions import db


class _Undone(Exception):
    pass


@pytest.fixture
def done(app) -> list[str]:
    return []


def _note(done: list[str], what: str):
    return lambda: done.append(what)


def test_commit_work_waits_for_the_outermost_commit_and_runs_once_per_key(done):
    transactions.on_commit("a", _note(done, "a"))
    transactions.on_commit("a", _note(done, "a again"))
    with db.session.begin_nested():
        transactions.on_commit("b", _note(done, "b"))
    assert done == []  # a savepoint's release commits nothing yet
    db.session.commit()
    assert done == ["a", "b"]
    db.session.commit()
    assert done == ["a", "b"]


def test_a_rollback_drops_the_commit_work_and_runs_the_rollback_work(done):
    transactions.on_commit("kept", _note(done, "committed"))
    transactions.on_rollback("written", _note(done, "removed"))
    db.session.rollback()
    assert done == ["removed"]
    db.session.commit()
    assert done == ["removed"]


def test_a_savepoint_that_rolls_back_undoes_only_its_own_work(done):
    transactions.on_commit("outer", _note(done, "outer committed"))
    with pytest.raises(_Undone), db.session.begin_nested():
        transactions.on_commit("inner", _note(done, "inner committed"))
        transactions.on_rollback("inner file", _note(done, "inner file removed"))
        raise _Undone
    assert done == ["inner file removed"]
    db.session.commit()
    assert done == ["inner file removed", "outer committed"]


def test_a_released_savepoints_rollback_work_runs_when_the_outer_transaction_rolls_back(done):
    with db.session.begin_nested():
        transactions.on_rollback("file", _note(done, "file removed"))
    assert done == []
    db.session.rollback()
    assert done == ["file removed"]


def test_a_session_closed_without_a_commit_runs_its_rollback_work(done):
    transactions.on_rollback("file", _note(done, "file removed"))
    transactions.on_commit("mail", _note(done, "mail queued"))
    db.session.close()
    assert done == ["file removed"]


def test_work_asked_for_before_any_query_belongs_to_the_transaction_a_query_would_begin(done):
    db.session.close()
    transactions.on_commit("first", _note(done, "first"))
    with db.session.begin_nested():  # the session is in a transaction as after a query, not an explicit begin()
        pass
    db.session.commit()
    assert done == ["first"]


def test_work_that_fails_is_logged_and_the_rest_still_runs(done, caplog):
    def broken():
        raise OSError("disk gone")

    transactions.on_commit("broken", broken)
    transactions.on_commit("next", _note(done, "next"))
    with caplog.at_level(logging.ERROR, logger="inschrijving.transactions"):
        db.session.commit()
    assert done == ["next"] and "broken" in caplog.text
