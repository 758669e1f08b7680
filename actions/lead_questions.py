"""The contact-details form's questions, asked after a positive eligibility verdict."""

from __future__ import annotations

from actions.questions import Kind, Question
from tsf_leads.settings import load_settings as load_lead_settings

PRIVACY_NOTICE_VERSION = "2026-11-v1"


def retention_period(days: int) -> str:
    """A retention period as people say it: "12 months" for 365 days, else "N days"."""
    if days % 365 == 0:
        return f"{days // 365 * 12} months"
    return f"{days} day{'s' if days != 1 else ''}"


def privacy_notice(retention_days: int | None = None) -> str:
    """What the enquirer agrees to, with the period ``tsf-privacy purge`` keeps leads for
    (``TSF_LEAD_RETENTION_DAYS`` unless ``retention_days`` is given)."""
    days = load_lead_settings().retention_days if retention_days is None else retention_days
    return (
        "Before you give me any details, here is how we use them. If you agree, we'll share "
        "your name, role, email, phone number (if you give one) and your answers with Local "
        "Partnerships' Social Investment Team, so they can contact you about the fund. We keep "
        f"these details for up to {retention_period(days)}, then delete them. You can ask the "
        "team to delete them sooner."
    )


CONSENT_PURPOSE = (
    "To pass your contact details and eligibility answers to Local Partnerships' Social "
    "Investment Team so they can contact you about the Technology Spin-Out Fund."
)

QUESTIONS: tuple[Question, ...] = (
    Question(
        "consent_given",
        "Consent to share",
        Kind.YES_NO,
        "We ask because we only share your details with the team if you agree.",
        None,
        "Please answer yes if you agree, or no if you don't.",
    ),
    Question(
        "contact_name",
        "Name",
        Kind.NAME,
        "We ask so the team knows who to ask for.",
        None,
        "Please tell me your name.",
        ask="What's your name?",
    ),
    Question(
        "contact_role",
        "Role",
        Kind.TEXT,
        "We ask so the team understands your part in the organisation.",
        None,
        'Please tell me your role, for example "Finance Director".',
        ask="What's your role in the organisation?",
    ),
    Question(
        "contact_email",
        "Email",
        Kind.EMAIL,
        "We ask so the team can reply to you in writing.",
        None,
        "That doesn't look like an email address. Please check it, for example name@example.org.",
        ask="What email address should the team use?",
    ),
    Question(
        "contact_phone",
        "Phone",
        Kind.PHONE,
        "We ask so the team can call you, if you'd like that. It's optional.",
        None,
        'Please give a UK phone number, for example 020 7946 0000, or say "skip".',
        optional=True,
        ask="What's the best UK phone number to reach you on? This is optional.",
        buttons=(("Skip", "/skip_question"),),
    ),
    Question(
        "contact_time",
        "Best time to contact",
        Kind.TEXT,
        "We ask so the team contacts you when it suits you. It's optional.",
        None,
        'Please tell me a good time, for example "weekday mornings", or say "skip".',
        optional=True,
        ask="When is a good time for the team to contact you? For example, weekday mornings. "
        "This is optional.",
        buttons=(("Any time", "any time"), ("Skip", "/skip_question")),
    ),
    Question(
        "lead_confirmed",
        "Confirmed",
        Kind.CONFIRM,
        "We ask so you can check your details before we send them.",
        None,
        "Please say yes to send your details, or choose one to change.",
        buttons=(
            ("Yes, send them", "/affirm"),
            ("Change a detail", "/change_answer"),
            ("Don't send", "/stop"),
        ),
    ),
)
QUESTIONS_BY_SLOT: dict[str, Question] = {question.slot: question for question in QUESTIONS}
CONTACT_SLOTS: tuple[str, ...] = tuple(question.slot for question in QUESTIONS)
DETAIL_SLOTS: tuple[str, ...] = tuple(
    question.slot
    for question in QUESTIONS
    if question.kind is not Kind.CONFIRM and question.slot != "consent_given"
)
"""The details shown in the summary, which the user can change (consent is not one)."""
