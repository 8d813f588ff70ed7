"""Text formats rbp reads and writes: markdown, the editor template, JSON, CSV, imports."""
