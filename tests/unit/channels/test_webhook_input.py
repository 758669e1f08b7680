"""Every channel hands a message over the same way: checked, then to Rasa or answered at once."""

from __future__ import annotations

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from channels.message_guard import EMPTY_REPLY, MAX_MESSAGE_CHARS, TOO_LONG_REPLY
from channels.webhook_input import answer_or_hand_over


class Rasa:
    """Rasa's ``on_new_message``: records what it is given."""

    def __init__(self) -> None:
        self.messages: list[UserMessage] = []

    async def __call__(self, message: UserMessage) -> None:
        self.messages.append(message)


async def test_a_readable_message_reaches_rasa_cleaned_in_its_conversation() -> None:
    rasa, output = Rasa(), CollectingOutputChannel()

    await answer_or_hand_over(
        rasa, output, " who\x00 can apply?\n", "web:s1", input_channel="socketio", metadata={"k": 1}
    )

    [message] = rasa.messages
    assert (message.text, message.sender_id, message.input_channel) == (
        "who can apply?",
        "web:s1",
        "socketio",
    )
    assert message.metadata == {"k": 1}
    assert message.output_channel is output
    assert output.messages == []


async def test_a_refused_message_is_answered_by_the_channel_not_rasa() -> None:
    rasa, output = Rasa(), CollectingOutputChannel()

    await answer_or_hand_over(rasa, output, "   ", "rest:s1", input_channel="rest", metadata=None)
    await answer_or_hand_over(
        rasa,
        output,
        "x" * (MAX_MESSAGE_CHARS + 1),
        "slack:U1",
        input_channel="slack",
        metadata=None,
        recipient_id="D1",
    )

    assert rasa.messages == []
    assert output.messages == [
        {"recipient_id": "rest:s1", "text": EMPTY_REPLY},
        {"recipient_id": "D1", "text": TOO_LONG_REPLY},
    ]
