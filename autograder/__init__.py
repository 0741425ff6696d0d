"""nablab's grading side: submission -> isolated run -> checks -> scores -> gradebook/feedback."""
