"""notesbot: answer questions from a Markdown notes garden (command line and Discord)."""

__version__ = "0.1.0"
