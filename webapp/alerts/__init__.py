"""Daily saved-search alerts (issue 13). matching.py: which searches have new matches on a day."""
