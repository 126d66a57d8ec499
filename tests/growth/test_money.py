"""Amounts typed in dollars become integer cents exactly, never through a float."""
import pytest

from webapp.growth.service import cents_of, dollars


@pytest.mark.parametrize("typed, cents", [
    ("", 0), ("0", 0), ("25", 2500), ("12.5", 1250), ("12.50", 1250), ("0.1", 10), ("0.29", 29),
    ("$1,000", 100_000), (" 19.99 ", 1999), ("100000", 10_000_000),
])
def test_dollars_as_typed_are_exact_cents(typed, cents):
    assert cents_of(typed) == cents


@pytest.mark.parametrize("typed", ["1.234", "1e3", "NaN", "12,34", "٣", "1.", ".5", "--1", "x" * 30])
def test_what_is_not_an_amount_is_refused(typed):
    with pytest.raises(ValueError):
        cents_of(typed)


def test_more_than_the_largest_reward_is_refused():
    with pytest.raises(ValueError, match=r"At most \$100,000"):
        cents_of("100000.01")


@pytest.mark.parametrize("cents", [0, 5, 10, 1250, 123_405, 10_000_000])
def test_the_form_shows_cents_as_dollars_that_read_back_the_same(cents):
    assert cents_of(dollars(cents)) == cents
