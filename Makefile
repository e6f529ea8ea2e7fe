# Thin wrapper over CMake and Snakemake. The README's two commands are
# `make screen` and `make test`.
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
DEBS = build-essential cmake pkg-config clang-format libsundials-dev libnetcdf-dev libhdf5-dev \
       libzstd-dev netcdf-bin nco cdo hdf5-tools snakemake python3-matplotlib \
       python3-netcdf4 python3-numpy python3-xarray python3-jsonschema \
       python3-pymatgen help2man
PREFIX ?= /usr/local

.PHONY: deps build test screen bench install clean

deps:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then echo "deps: all Debian packages present"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	else \
	  echo "deps: missing packages; run as root:"; \
	  echo "  apt-get update && apt-get install -y --no-install-recommends$$missing"; exit 1; \
	fi

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# everything (tools, plugin, man pages, test programs, benchmarks), then the suite
test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# only what the screen runs: the tools and the HDF5 plugin (CMake target `screen`)
screen: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS) --target screen
	/usr/bin/python3 -m snakemake --cores $(JOBS) --rerun-incomplete
	@echo "screen: results in results/ (ranking: results/ranking.tsv, report: results/report.html)"

bench: build
	@for b in $(BUILD)/bench/bench_*; do echo "== $$b"; $$b || exit 1; done

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD)
