"""Custom Rasa NLU components for the TSF Assistant (imported by Rasa from config.yml)."""
