"""Rasa's ``events`` table, as the packages that read the conversations see it.

Rasa's ``SQLTrackerStore`` owns the table (it creates it on start): one row per event, its
``type_name`` (``user``, ``bot``, ``action``, ``slot``, ``active_loop``…), its time in
seconds since the epoch and the event as JSON in ``data``. ``tsf_privacy`` purges and
exports conversations and ``tsf_insight`` counts them, so the definition lives here, at
the bottom layer, once.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text

EVENTS_TABLE = "events"

# The columns of Rasa 3.6's SQLTrackerStore.SQLEvent that the assistant reads.
events = Table(
    EVENTS_TABLE,
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("data", Text),
)
