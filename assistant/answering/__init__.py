"""Answering from passages: follow-ups, prompts, responders, grounding checks and the chain."""
