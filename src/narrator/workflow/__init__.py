"""Workflow: regenerating a document when its figures change (update, the figures' diff and the text's), and many departments at once (batch)."""
