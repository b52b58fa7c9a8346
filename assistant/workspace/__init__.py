"""The workspace: the document library, saved sessions, sources to read in place, search, feedback, backups.

May import the core, `assistant.people`, `assistant.answering`, `vectorstore` and `ingestion`.
"""
