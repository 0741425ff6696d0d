"""nbgrader, with our grading in place of its kernel.

nbgrader's ``autograde`` normally runs the test cells in the student's own kernel, where student
code can replace anything trusted. Our course config swaps its ``Execute`` preprocessor for
:class:`~autograder.nbgrader_bridge.preprocessor.NablabAutograde`, which runs the student's cells in
our sandbox and our hidden suite in the grader, then writes each test cell's score as the plain
number nbgrader reads as partial credit. Everything else — releases, submissions, the gradebook,
feedback, export — is nbgrader's own.

    course.py        the course directory (nbgrader_config.py, source/) and the nbgrader command
    preprocessor.py  NablabAutograde
    flow.py          generate → submit → autograde → feedback → export, compared with `nablab grade`
"""
