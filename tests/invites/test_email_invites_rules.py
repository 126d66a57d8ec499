"""The rules of invite by e-mail that need no database: reading the address list, the masked hint
and what the inviter is told."""
import pytest

from webapp.core.errors import Invalid
from webapp.invites.by_email import MAX_ADDRESSES, Outcome, clean_note, masked, parse_addresses


def test_addresses_may_be_separated_by_commas_spaces_and_new_lines():
    assert parse_addresses("ana@example.com, ben@example.com\ncleo@example.com  dan@example.com;eve@example.com") == [
        "ana@example.com", "ben@example.com", "cleo@example.com", "dan@example.com", "eve@example.com"]


def test_an_address_typed_twice_counts_once_whatever_its_case():
    assert parse_addresses("ana@example.com\nAna@Example.com, ana@example.com") == ["ana@example.com"]


def test_ten_distinct_addresses_are_allowed_even_with_repeats_among_them():
    addresses = [f"person{i}@example.com" for i in range(MAX_ADDRESSES)]
    assert parse_addresses(" ".join(addresses * 2)) == addresses


def message_of(text: str) -> str:
    with pytest.raises(Invalid) as refused:
        parse_addresses(text)
    return refused.value.fields["addresses"]


def test_eleven_addresses_are_too_many():
    text = " ".join(f"person{i}@example.com" for i in range(11))
    assert message_of(text) == "Enter at most 10 addresses at a time (you entered 11)."


def test_each_invalid_address_is_named():
    assert message_of("ana@example.com, ben@, cleo.example.com") == \
        "These are not e-mail addresses: ben@, cleo.example.com."


def test_a_very_long_invalid_entry_is_named_shortened():
    assert message_of("x" * 300) == f"This is not an e-mail address: {'x' * 40}…."


def test_more_than_8_kb_of_text_is_refused_before_it_is_read():
    assert message_of("ana@example.com" + " " * 8 * 1024) == \
        "That is more than 8 KB of text. Enter up to 10 addresses."


@pytest.mark.parametrize("text", ["", "   ", " ,\n; "])
def test_no_address_at_all_is_refused(text):
    assert message_of(text) == "Enter at least one e-mail address."


@pytest.mark.parametrize("address, hint", [
    ("jane.doe@gmail.com", "j•••@g•••.com"),
    ("Ben@Mail.Example.co.uk", "b•••@m•••.uk"),
    ("x@bücher.de", "x•••@b•••.de"),
])
def test_the_hint_shows_two_letters_and_the_top_level_domain(address, hint):
    assert masked(address) == hint


def test_the_note_is_trimmed_and_keeps_its_lines():
    assert clean_note("  Hi Ana,  \r\n\r\nCome and see!  \n") == "Hi Ana,\n\nCome and see!"


@pytest.mark.parametrize("sent, skipped, said", [
    (3, 0, "3 invitations sent."),
    (1, 0, "1 invitation sent."),
    (3, 2, "3 invitations sent. Some addresses were skipped (already members or invited recently)."),
    (0, 1, "No invitations sent. Some addresses were skipped (already members or invited recently)."),
])
def test_the_answer_counts_what_was_sent_and_never_says_why_an_address_was_skipped(sent, skipped, said):
    assert Outcome(sent=sent, skipped=skipped).message == said
