"""Isolated run: a student's cells execute in a separate, limited process (bubblewrap when available).

Only plain data crosses back (see ``inside/wire.py``); the grader never unpickles or imports anything
the student made.
"""
from .inside.wire import Opaque, SreprText
from .isolation import detect as detect_isolation
from .limits import Limits
from .runner import Sandbox, StudentFault, die_with_parent

__all__ = ["Limits", "Opaque", "Sandbox", "SreprText", "StudentFault", "detect_isolation", "die_with_parent"]
