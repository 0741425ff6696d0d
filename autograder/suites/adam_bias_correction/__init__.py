"""Hidden suite of the adam_bias_correction assignment."""
