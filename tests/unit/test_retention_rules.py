"""Retention arithmetic and rule matching (pure functions)."""
from datetime import date
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from app.domain.retention import due_date, is_due, matching_rule


def rule(category=None, doc_type=None, funding_source=None, name=""):
    r = SimpleNamespace(category=category, doc_type=doc_type, funding_source=funding_source,
                        name=name)
    r.specificity = lambda: sum(v is not None for v in (category, doc_type, funding_source))
    return r


def test_the_clock_runs_from_the_end_of_the_closing_year():
    assert due_date(10, date(2014, 1, 1)) == due_date(10, date(2014, 12, 31)) == date(2025, 1, 1)
    assert not is_due(10, date(2014, 6, 15), date(2024, 12, 31))
    assert is_due(10, date(2014, 6, 15), date(2025, 1, 1))


def test_permanent_and_open_records_are_never_due():
    assert due_date(None, date(1990, 1, 1)) is None
    assert due_date(5, None) is None
    assert not is_due(None, date(1990, 1, 1), date(2999, 12, 31))


@given(st.integers(1, 100), st.dates(date(1950, 1, 1), date(2100, 12, 31)))
def test_due_exactly_on_1_january_after_the_period(years, closed):
    due = due_date(years, closed)
    assert (due.month, due.day, due.year - closed.year) == (1, 1, years + 1)


def test_the_most_specific_matching_rule_wins():
    rules = [rule(category="communication_product", name="any product"),
             rule(category="communication_product", funding_source="state_budget",
                  name="state-funded"),
             rule(doc_type="TB", name="notices"), rule(category="report", name="reports")]
    assert matching_rule(rules, "communication_product", None, "state_budget").name == "state-funded"
    assert matching_rule(rules, "communication_product", None, "other").name == "any product"
    assert matching_rule(rules, "other", "TB", None).name == "notices"
    assert matching_rule(rules, "other", "QD", None) is None
