"""Project scripts, importable as ``scripts.<name>`` (``python -m scripts.ensure_database``)."""
