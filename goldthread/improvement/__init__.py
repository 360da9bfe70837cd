"""Performance Improvement Plans and scrutiny recommendations."""
