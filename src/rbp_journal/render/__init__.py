"""Rich renderables: the one package besides cli/ that imports rich. Nothing here prints."""
