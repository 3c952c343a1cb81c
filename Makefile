# The commands of the README:
#   make lab         set up .venv and open the notebook series in JupyterLab
#   make reset       put the notebooks back as stored in git (discards your edits to them)
#   make test        set up .venv and run the whole test suite (unit tests + nbval); CI runs this
#   make test-quick  the unit tests without the full-size notebook, browser and Binder runs
#   make site        build the reading site (the notebooks as stored) in docs/_build/html
#   make student     write student/, the notebooks without their worked answers
#   make translations  update translations/ja/ and write the Japanese edition, ja/
#   make check-setups  check the stored outputs under three numerical set-ups
#   make mutation    mutation testing of the tests (not part of `make test`)
# The environment is created on first use. `make lab` installs what the
# notebooks need; `make test` adds the test tools (after `make lab`, only
# those). Each part is reinstalled when pyproject.toml changes.
# PYTHON picks the interpreter (3.10 or newer); LAB_ARGS passes options to
# JupyterLab, for example `make lab LAB_ARGS="--port 8889"`.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LAB_STAMP := $(VENV)/.installed-notebooks
TEST_STAMP := $(VENV)/.installed-test
MUTATION_STAMP := $(VENV)/.installed-mutation
LAB_ARGS ?=

.PHONY: lab reset test test-quick check-setups site student translations benchmark mutation clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The package and what the notebooks need: all that `make lab` installs.
$(LAB_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[notebooks]"
	touch $@

# Everything, test and site tools included, in one pip run. It covers the notebook
# part too, so a `make lab` afterwards installs nothing more.
$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[notebooks,test,integration,site]"
	touch $@ $(LAB_STAMP)

# JupyterLab refuses to run as root unless told to (containers often are root).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
# Project defaults for JupyterLab's settings (no "get notified about Jupyter
# news?" pop-up). They apply to this server only, and the reader's own
# settings still win; Binder installs the same file (binder/postBuild).
LAB_SETTINGS := --LabApp.app_settings_dir="$(CURDIR)/binder/jupyterlab-settings"

lab: $(LAB_STAMP)
	$(BIN)/jupyter lab $(ROOT_FLAG) $(LAB_SETTINGS) $(LAB_ARGS) notebooks/

# Running a notebook rewrites it (outputs, ids); this restores the stored
# versions, for a clean `git status` and a `git pull` without conflicts.
reset:
	@git status --short -- notebooks
	git checkout -- notebooks
	@echo "The notebooks are as stored in git again."

# -v prints each test's name as it ends, so a long notebook run shows what
# it is doing; --durations lists the slowest at the end. TEST_WORKERS processes
# share the tests out (pytest-xdist; one per core by default), a test file or
# a notebook at a time: a notebook's cells share one kernel, in order.
TEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -p no:cacheprovider -v --durations=15
PARALLEL := -n $(TEST_WORKERS) --dist loadscope

test: $(TEST_STAMP)
	$(PYTEST) $(PARALLEL) --nbval mnist_lr tests notebooks

test-quick: $(TEST_STAMP)
	$(PYTEST) $(PARALLEL) -m "not slow" mnist_lr tests

# The notebooks as stored (never executed), with warnings as errors; -E rereads
# every page, so a warning is never hidden by an earlier build.
SITE := docs/_build/html
# The Japanese edition (docs/ja, from ja/notebooks and README.ja.md) goes in ja/.
site: $(TEST_STAMP)
	$(BIN)/python -m sphinx -W --keep-going -E -b html -d docs/_build/doctrees docs $(SITE)
	$(BIN)/python -m sphinx -W --keep-going -E -b html -d docs/_build/doctrees-ja docs/ja $(SITE)/ja
	@echo "The site is in $(SITE)/index.html"

# The student editions are generated, never edited by hand: after changing or
# re-executing notebooks/, run this and commit student/ with them
# (tests/test_student_edition.py fails while student/ is stale). It makes
# ja/student/ from ja/notebooks/ too, which `make translations` also does.
student: $(TEST_STAMP)
	$(BIN)/python scripts/make_student.py

# The Japanese edition: updates translations/ja/*.po from notebooks/ (a changed
# English cell's entry becomes fuzzy), then writes ja/notebooks/ and ja/student/
# (tests/test_translations.py fails while any of them is stale).
translations: $(TEST_STAMP)
	$(BIN)/python scripts/make_translations.py

# Every notebook under three numerical set-ups (BLAS kernels, NumPy code paths),
# compared with its stored outputs; writes nothing (docs/CONTRIBUTING.md).
check-setups: export MNIST_LR_DATA ?= $(SHARED_MNIST)
check-setups: $(TEST_STAMP)
	$(BIN)/python scripts/execute_notebooks.py --check notebooks/[0-9][0-9]_*.ipynb

benchmark: $(TEST_STAMP)
	$(BIN)/python benchmarks/run.py

# Mutation testing with mutmut (settings in pyproject.toml, [tool.mutmut]; see
# docs/MUTATION.md). One module at a time, then the score of each. MUTANTS is a
# glob on the mutants' names: the default runs the fixed fifth whose number ends
# in 0 or 5; MUTANTS='*' runs them all. MUTATION_JOBS: mutants tried at once.
MUTATION_MODULES ?= model data metrics validation persistence
MUTANTS ?= *[05]
MUTATION_JOBS ?= 2
# mutmut runs the tests from a copy in mutants/, where tests/conftest.py cannot
# find ../shared/data/mnist by itself: point at it, unless MNIST_LR_DATA is set.
SHARED_MNIST := $(wildcard $(abspath ../shared/data/mnist))
mutation: export MNIST_LR_DATA ?= $(SHARED_MNIST)

$(MUTATION_STAMP): pyproject.toml $(TEST_STAMP)
	$(BIN)/python -m pip install --quiet -e ".[mutation]"
	touch $@

mutation: $(MUTATION_STAMP)
	set -e; for module in $(MUTATION_MODULES); do \
	    echo "== mnist_lr/$$module.py"; \
	    $(BIN)/mutmut run --max-children $(MUTATION_JOBS) "mnist_lr.$$module.$(MUTANTS)"; \
	done
	$(BIN)/python scripts/mutation_score.py

clean:
	rm -rf $(VENV) mutants
