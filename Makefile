# Two entry points: `make demo` and `make test`. Both build .venv/ first.
VENV     := .venv
PY       := $(VENV)/bin/python
STAMP    := $(VENV)/.installed
DEMO_OUT := nablab-demo

.PHONY: demo test sandbox clean bench bench-quick

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

# Student code runs under bubblewrap. Install it where we can (root with apt); without it
# grading still works, with process limits only, and says so in every result.
sandbox:
	@command -v bwrap >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	  && { (apt-get update -qq && apt-get install -y -qq bubblewrap) >$${TMPDIR:-/tmp}/nablab-apt.log 2>&1 \
	       || { tail -n 5 $${TMPDIR:-/tmp}/nablab-apt.log; false; }; }; } \
	  || echo "bubblewrap could not be installed: student code will run with process limits only"

# The main job on the bundled example class: grade every assignment, print the gradebooks,
# then write reproducible exam papers for the class roster.
demo: $(STAMP) sandbox
	$(VENV)/bin/nablab demo --out $(DEMO_OUT)
	$(VENV)/bin/nablab exam --seed 2026 --questions 6 \
	  --roster question_bank/example_class/roster.csv --out $(DEMO_OUT)/exam --format md,html,moodle
	@echo "Gradebooks, feedback and exam papers: $(DEMO_OUT)/"

test: $(STAMP) sandbox
	$(PY) -m pytest

# Benchmarks of issue 7 (bench/README.md): a table per part, then one JSON line of the figures.
bench: $(STAMP) sandbox
	$(PY) -m bench --plot nablab-bench/figures.png

bench-quick: $(STAMP) sandbox
	$(PY) -m bench --quick --plot nablab-bench/figures-quick.png

clean:
	rm -rf $(VENV) $(DEMO_OUT)
