"""Media: press releases, official documents, result cards (imports core and store only)."""
