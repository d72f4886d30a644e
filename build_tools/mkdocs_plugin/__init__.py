"""The thin MkDocs adapter: the only package that imports mkdocs."""
