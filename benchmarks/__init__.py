"""Measurements of the running assistant: answer accuracy, NLU quality, speed."""
