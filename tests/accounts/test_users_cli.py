"""`flask users`: account administration, through the Flask CLI runner."""


def test_set_role_admits_someone_to_the_growth_team(runner, make_user, db_conn):
    user = make_user("member", email="gina@example.test")
    result = runner.invoke(args=["users", "set-role", "GINA@example.test", "growth"])
    assert result.exit_code == 0
    assert db_conn.execute("select role from app_user where user_id = %s", (user["user_id"],)).fetchone()[0] == "growth"


def test_set_role_says_when_there_is_no_such_account(runner):
    result = runner.invoke(args=["users", "set-role", "nobody@example.test", "growth"])
    assert result.exit_code != 0
    assert "No account with e-mail nobody@example.test" in result.output
