"""Referral SQL: personal codes and the one lookup behind a public invite page."""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from ..core import reads
from ..core.extensions import db
from . import codes

# A program's columns as every page shows it (its offer: webapp/referrals/offers.py).
PROGRAM_COLUMNS = ("p.program_id, p.name, p.kind, p.reward_bips, p.reward_fixed_cents, p.invitee_fixed_cents, "
                   "p.credit_scope, p.monthly_cap, p.active, p.version, p.inviter_roles")


def ensure_codes(user_id: str, role: str) -> None:
    """Give the user a code for every active program open to their role that they have none for.

    Safe under concurrency: two requests racing for one (user, program) both end with the one
    row the unique constraint lets in. A new code that happens to equal another's (1 in ~10^14)
    is drawn again. Commits.
    """
    missing = db.session.execute(text(
        "select p.program_id from referral_program p"
        " where p.active and :role = any(p.inviter_roles)"
        "   and not exists (select 1 from referral_code c where c.user_id = :user_id and c.program_id = p.program_id)"
    ), {"user_id": user_id, "role": role}).scalars().all()
    for program_id in missing:
        for _attempt in range(5):
            try:
                with db.session.begin_nested():
                    db.session.execute(text(
                        "insert into referral_code (code, user_id, program_id) values (:code, :user_id, :program_id)"
                        " on conflict (user_id, program_id) do nothing"
                    ), {"code": codes.new_code(), "user_id": user_id, "program_id": program_id})
                break
            except IntegrityError:  # the code itself was taken: draw another
                continue
    db.session.commit()


def codes_of(user_id: str, role: str) -> list[dict]:
    """The user's code per active program open to their role, with the program, oldest program first."""
    return reads.rows(
        f"select c.code, {PROGRAM_COLUMNS} from referral_code c join referral_program p using (program_id)"
        " where c.user_id = %(user_id)s and p.active and %(role)s = any(p.inviter_roles)"
        " order by p.created_at, p.program_id",
        {"user_id": user_id, "role": role},
    )


def landing(code: str) -> dict | None:
    """Everything the public invite page and the share card show for a code, in one indexed
    lookup (referral_code's primary key): the inviter and the program. None when the code is
    unknown or its program is not active (or no longer open to the inviter's role)."""
    return reads.first(
        f"select c.code, c.user_id as inviter_user_id, u.display_name as inviter_name, u.role as inviter_role,"
        f" {PROGRAM_COLUMNS}"
        " from referral_code c join referral_program p using (program_id) join app_user u on u.user_id = c.user_id"
        " where c.code = %(code)s and p.active and u.role = any(p.inviter_roles)",
        {"code": code},
    )
