"""Writes that span models. Each service is atomic, checks `rules` first and logs what it did."""
