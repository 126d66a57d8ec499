"""The credit rules: the reward formula in whole cents, and the sign of each ledger entry."""
import pytest

from webapp.credits.rules import SIGNED_AMOUNT_SQL, redeemable_cents, reward_cents, signed_cents


@pytest.mark.parametrize("fixed, bips, fee, reward", [
    (2_500, 0, 4_000, 2_500),     # fixed only
    (0, 500, 8_000, 400),         # 5% of an $80 fee
    (1_500, 1_000, 4_200, 1_920), # both: $15 + 10% of $42
    (0, 500, 1_999, 99),          # 99.95 cents: rounded down to a whole cent
    (0, 10_000, 3_000, 3_000),    # 10,000 bips are the whole fee
    (1_000, 1_000, 0, 1_000),     # a booking without a fee still earns the fixed part
])
def test_a_reward_is_fixed_cents_plus_bips_of_the_buyer_fee(fixed, bips, fee, reward):
    assert reward_cents(fixed_cents=fixed, bips=bips, buyer_fee_cents=fee) == reward


def test_negative_terms_are_refused():
    with pytest.raises(ValueError):
        reward_cents(fixed_cents=0, bips=-1, buyer_fee_cents=1_000)


def test_awards_add_and_clawbacks_and_redeems_take_away():
    assert [signed_cents(kind, 700) for kind in ("award", "clawback", "redeem")] == [700, -700, -700]
    assert sum(signed_cents(k, a) for k, a in [("award", 2_500), ("clawback", 1_000), ("redeem", 800)]) == 700


def test_a_redeem_never_takes_the_balance_below_zero():
    assert redeemable_cents(1_700, 2_000) == 1_700
    assert redeemable_cents(1_700, 500) == 500
    assert redeemable_cents(0, 500) == 0


def test_the_sql_sign_says_what_the_python_sign_says():
    assert SIGNED_AMOUNT_SQL == ("case kind when 'award' then amount_cents when 'clawback' then -amount_cents"
                                 " when 'redeem' then -amount_cents end")
