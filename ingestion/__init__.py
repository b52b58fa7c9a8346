"""Ingestion: load files (PDF, TXT, MD, slides), parse the recommendations booklet, chunk text."""
