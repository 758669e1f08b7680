"""The chat widget in a real headless Chromium, against the real running assistant.

Each test has a fresh browser context, so a fresh tab storage and a new conversation.
Replies come from the trained model: these tests rely only on the greeting, the privacy
notice and the answer to "are you a bot?", not on facts about the fund.
"""

from __future__ import annotations

import re
import urllib.request
from typing import TYPE_CHECKING

import pytest

from tests.e2e.browser_support import (
    ARTIFACTS,
    BLOCKING_IMPACTS,
    PageProblems,
    bot_messages,
    choices,
    expect,
    log,
    message_texts,
    open_chat,
    run_axe,
    save_axe_report,
    say,
    status,
    summarise,
    user_messages,
)
from tests.support.harness import RunningAssistant

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Route

pytestmark = pytest.mark.e2e

DEFAULT_COLOUR = "rgb(29, 79, 145)"  # #1d4f91


def test_the_widget_opens_with_the_privacy_notice_then_the_greeting(
    page: Page, assistant: RunningAssistant
) -> None:
    open_chat(page, assistant.web_url)

    expect(page.get_by_role("button", name="Chat with us")).to_have_attribute(
        "aria-expanded", "true"
    )
    expect(status(page)).to_have_text("Connected")
    texts = message_texts(bot_messages(page))
    assert texts[0].startswith("Privacy:"), texts
    assert "Technology Spin-Out Fund assistant" in texts[1], texts
    assert len(texts) == 2, texts


def test_a_typed_question_is_shown_and_answered(page: Page, assistant: RunningAssistant) -> None:
    open_chat(page, assistant.web_url)

    say(page, "are you a bot?")

    expect(user_messages(page)).to_have_text(["You: are you a bot?"])
    expect(bot_messages(page).last).to_contain_text("automated assistant")
    expect(page.get_by_label("Your message")).to_have_value("")
    expect(page.get_by_label("Your message")).to_be_focused()
    expect(choices(page)).to_have_count(0)  # suggested replies go once the user speaks


def test_clicking_a_suggested_reply_sends_it_shown_by_its_title(
    page: Page, assistant: RunningAssistant
) -> None:
    open_chat(page, assistant.web_url)
    replies_before = bot_messages(page).count()

    page.get_by_role("button", name="Talk to the team").click()

    expect(user_messages(page)).to_have_text(["You: Talk to the team"])
    expect(log(page)).not_to_contain_text("/ask_contact_team")
    expect(bot_messages(page)).not_to_have_count(replies_before)  # the assistant answered
    # The greeting's buttons are gone: nothing but messages before the user's choice.
    before_choice = user_messages(page).first.evaluate(
        "bubble => bubble.previousElementSibling.className"
    )
    assert "tsf-chat__msg--bot" in before_choice
    expect(page.get_by_label("Your message")).to_be_focused()


def test_a_typing_indicator_shows_while_the_assistant_answers(
    page: Page, assistant: RunningAssistant
) -> None:
    open_chat(page, assistant.web_url)
    typing = page.locator(".tsf-chat__typing")
    expect(typing).to_be_hidden()
    held: list[Route] = []
    # The request is held until released, so the answer cannot arrive before we look.
    page.route("**/webhooks/rest/webhook", lambda route: held.append(route))

    say(page, "are you a bot?")

    expect(typing).to_be_visible()
    expect(typing).to_have_role("status")
    expect(typing).to_have_text("The assistant is typing…")
    while not held:
        page.wait_for_timeout(50)
    held[0].continue_()
    page.unroute("**/webhooks/rest/webhook")
    expect(bot_messages(page).last).to_contain_text("automated assistant")
    expect(typing).to_be_hidden()


def test_the_conversation_survives_a_reload(page: Page, assistant: RunningAssistant) -> None:
    open_chat(page, assistant.web_url)
    say(page, "are you a bot?")
    expect(bot_messages(page).last).to_contain_text("automated assistant")
    before = message_texts(log(page).locator(".tsf-chat__msg"))

    page.reload()

    expect(log(page).locator(".tsf-chat__msg")).to_have_count(len(before))
    assert message_texts(log(page).locator(".tsf-chat__msg")) == before
    expect(status(page)).to_have_text("Connected")
    # The same Rasa conversation goes on: it does not show the privacy notice again.
    say(page, "hello")
    expect(bot_messages(page).last).to_contain_text("Technology Spin-Out Fund assistant")
    notices = [text for text in message_texts(bot_messages(page)) if text.startswith("Privacy:")]
    assert len(notices) == 1


