"""Help search: query understanding, ranking, autocomplete, suggestions and search analytics."""
