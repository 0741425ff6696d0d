"""Hidden suite of the backprop assignment (issue 3)."""
