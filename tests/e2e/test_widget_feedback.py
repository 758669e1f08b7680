""" "Was this helpful?" in the widget, in a real headless Chromium against the real assistant.

The contact form collects a name, an organisation, an email address and a phone number
first (over the REST channel, in the widget's own conversation); then a question that repeats
them is asked in the browser and marked unhelpful with the keyboard. The press is counted
once and the unhelpful-answer gap keeps the question without any of them.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import pytest

from tests.e2e.browser_support import (
    BLOCKING_IMPACTS,
    bot_messages,
    expect,
    open_chat,
    run_axe,
    save_axe_report,
    say,
    summarise,
)
from tests.support.eligible_interview import ELIGIBLE_ANSWERS
from tests.support.harness import RunningAssistant, http
from tsf_insight.store import UNHELPFUL, FactFeedback, InsightStore

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

pytestmark = pytest.mark.e2e

NAME, ORGANISATION = "Jo Bloggs", ELIGIBLE_ANSWERS[0]
EMAIL, PHONE = "jo@riverside-care.org", "020 7946 0000"
CONTACT_FORM = ["/affirm", "/request_contact", "/affirm", NAME, "Finance director", EMAIL, PHONE]
QUESTION = f"{NAME} of {ORGANISATION} ({EMAIL}, {PHONE}): how long do we have to repay the loan?"


def insight(assistant: RunningAssistant) -> InsightStore:
    """The assistant's insight store (in its tracker database)."""
    return InsightStore.from_url(f"sqlite:///{assistant.log_path.parent / 'tracker.db'}")


def presses(assistant: RunningAssistant, since: datetime) -> int:
    store = insight(assistant)
    try:
        return sum(fact.helpful + fact.unhelpful for fact in store.feedback_by_fact(since))
    finally:
        store.dispose()


def session_of(page: Page) -> str:
    """The session id the server issued to this tab (the widget keeps it in storage)."""
    return str(page.evaluate("JSON.parse(sessionStorage.getItem('tsf-chat:sender'))"))


def give_details(assistant: RunningAssistant, session: str) -> None:
    """Answer the interview as eligible and fill in the contact form, in ``session``."""
    for message in ["I'd like to see if we qualify", *ELIGIBLE_ANSWERS, *CONTACT_FORM]:
        assistant.say(session, message)
    assistant.say(session, "weekday mornings")
    confirmation = " ".join(text for text in assistant.texts(session, "/affirm"))
    assert "passed your details" in confirmation, confirmation


def feedback(page: Page) -> Locator:
    return page.get_by_role("group", name="Was this helpful?")


def press(assistant: RunningAssistant, sender: str, answer: str, helpful: Any = True) -> int:
    status, _ = http(
        "POST",
        f"{assistant.rasa_url}/webhooks/rest/feedback",
        {"sender": sender, "answer": answer, "helpful": helpful},
    )
    return status


def test_no_pressed_with_the_keyboard_is_counted_once_and_leaves_a_gap_without_personal_data(
    page: Page, assistant: RunningAssistant
) -> None:
    open_chat(page, assistant.web_url)
    give_details(assistant, session_of(page))
    since = datetime.now(timezone.utc)

    say(page, QUESTION)
    expect(bot_messages(page).last).to_contain_text("Source")
    group = feedback(page).last
    expect(group).to_be_visible()
    yes = group.get_by_role("button", name="Yes, helpful")
    no = group.get_by_role("button", name="No, not helpful")
    expect(yes).to_have_text("Yes")
    expect(no).to_have_text("No")

    violations = run_axe(page, assistant.web_url)
    save_axe_report("axe-feedback", violations)
    blocking = [
        violation
        for violation in violations
        if any(tag.startswith("wcag2") for tag in violation.get("tags", []))
        or violation.get("impact") in BLOCKING_IMPACTS
    ]
    assert blocking == [], summarise(blocking)

    yes.focus()
    page.keyboard.press("Tab")
    expect(no).to_be_focused()
    page.keyboard.press("Enter")

    expect(group.get_by_role("status")).to_have_text("Thanks for telling us.")
    expect(no).to_be_disabled()
    expect(yes).to_be_disabled()
    expect(no).to_have_attribute("aria-pressed", "true")
    expect(yes).to_have_attribute("aria-pressed", "false")
    store = insight(assistant)
    try:
        assert store.feedback_by_fact(since) == [FactFeedback("loan_term", 0, 1)]
        gaps = store.gaps_since(since)
    finally:
        store.dispose()
    assert len(gaps) == 1, gaps
    assert (gaps[0].reason, gaps[0].best_guess) == (UNHELPFUL, "loan_term")
    question = gaps[0].question
    assert "how long do we have to repay the loan?" in question
    for personal in [EMAIL, PHONE, "Jo", "Bloggs", "Riverside"]:
        assert personal.lower() not in question.lower(), question

    page.reload()  # the press is remembered in the tab
    expect(feedback(page).last.get_by_role("button", name="No, not helpful")).to_be_disabled()


def test_a_press_names_only_an_answer_of_the_callers_own_conversation(
    browser: Browser, assistant: RunningAssistant
) -> None:
    mine, theirs = browser.new_page(), browser.new_page()
    try:
        tokens = []
        for page in (mine, theirs):
            open_chat(page, assistant.web_url)
            say(page, "how much can we borrow?")
            expect(feedback(page).last).to_be_visible()
            tokens.append(
                page.evaluate(
                    "JSON.parse(sessionStorage.getItem('tsf-chat:transcript'))"
                    ".filter(e => e.feedback).pop().feedback.answer"
                )
            )
        my_session, my_token, their_token = session_of(mine), tokens[0], tokens[1]
        since = datetime.now(timezone.utc)

        assert press(assistant, my_session, their_token) == 404  # another person's answer
        assert press(assistant, my_session, "no-such-answer") == 404
        assert press(assistant, "made-up-session", my_token) == 403
        assert press(assistant, my_session, my_token, helpful="yes") == 400
        assert press(assistant, my_session, "") == 400
        assert presses(assistant, since) == 0

        assert press(assistant, my_session, my_token) == 200
        assert press(assistant, my_session, my_token, helpful=False) == 200  # counted once
        assert presses(assistant, since) == 1
    finally:
        mine.close()
        theirs.close()
