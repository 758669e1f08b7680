"""Data retention and erasure for the TSF Assistant's conversations and leads.

``python -m tsf_privacy.cli`` (``tsf-privacy``) purges what is older than the retention
period and erases one person's data on request. Conversations are the rows of Rasa's SQL
tracker store (its ``events`` table); leads go through ``tsf_leads.service``.
"""
