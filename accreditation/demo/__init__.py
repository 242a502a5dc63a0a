"""Demonstration data for the register, written through the services (``manage.py seed_demo``).

``identifiers`` makes valid unified social credit codes; ``data`` holds the made-up bodies,
places, people and scope catalogues; ``seed`` plays their histories through the services.
"""