def test_the_keyboard_alone_closes_and_reopens_the_chat(
    page: Page, assistant: RunningAssistant
) -> None:
    open_chat(page, assistant.web_url)
    launcher = page.get_by_role("button", name="Chat with us")
    dialog = page.get_by_role("dialog", name="TSF Assistant")
    page.get_by_label("Your message").focus()

    page.keyboard.press("Escape")

    expect(dialog).to_be_hidden()
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    outline = launcher.evaluate("node => getComputedStyle(node).outlineStyle")
    assert outline == "solid", "the focused launcher shows no focus outline"

    page.keyboard.press("Enter")

    expect(dialog).to_be_visible()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_label("Your message")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Send")).to_be_focused()


def test_messages_over_500_characters_are_not_sent_and_the_hint_says_why(
    page: Page, assistant: RunningAssistant
) -> None:
    open_chat(page, assistant.web_url)
    message = page.get_by_label("Your message")
    count = page.locator(".tsf-chat__count")
    expect(count).to_have_text("You have 500 characters remaining")
    expect(message).to_have_accessible_description(re.compile("up to 500 characters"))

    message.fill("x" * 510)

    expect(count).to_have_text("You have 10 characters too many")
    expect(message).to_have_attribute("aria-invalid", "true")
    message.press("Enter")
    expect(user_messages(page)).to_have_count(0)
    expect(message).to_have_value("x" * 510)  # kept, so the user can shorten it

    message.fill("x" * 499)

    expect(count).to_have_text("You have 1 character remaining")
    expect(message).not_to_have_attribute("aria-invalid", "true")


def test_text_stays_text_and_https_addresses_become_safe_links(
    page: Page, assistant: RunningAssistant
) -> None:
    """User and bot messages go through the same renderer; the user's are easy to control."""
    open_chat(page, assistant.web_url)

    say(
        page,
        '<img src=x onerror="window.hacked=1"> see https://example.org/page. '
        "or javascript:alert(1) or http://example.org",
    )

    bubble = user_messages(page).last
    expect(bubble).to_contain_text('<img src=x onerror="window.hacked=1"> see ')
    assert bubble.locator("img").count() == 0
    links = bubble.get_by_role("link")
    expect(links).to_have_count(1)
    expect(links).to_have_attribute("href", "https://example.org/page")
    expect(links).to_have_attribute("rel", "noopener noreferrer")
    expect(links).to_have_attribute("target", "_blank")
    expect(links).to_have_accessible_name("https://example.org/page (opens in a new tab)")
    assert page.evaluate("() => window.hacked") is None


def test_the_status_shows_reconnecting_and_nothing_typed_is_lost(
    page: Page, assistant: RunningAssistant
) -> None:
    open_chat(page, assistant.web_url)
    expect(status(page)).to_have_text("Connected")
    page.route("**/webhooks/rest/**", lambda route: route.abort("connectionrefused"))

    say(page, "are you a bot?")

    expect(status(page)).to_have_text("Reconnecting…")
    expect(user_messages(page)).to_have_text(["You: are you a bot?"])
    page.unroute("**/webhooks/rest/**")
    expect(status(page)).to_have_text("Connected")
    expect(bot_messages(page).last).to_contain_text("automated assistant")


def test_the_status_shows_offline_when_the_browser_is_offline(
    page: Page, context: BrowserContext, assistant: RunningAssistant
) -> None:
    open_chat(page, assistant.web_url)

    context.set_offline(True)

    expect(status(page)).to_have_text("Offline")
    expect(page.get_by_role("button", name="Try again")).to_be_visible()

    context.set_offline(False)

    expect(status(page)).to_have_text("Connected")
    expect(page.get_by_role("button", name="Try again")).to_be_hidden()


def test_on_a_phone_the_open_chat_fills_the_screen(
    browser: Browser, assistant: RunningAssistant
) -> None:
    phone = browser.new_context(
        viewport={"width": 360, "height": 640},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="en-GB",
    )
    try:
        page = phone.new_page()
        open_chat(page, assistant.web_url)

        box = page.get_by_role("dialog", name="TSF Assistant").bounding_box()
        assert box == {"x": 0, "y": 0, "width": 360, "height": 640}
        expect(page.get_by_label("Your message")).to_be_in_viewport()
        expect(page.get_by_role("button", name="Close chat")).to_be_in_viewport()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "widget-phone.png")

        page.get_by_role("button", name="Close chat").click()
        expect(page.get_by_role("button", name="Chat with us")).to_be_in_viewport()
    finally:
        phone.close()


