# Two entry points: `make demo` and `make test`. Both build .venv/ first.
VENV     := .venv
PY       := $(VENV)/bin/python
STAMP    := $(VENV)/.installed
DEMO_OUT := nablab-demo

.PHONY: demo test clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

# The bundled example class: one reproducible exam paper and answer key per student,
# then one worked derivation exercise.
demo: $(STAMP)
	$(VENV)/bin/nablab exam --seed 2026 --questions 6 \
	  --roster question_bank/example_class/roster.csv --out $(DEMO_OUT) --format md,html,moodle
	$(VENV)/bin/nablab bank show gd_numeric_1d --seed 1 --solution
	@echo "Papers, answer keys and Moodle XML for the example class: $(DEMO_OUT)/"

test: $(STAMP)
	$(PY) -m pytest

clean:
	rm -rf $(VENV) $(DEMO_OUT)
