"""Hidden test suites, one folder per assignment; never shipped to students.

A suite is an ordinary pytest module, ``autograder/suites/<assignment>/test_<assignment>.py``, run by
the grader (outside the sandbox) once per submission. Its contract:

* Every test carries ``@points(n, "<function>: <what is checked>")``. The text before the colon is the
  graded *part*: a student function of the assignment, and the ``grade_id`` prefix of its nbgrader
  test cell (``<function>_tests``); a part's points add up to that cell's points.
* The ``student`` fixture is a proxy of the submission running in the sandbox:
  ``student.adam(w, dw, config)`` sends copies of the arguments and returns plain data (numbers,
  numpy arrays, str, lists/tuples/dicts of those; sympy results arrive as :class:`SreprText`).
  ``student.harness("name", ...)`` calls a trusted helper of
  ``autograder/sandbox/inside/harness/<assignment>.py`` inside the sandbox, for checks that need
  callables or student classes (gradient functions, graph nodes). If the student's code raises, times
  out or crashes, the proxy raises :class:`~autograder.sandbox.StudentFault`; the test needs no
  handling: the plugin scores it zero with a clear message.
* Expected values come from the reference (``autograder.reference.load("<assignment>")`` executes the
  solution cells of ``solutions/<assignment>/<assignment>.ipynb`` in the grader) on the test's own
  copies of the inputs. Compare with :mod:`autograder.checks.numeric` and diagnose with
  :func:`autograder.checks.diagnosis.expect`, which names a matching wrong variant from the suite's
  ``mistakes.py`` ("matches Adam without bias correction") or says where the answer first differed.
* Inputs come from ``np.random.default_rng(<fixed seed>)`` so that a regrade gives the same result.
"""
