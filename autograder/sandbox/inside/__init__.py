"""Code that runs inside the sandbox, next to the student: the worker and its helpers."""
