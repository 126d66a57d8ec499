"""Personal codes: the first visit to /invites makes one per program, never two, however many
visits race; each short, of the unambiguous alphabet, and unrelated to the user's id."""
import re
import threading

from tests.invites.helpers import codes_of, make_program
from webapp.referrals import queries as referral_queries
from webapp.referrals.codes import ALPHABET, LENGTH


def test_the_first_visit_gives_one_code_per_program_and_later_visits_keep_it(signed_in, client, db_conn):
    programs = {make_program(db_conn, "One", days_ago=3), make_program(db_conn, "Two", days_ago=2)}
    me = signed_in("member")
    client.get("/invites")
    first = codes_of(db_conn, me)
    assert set(first) == programs
    client.get("/invites")
    assert codes_of(db_conn, me) == first


def test_codes_are_short_unambiguous_and_not_the_user_s_id(signed_in, client, db_conn, make_user):
    for n in range(3):
        make_program(db_conn, f"Program {n}", days_ago=n)
    me = signed_in("member")
    client.get("/invites")
    codes = list(codes_of(db_conn, me).values())
    assert len(codes) == len(set(codes)) == 3
    for code in codes:
        assert len(code) == LENGTH == 10
        assert re.fullmatch(f"[{ALPHABET}]+", code)
        assert not set(code) & set("01ilo")  # no look-alikes
        assert code not in me["user_id"].lower()


def test_concurrent_first_visits_end_with_one_code_per_user_and_program(app, db_conn, make_user):
    """Eight requests of one user arrive together, each on its own connection; every one of them
    succeeds and they leave exactly one code per program."""
    programs = {make_program(db_conn, f"Program {n}", days_ago=n) for n in range(3)}
    users = [make_user("member") for _ in range(3)]
    threads_per_user = 8
    start = threading.Barrier(len(users) * threads_per_user)
    failures: list[BaseException] = []

    def first_visit(user):
        with app.app_context():
            try:
                start.wait()
                referral_queries.ensure_codes(user["user_id"], user["role"])
            except BaseException as exc:  # noqa: BLE001 - reported below, with every thread's
                failures.append(exc)

    threads = [threading.Thread(target=first_visit, args=(user,)) for user in users for _ in range(threads_per_user)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    for user in users:
        assert set(codes_of(db_conn, user)) == programs
    assert db_conn.execute("select count(*) from referral_code").fetchone()[0] == len(users) * len(programs)


def test_concurrent_page_loads_all_show_the_same_code(app, db_conn, make_user):
    """Two tabs of a new user open /invites at once: both pages answer, with the one code there is."""
    from tests.conftest import Auth

    program_id = make_program(db_conn, "Both sides")
    me = make_user("member")
    clients = [app.test_client() for _ in range(4)]
    for c in clients:
        assert Auth(c).login(me["email"]).status_code == 303
    start = threading.Barrier(len(clients))
    pages: list = [None] * len(clients)

    def load(i):
        start.wait()
        pages[i] = clients[i].get("/invites")

    threads = [threading.Thread(target=load, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    code = codes_of(db_conn, me)[program_id]
    assert [p.status_code for p in pages] == [200] * len(clients)
    assert all(f"/r/{code}?s=copy" in p.get_data(as_text=True) for p in pages)
