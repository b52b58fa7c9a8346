"""Answering: a question in, an `Answer` out (condense, retrieve, choose, write, gate, cite).

May import the core (`assistant.*` modules), `assistant.llm`, `vectorstore` and `ingestion`; no other room.
"""
