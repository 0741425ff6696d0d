"""Checks a suite uses on the student's answers: numeric comparison, diagnosis, symbolic equivalence."""
