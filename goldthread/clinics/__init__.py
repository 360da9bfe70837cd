"""Performance clinics: panel, agenda, clinic pack, minutes, decisions and action plans."""
