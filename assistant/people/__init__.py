"""People: users, roles and what each may do (access), local accounts, and the audit log.

May import the core only (settings, errors); every other room may import it.
"""
