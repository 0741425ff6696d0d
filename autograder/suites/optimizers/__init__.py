"""Hidden suite of the optimizers assignment."""
