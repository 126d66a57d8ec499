"""webapp/core/keyset.py: the page cursors every list uses."""
from datetime import UTC, datetime

import pytest

from webapp.core import keyset

AT = datetime(2026, 11, 24, 9, 30, 15, 123456, tzinfo=UTC)


def test_a_cursor_comes_back_as_the_exact_row_it_was_made_from():
    assert keyset.decode(keyset.encode(AT, "fdp_01abc"), ("fdp_",)) == (AT, "fdp_01abc")


@pytest.mark.parametrize("cursor", ["x.fdp_01abc", "123.usr_01abc", "123.fdp_01-abc", "123.fdp_" + "a" * 40])
def test_a_cursor_we_did_not_make_for_this_list_is_refused(cursor):
    with pytest.raises(ValueError):
        keyset.decode(cursor, ("fdp_",))


def test_the_id_is_checked_after_its_own_prefix_whatever_its_length():
    assert keyset.decode("1.creator_01abc", ("creator_",))[1] == "creator_01abc"
    with pytest.raises(ValueError):
        keyset.decode("1.creator_01-abc", ("creator_",))
