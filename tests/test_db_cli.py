"""`flask db`: the migrations, through the Flask CLI runner."""


def test_db_upgrade_reports_an_up_to_date_database(runner):
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0
    assert "up to date" in result.output


def test_db_status_lists_nothing_pending(runner):
    result = runner.invoke(args=["db", "status"])
    assert "up to date" in result.output
