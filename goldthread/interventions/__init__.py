"""Trigger rules, the recommendation queue and the escalation ladder."""
