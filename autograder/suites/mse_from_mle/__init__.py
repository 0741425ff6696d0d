"""Hidden suite of the mse_from_mle assignment."""
