"""policy-assistant: answers and drafts over ECLAC documents, every claim cited."""
