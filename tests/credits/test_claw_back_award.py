"""The growth team takes back one award (confirmed fraud): the clawback points at the award, so
neither a second decision nor the booking's refund takes it back again."""
from __future__ import annotations

import pytest

from tests.growth.factories import complete_booking, make_invite, make_program, refund_booking
from webapp.core.errors import Invalid
from webapp.core.extensions import db
from webapp.credits import service


@pytest.fixture
def paid(app, make_user, db_conn):
    program = make_program(db_conn, name="Bring a friend", fixed=2_000, cap=5)
    ada, nora = make_user("provider", name="Ada Inviter"), make_user("member", name="Nora Newcomer")
    make_invite(db_conn, program, ada, invitee=nora)
    [award] = complete_booking(app, buyer=nora, provider=make_user("provider"), booking_id="bkg_fraud1")
    return {"ada": ada, "award": award, "growth": make_user("growth", name="Gita Growth")}


def claw_back(app, paid, reason="Confirmed fraud: a second account"):
    with app.app_context():
        credit = service.claw_back_award(paid["award"].entry_id, actor_user_id=paid["growth"]["user_id"], reason=reason)
        db.session.commit()
    return credit


def test_clawing_back_an_award_takes_it_in_full_and_marks_the_invite(app, paid, db_conn):
    credit = claw_back(app, paid)
    assert credit.amount_cents == 2_000
    assert db_conn.execute("select related_id from credit_ledger where entry_id = %s",
                           (credit.entry_id,)).fetchone()[0] == paid["award"].entry_id
    assert db_conn.execute("select status from referral_invite").fetchone()[0] == "clawed_back"
    assert db_conn.execute("select action, reason from growth_decision").fetchall() == [
        ("clawback", "Confirmed fraud: a second account")]


def test_an_award_is_clawed_back_once_whoever_asks_first(app, paid, db_conn):
    claw_back(app, paid)
    with pytest.raises(Invalid, match="already clawed back"):
        claw_back(app, paid)
    assert refund_booking(app, "bkg_fraud1") == []
    assert db_conn.execute("select count(*) from credit_ledger where kind = 'clawback'").fetchone()[0] == 1
    assert db_conn.execute("select balance_cents, owed_cents from credit_balance where user_id = %s",
                           (paid["ada"]["user_id"],)).fetchone() == (0, 0)
