"""The bundled recipes, shipped as package data (`deploybook.recipes`)."""
