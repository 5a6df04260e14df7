"""Official contest rules: a typed document, its validation, canonical form and versions."""
