"""A server process that serves edits makes the recent periods' edit basis at start
(``edit_basis.warm``), so its first edit does not wait for it: the basis an edit then
asks for is the one kept, and warming writes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from scheduler.services import edit_basis
from scheduler.storage import models as m
from web.app import warm_edits_later


def test_warm_keeps_the_basis_of_the_period_with_a_draft(fresh_demo):
    sessions = fresh_demo.sessions()
    with sessions() as session:
        drafted = session.scalar(
            select(m.RosterVersion.period_id).where(m.RosterVersion.state == "draft")
        )
        versions = session.scalar(select(func.count(m.RosterVersion.id)))
    assert drafted is not None, "the demo has a draft"
    edit_basis.forget()
    warm_edits_later(sessions).join(timeout=120)
    assert len(edit_basis._kept) == 1
    with sessions() as session:
        kept = edit_basis._kept.get(edit_basis._stamp(session, drafted))
        assert kept is not None
        assert edit_basis.edit_basis(session, drafted) is kept
        assert session.scalar(select(func.count(m.RosterVersion.id))) == versions


def test_nothing_to_warm_without_drafts(fresh_demo):
    sessions = fresh_demo.sessions()
    with sessions.begin() as session:
        for version in session.scalars(select(m.RosterVersion).filter_by(state="draft")):
            session.delete(version)
    edit_basis.forget()
    assert edit_basis.warm(sessions) == []
    assert len(edit_basis._kept) == 0
