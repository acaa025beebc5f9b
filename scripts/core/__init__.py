"""Foundation shared by every stage: the document model, errors, escaping, data files, the corpus."""
