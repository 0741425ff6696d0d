# Two entry points: `make demo` and `make test`. Both build .venv/ first.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test system-deps clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	@touch $(STAMP)

# Debian packages the sandbox uses; installed only where we may (root + apt).
system-deps:
	@command -v bwrap >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap) >/dev/null 2>&1 \
	      || echo "warning: could not install bubblewrap; grading will use process limits only"; \
	  else echo "warning: bubblewrap missing and cannot be installed here; grading will use process limits only"; fi; }

demo: system-deps $(STAMP)
	$(VENV)/bin/nablab demo

test: system-deps $(STAMP)
	$(PY) -m pytest

clean:
	rm -rf $(VENV)
