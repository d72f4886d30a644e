# LO Briefing — two commands do all set-up on a fresh Debian machine:
#   make build   (venv, Python packages, Thai fonts, PDF libraries) then the site, PDFs and zip into site/
#   make test    (the same plus poppler and Chromium) then the whole test suite
# Works with no standard input and CI=true. A second run with nothing changed is quick.

PYTHON   ?= python3
VENV     := .venv
PY       := $(VENV)/bin/python
STAMP    := $(VENV)/.installed
SHIM     := node_modules/iframe-worker/shim/index.js
PROFILE  ?= full
ENGINE   ?= mkdocs
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT      := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get
export NO_MKDOCS_2_WARNING := 1

.PHONY: build test check serve new-guest schema publish bundles password-sheet export-guests import-guests setup bytecode fonts test-tools clean bench

build: setup fonts
	$(PY) -m build_tools build --profile $(PROFILE) --engine $(ENGINE)

check: setup
	$(PY) -m build_tools check --profile $(PROFILE)

serve: setup fonts
	$(PY) -m build_tools serve --profile $(PROFILE) --engine $(ENGINE)

new-guest: setup
	@test -n "$(ID)" || { echo "usage: make new-guest ID=jp-tanaka" >&2; exit 2; }
	$(PY) -m build_tools new-guest $(ID)

schema: setup
	$(PY) -m build_tools schema

# One locked offline site per LO (only the guests they escort or back up) and one for the coordinators, in bundles/.
bundles: setup fonts
	$(PY) -m build_tools bundles --engine $(ENGINE)

# The LOs' bundle passwords as a PDF (in .secrets/, never in a bundle or the site): print, hand out, delete.
password-sheet: setup fonts
	$(PY) -m build_tools password-sheet

# Record the current data as the next published version; later builds list every change since it.
publish: setup
	$(PY) -m build_tools publish

# The secretariat's spreadsheet: every guest out to FILE (.xlsx, or .csv plus one .csv per sheet beside it), and back.
# make import-guests FILE=guests.xlsx DRY_RUN=1 shows what would change and writes nothing.
export-guests: setup
	@test -n "$(FILE)" || { echo "usage: make export-guests FILE=guests.xlsx" >&2; exit 2; }
	$(PY) -m build_tools export-guests $(FILE)

import-guests: setup
	@test -n "$(FILE)" || { echo "usage: make import-guests FILE=guests.xlsx [DRY_RUN=1]" >&2; exit 2; }
	$(PY) -m build_tools import-guests $(FILE) $(if $(DRY_RUN),--dry-run)

test: setup fonts test-tools
	$(VENV)/bin/ruff check build_tools tests bench
	$(PY) -m pytest -q

setup: $(STAMP) $(SHIM) bytecode

# Our own modules compiled once (only what changed), also where PYTHONDONTWRITEBYTECODE is set: otherwise every
# build compiles the ~40 modules it imports again.
bytecode: $(STAMP)
	@$(PY) -m compileall -q build_tools

# The site's worker shim (search from file:// with no network) and workbox-build (which generates the offline app's
# service worker, build_tools/offline_app) come from the npm registry, pinned by package-lock.json; the build copies
# the shim into site/. npm ci keeps the package's old file dates: touch.
$(SHIM): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { $(APT) update -qq && $(APT) install -y -qq --no-install-recommends npm >/dev/null; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Re-install only when the dependency list changes. uv resolves and installs the same packages as pip would, in about
# 6 s instead of 50–70 (measured in a new venv: pip 48 s with its cache, 70 s without; uv 6 s with an empty cache).
# Unlike pip, uv writes no bytecode: where PYTHONDONTWRITEBYTECODE is set (CI), every process would then compile
# mkdocs, Material, WeasyPrint and openpyxl from source again, a quarter of a site build's CPU. Every installed package
# is compiled here, also those a venv made before this line got (uv's --compile-bytecode compiles only what it installs).
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check 'uv>=0.5,<1'
	UV_LINK_MODE=copy $(VENV)/bin/uv pip install --quiet --python $(PY) -e '.[test]'
	$(PY) -c "import compileall, sysconfig; compileall.compile_dir(sysconfig.get_paths()['purelib'], quiet=2, workers=0)"
	touch $@

# What WeasyPrint draws the PDFs' text with, only what the machine lacks. Pango lays the text out. HarfBuzz's subsetter
# keeps only the glyphs a PDF uses of each font: without it WeasyPrint falls back on fontTools, which took a fifth of a
# guest handbook's CPU, half the orientation handbook's and 4 s of each Japanese guest's handbook (its CJK font), for
# the same glyphs. Fonts: Thai (Laksaman and friends, fonts-thai-tlwg) for the text, Noto for the scripts of the
# country pages' phrase tables (Khmer, Myanmar, Tamil, Chinese, Japanese, Korean, Arabic…).
FONT_LANGS := th km my ta zh-cn ja ko ar he hi
PDF_LIBS   := libpangoft2-1.0-0 libharfbuzz-subset0
fonts:
	@missing=""; \
	for package in $(PDF_LIBS); do dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$package"; done; \
	command -v fc-list >/dev/null 2>&1 || missing="$$missing fontconfig"; \
	[ -n "$$(fc-list :lang=th family 2>/dev/null)" ] || missing="$$missing fonts-thai-tlwg"; \
	for lang in $(FONT_LANGS); do [ -n "$$(fc-list :lang=$$lang family 2>/dev/null)" ] || { missing="$$missing fonts-noto-core fonts-noto-cjk"; break; }; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing for the PDFs:$$missing…"; \
	  $(APT) update -qq && $(APT) install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# What the tests read PDFs and drive the site with: poppler (pdftotext, pdftoppm), Debian's Chromium, and khard (the
# vCards must import into a one-contact-per-file address book).
test-tools:
	@missing=""; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v khard >/dev/null 2>&1 || missing="$$missing khard"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing$$missing…"; \
	  $(APT) update -qq && $(APT) install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

clean:
	rm -rf site .cache .build

# The benchmark (bench/run.py): synthetic events of SIZES guests, our build side by side with a bare mkdocs build and a
# naive serial WeasyPrint render; prints a table, writes bench/out/results.json. `make bench SIZES=10,50` for a quick run.
SIZES ?= 10,50,200
bench: setup fonts
	$(PY) -m bench --sizes $(SIZES)
