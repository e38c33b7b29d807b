"""The framework floor for bench/warm.py: a bare django-ninja app, nothing of findash."""
