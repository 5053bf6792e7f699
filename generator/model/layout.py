"""A project's layout, one for the check, the build and the command line (README, "Where things are"): the
YAML data, the site's Markdown (MkDocs' `docs_dir`) and, inside it, the narratives placed into generated pages.
The check runs without mkdocs.yml, so these are fixed names, not settings."""

DATA_DIR = "site-data"
CONTENT_DIR = "content"
NARRATIVE_DIR = "narrative"
"""Inside CONTENT_DIR: its Markdown files are parts of generated pages, not pages."""
