"""Warm leads: the lead summary, its durable store and outbox, delivery to the CRM."""