def test_axe_finds_no_wcag_a_or_aa_problem_of_any_impact(
    page: Page, assistant: RunningAssistant
) -> None:
    open_chat(page, assistant.web_url)
    say(page, "are you a bot?")
    expect(bot_messages(page).last).to_contain_text("automated assistant")
    replies = bot_messages(page).count()
    say(page, "https://example.org")  # a link in the transcript for the scan to check
    expect(bot_messages(page)).not_to_have_count(replies)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "widget.png", full_page=True)

    open_violations = run_axe(page, assistant.web_url)
    page.get_by_role("button", name="Chat with us").click()  # closed
    closed_violations = run_axe(page, assistant.web_url)

    save_axe_report("axe-open", open_violations)
    save_axe_report("axe-closed", closed_violations)
    print("axe, chat open:\n" + summarise(open_violations))
    print("axe, chat closed:\n" + summarise(closed_violations))
    # Every WCAG 2.0/2.1/2.2 A or AA finding fails, whatever its impact; axe's best-practice
    # rules fail only when serious or critical.
    blocking = [
        violation
        for violation in open_violations + closed_violations
        if any(tag.startswith("wcag2") for tag in violation.get("tags", []))
        or violation.get("impact") in BLOCKING_IMPACTS
    ]
    assert blocking == [], summarise(blocking)


def test_the_page_runs_under_its_content_security_policy_without_errors(
    page: Page, problems: PageProblems, assistant: RunningAssistant
) -> None:
    open_chat(page, assistant.web_url)
    say(page, "are you a bot?")
    expect(bot_messages(page).last).to_contain_text("automated assistant")

    assert problems.messages == []


def _embedding_page(assistant: RunningAssistant, attributes: str) -> tuple[str, dict[str, str]]:
    """A host page with the one-tag embed, served with the real page's security headers."""
    with urllib.request.urlopen(assistant.web_url + "/", timeout=10) as response:
        csp = response.headers["Content-Security-Policy"]
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host page</title>'
        '<link rel="icon" href="data:,"></head><body><main><h1>Someone else\'s page</h1></main>'
        f'<script src="/chat.js" {attributes}></script></body></html>'
    )
    return html, {"Content-Type": "text/html", "Content-Security-Policy": csp}


def serve_host_page(page: Page, assistant: RunningAssistant, attributes: str) -> str:
    html, headers = _embedding_page(assistant, attributes)
    url = f"{assistant.web_url}/__test__/host.html"
    page.route(url, lambda route: route.fulfill(body=html, headers=headers))
    return url


def test_the_data_attributes_set_the_server_title_colour_and_start_closed(
    page: Page, assistant: RunningAssistant
) -> None:
    """Only the requests are checked: Chromium does not let a page that Playwright serves
    itself (no address, so "public") call Rasa on loopback. The demo page tests the rest."""
    public_rasa = assistant.rasa_url.replace("127.0.0.1", "localhost")
    url = serve_host_page(
        page,
        assistant,
        f'data-server="{public_rasa}/" data-title="Fund helper" '
        'data-primary-colour="#8a1538" data-start-open="false"',
    )
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    page.goto(url)

    launcher = page.get_by_role("button", name="Chat with us")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(launcher).to_have_css("background-color", "rgb(138, 21, 56)")
    assert not [r for r in requests if "/webhooks/" in r], "it called Rasa before opening"

    with page.expect_request(f"{public_rasa}/webhooks/rest/"):
        launcher.click()

    expect(page.get_by_role("dialog", name="Fund helper")).to_be_visible()
    expect(page.get_by_role("heading", name="Fund helper")).to_be_visible()
    assert not [r for r in requests if r.endswith("/config.json")]


@pytest.mark.parametrize("colour", ["#ffdd00", "#7f7f7f", "rgba(29, 79, 145, 0.5)", "nonsense"])
def test_a_primary_colour_without_enough_contrast_falls_back_to_the_default(
    page: Page, assistant: RunningAssistant, colour: str
) -> None:
    url = serve_host_page(page, assistant, f'data-primary-colour="{colour}"')

    page.goto(url)

    expect(page.get_by_role("button", name="Chat with us")).to_have_css(
        "background-color", DEFAULT_COLOUR
    )
