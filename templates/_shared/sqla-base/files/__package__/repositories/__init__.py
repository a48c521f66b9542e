"""Every database query lives here, behind the protocols the services declare."""
