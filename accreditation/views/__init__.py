"""Pages of the register, one module per audience.

- ``directory``: the public directory (no login).
- ``register``: the register of CABs and accreditations, and the secretariat's actions on them.
- ``scopes``: scope versions, their drafts and the comparison of two versions.
- ``cab_home``: the CAB user's home, colleagues, contacts and accepting an invitation.
- ``base`` and ``presenters``: what they share.

Every read starts from a selector, so an object outside the user's selector is a 404. Every
change is a POST that calls one service; a refused move (``DomainError``) shows its message on
the same form and changes nothing, because each service runs in one transaction.
"""
