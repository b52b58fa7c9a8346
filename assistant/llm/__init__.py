"""Chat-model backends chosen by a string (llama.cpp embedded, Ollama, OpenAI-compatible, fake), and the model file.

May import the core only (settings); the answering and drafting rooms call it.
"""
