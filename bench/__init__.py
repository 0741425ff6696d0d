"""Benchmarks of issue 7: ``python -m bench`` (``make bench``, ``make bench-quick``).

    synth.py      a synthetic class: N notebooks across the assignments, a realistic mix
    paths.py      the grading paths on that class: nablab grade, nbgrader autograde (its own kernel,
                  and with our bridge), the in-process limit
    inprocess.py  the in-process limit: the hidden suite against functions called directly
    memory.py     peak RSS of a process tree, from /proc
    questions.py  question bank variants per second; the time of a class's exam
    symbolic.py   check_equivalent latency over typical and hostile answers
    report.py     figures, targets, tables
"""
