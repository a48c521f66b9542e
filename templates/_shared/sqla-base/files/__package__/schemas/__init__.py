"""Request and response bodies (pydantic). Lengths match the column sizes in `models`."""
