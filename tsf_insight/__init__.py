"""Insight for the team: what people ask that the assistant cannot answer, and how it is doing."""
