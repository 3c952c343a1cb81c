# The two commands of the README:
#   make lab    set up .venv and open the notebook series in JupyterLab
#   make test   set up .venv and run the whole test suite (unit tests + nbval)
# Both create the virtual environment on first use and reinstall when
# pyproject.toml changes. PYTHON picks the interpreter (3.10 or newer).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: lab test benchmark clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[notebooks,test,integration]"
	touch $(STAMP)

# JupyterLab refuses to run as root unless told to (containers often are root).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(STAMP)
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/

test: $(STAMP)
	$(BIN)/python -m pytest --nbval -p no:cacheprovider tests notebooks

benchmark: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV)
