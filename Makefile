# The two commands of the README's quick start are `make build` and `make test`.
# Both install what they need first; run them as root (or with sudo available) on Debian.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
APT_PACKAGES := chromium fonts-noto-cjk libreoffice-writer-nogui

.PHONY: build test install install-python install-node install-system bench clean

## build: install, then extract → package → validate → site from reports/ into build/site
build: install
	$(BIN)/juesuan build

## test: install (with Debian's chromium and LibreOffice for browser and format tests), then run every test
test: install install-system
	$(BIN)/python -m pytest; s=$$?; if [ $$s -eq 5 ]; then echo 'pytest collected no tests' >&2; exit 1; fi; exit $$s

install: install-python install-node

install-python: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install-node: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install-system:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

## bench: the scaling benchmark (see docs/performance.md)
bench: install
	$(BIN)/python scripts/bench.py

clean:
	rm -rf build
