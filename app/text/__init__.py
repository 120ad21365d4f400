"""Text handling shared by indexing and querying (Vietnamese normalisation)."""
