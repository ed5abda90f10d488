from typing import Any

import pytest

from evals.uncertainty import intervals, sign_test, wilson


def test_wilson_interval_matches_the_textbook_values_and_stays_within_zero_and_one() -> None:
    assert wilson(5, 10) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    assert wilson(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)
    assert wilson(10, 10) == pytest.approx((0.7225, 1.0), abs=1e-4)
    assert wilson(0, 0) == (0.0, 1.0)


def test_interval_narrows_as_the_cases_grow() -> None:
    low_small, high_small = wilson(17, 20)
    low_large, high_large = wilson(170, 200)
    assert high_large - low_large < (high_small - low_small) / 2


def test_sign_test_says_an_uneven_split_of_few_changes_can_be_chance() -> None:
    assert sign_test(3, 1) == pytest.approx(0.625)
    assert sign_test(1, 6) == pytest.approx(0.125)
    assert sign_test(0, 6) == pytest.approx(0.03125)
    assert sign_test(4, 4) == 1.0
    assert sign_test(0, 0) == 1.0


def test_intervals_count_each_rate_over_its_own_cases() -> None:
    cases: list[dict[str, Any]] = [
        {"answerable": True, "correct": True, "abstained": False, "evidence_cited": True},
        {"answerable": True, "correct": False, "abstained": True, "evidence_cited": None},
        {"answerable": False, "correct": None, "abstained": True, "evidence_cited": None},
    ]
    spans = intervals(cases)
    assert spans["correct"] == pytest.approx((0.5, 2, *wilson(1, 2)))
    assert spans["answerable_abstained"] == pytest.approx((0.5, 2, *wilson(1, 2)))
    assert spans["unanswerable_abstained"] == pytest.approx((1.0, 1, *wilson(1, 1)))
    assert spans["evidence_cited"] == pytest.approx((1.0, 1, *wilson(1, 1)))
    assert intervals(cases[2:])["correct"] is None  # no answerable case: no rate
