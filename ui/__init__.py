"""Streamlit app: thin pages over the assistant's facades."""
