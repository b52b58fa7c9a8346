"""Vector store: offline embeddings, Chroma collections, the recommendation registry."""
