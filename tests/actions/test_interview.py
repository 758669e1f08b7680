"""The interview's questions: each eligibility rule is fed by one of them."""

from __future__ import annotations

from actions.interview import QUESTIONS
from tsf_knowledge.eligibility import CRITERION_TITLES


def test_every_eligibility_criterion_is_fed_by_an_interview_question() -> None:
    fed = {question.criterion for question in QUESTIONS if question.criterion is not None}

    assert fed == set(CRITERION_TITLES)
