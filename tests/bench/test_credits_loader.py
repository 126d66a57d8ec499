"""bench/bench_credits.py's ledger plans: exactly N entries, oldest first, a balance never below
zero, each clawback of an earlier award of the same history and at most once."""
import random

from bench.bench_credits import ledger_plan
from webapp.credits.rules import signed_cents


def test_a_plan_is_a_valid_history_of_exactly_n_entries():
    plan = ledger_plan(random.Random(7), 2_000, 0, 10**9, ["rfi_a", "rfi_b"])
    assert len(plan) == 2_000
    assert [entry[3] for entry in plan] == sorted(entry[3] for entry in plan)
    balance, clawed = 0, set()
    for kind, amount, (what, ref), _ in plan:
        balance += signed_cents(kind, amount)
        assert balance >= 0 and amount > 0
        if kind == "clawback":
            assert what == "award" and plan[ref][0] == "award" and plan[ref][1] == amount and ref not in clawed
            clawed.add(ref)
    assert {kind for kind, *_ in plan} == {"award", "redeem", "clawback"}


def test_the_same_seed_makes_the_same_history():
    assert ledger_plan(random.Random(1), 300, 0, 10**9, []) == ledger_plan(random.Random(1), 300, 0, 10**9, [])
