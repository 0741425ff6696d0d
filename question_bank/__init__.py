"""nablab's question bank: template -> variant -> rendered question -> answer check.

Data flow and modules:

* ``templates/<name>.py`` -- one exam-style prompt each: ``generate(seed)`` (a frozen
  variant drawn with ``draw`` from ``numpy.random.default_rng(seed)``), ``parts``,
  ``render``, ``solution``; written prompts add ``model_answer`` and ``rubric``.
* ``registry`` -- the ordered template list and the uniform ``Template`` interface
  (``answer_text`` and ``check`` are the same for every template).
* ``core`` (parts, results), ``answers`` (the typed-answer syntax), ``symbolic`` (the
  only door to ``autograder.symbolic``), ``grading`` (parts x answer -> ``CheckResult``),
  ``layout`` / ``handcalc`` / ``draw`` (formatting, hand rounding, seeded choices).
* ``quiz``, ``exam``, ``export_papers``, ``export_moodle`` and ``cli`` (``bank``, ``quiz``,
  ``exam`` for the ``nablab`` command; ``python -m question_bank`` runs them standalone).
"""
