"""Drafting: strategy sections from recommendations, chat drafting requests, Word and Markdown export.

May import the core, `assistant.llm`, `assistant.answering`, `vectorstore` and `ingestion`.
"""
