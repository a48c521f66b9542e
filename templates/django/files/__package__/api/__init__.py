"""The HTTP layer: views that parse and validate input, call a service, and shape the answer."""
