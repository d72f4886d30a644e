"""Pure functions from the model to documents (Markdown): nothing here imports MkDocs or WeasyPrint."""
