# parlab - one non-recursive Makefile.
#
#   make            build the programs into bin/
#   make test       build, then run every Check suite and the end-to-end tests: as
#                   built (check), under ASan+UBSan (check-asan), under valgrind
#                   (check-valgrind), and fuzz the parsers for 7 s each (fuzz-short)
#   make fuzz       fuzz the option parser and the CSV code for 30 s each, at once
#   make run-all    build, run every experiment, write results/: CSVs, figures, REPORT.md
#   make plots      redraw the figures from the CSVs in results/ (or RESULTS=dir)
#   make compare    after run-all: joblib's backends measured beside parlab's
#                   (src/joblib-compare.py, docs/compare.md), the figures and REPORT.md
#                   redrawn (installs python3-joblib and python3-numba)
#   make bench-mpi  the README's MPI benchmarks on this machine (about a minute)
#   make bench-simd the README's benchmarks of the simd kernel on this machine: the
#                   square-root unit's peak, simd against scalar, simd threads (25 s)
#   make class CLASS=dir   a class's results side by side: every student's results
#                   directory in dir merged into results/class.md, class.csv and the
#                   class-*.png figures (or RESULTS=dir)
#   make lab LAB=N  run lab N's commands (labs/0N-*.md), about a minute, into
#                   labs/results/labN/ (or RESULTS=dir), and draw its figures
#   make hand-in LAB=N LABEL=name   pack labs/results/labN/ into labN-name.tar.gz
#   make check-exercise E=pi [FILE=my-pi.c]   check an OpenMP exercise (labs/exercises/):
#                   build it warning-free, run every part at every W, say what is wrong;
#                   rows into labs/results/exercises/ (or RESULTS=dir)
#   make exercise-handout   the tree to give students: every exercise's skeleton, no
#                   solution, in build/parlab-exercises.tar.gz
#   make install    copy the programs to $(PREFIX)/bin
#   make deps       install every package any goal needs, at once
#   make clean      remove build/ and bin/
#
# Each goal first runs src/deps.sh with the goals given, which installs what they need
# and is missing (as root or with sudo) or stops with one line naming those packages:
# make and install need pkg-config and libhwloc-dev (and gcc's OpenMP), and Open MPI
# (openmpi-bin, libopenmpi-dev) for parlab-mpi; run-all,
# plots, class and lab add gnuplot-nox; check and check-asan add check and
# gnuplot-nox; check-valgrind adds valgrind; fuzz adds clang and libclang-rt-dev;
# compare adds python3-joblib and python3-numba; test needs all of them.  clean and help need nothing.
#
# Your CPPFLAGS, CFLAGS and LDFLAGS come after the project's, so `make CFLAGS=-O0`
# builds without optimisation.

VERSION := 0.1.0

CC ?= cc
AR ?= ar
CFLAGS ?= -O2 -g
PREFIX ?= /usr/local

BUILD := build
BIN := bin
# make lab's own default, labs/results/labN, holds unless RESULTS is given.
LAB_RESULTS_GIVEN := $(if $(filter undefined,$(origin RESULTS)),,yes)
RESULTS ?= results
# The directory's name as given, whatever it holds ('$', quotes, spaces): taken
# unexpanded, and handed to the scripts in the environment, never as shell text.
override RESULTS := $(value RESULTS)
export RESULTS

# deps.sh is given the goals (none for plain `make`) and checks what they need, the
# union for several.  Check's flags are asked quietly: most goals build without it.
DEPS_GOALS := $(filter-out clean help,$(MAKECMDGOALS))
ifneq ($(if $(MAKECMDGOALS),$(DEPS_GOALS),all),)
  DEPS_MSG := $(shell CC='$(CC)' sh src/deps.sh $(DEPS_GOALS))
  ifneq ($(DEPS_MSG),)
    $(error $(DEPS_MSG))
  endif
  HWLOC_CFLAGS := $(shell pkg-config --cflags hwloc)
  HWLOC_LIBS := $(shell pkg-config --libs hwloc)
  CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
  CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null)
  # Open MPI's own names (the mpi*.pc names are alternatives that may be MPICH's)
  MPI_CFLAGS := $(shell pkg-config --cflags ompi-c 2>/dev/null)
  MPI_LIBS := $(shell pkg-config --libs ompi-c 2>/dev/null)
endif

PARLAB_CPPFLAGS := -Iinclude -D_GNU_SOURCE -DPARLAB_VERSION='"$(VERSION)"' $(HWLOC_CFLAGS)
PARLAB_CFLAGS := -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
                 -MMD -MP
PARLAB_LDLIBS := $(HWLOC_LIBS) -lm -pthread

# Set per target: -fopenmp for the one program that uses OpenMP, and nowhere else, so
# that the fork()ing programs and the test runners never load libgomp.
OPENMP :=
# Likewise MPI's flags and libraries, for parlab-mpi alone.
MPI_COMPILE :=
MPI_LINK :=

# The vectorised kernel alone: OpenMP's simd construct, which needs no libgomp, and
# square roots that set no errno, which may then be vector instructions
# (docs/kernel.md).  Never -ffast-math or -march=native: the result is checked, and
# the binary must run on any x86-64 (kernel_simd.c picks its variant at run time).
SIMD :=
KERNEL_SIMD_FLAGS := -fopenmp-simd -fno-math-errno

COMPILE = $(CC) $(PARLAB_CPPFLAGS) $(MPI_COMPILE) $(CPPFLAGS) $(PARLAB_CFLAGS) $(OPENMP) $(SIMD) $(CFLAGS)
LINK = $(CC) $(PARLAB_CFLAGS) $(OPENMP) $(CFLAGS) $(LDFLAGS)

LIB_SRC := $(wildcard src/lib/*.c)
LIB_OBJ := $(LIB_SRC:src/%.c=$(BUILD)/%.o)
LIB := $(BUILD)/libparlab.a

PROGRAMS := parlab-serial parlab-threads parlab-procs parlab-mpi parlab-summary parlab-topo parlab-report \
            parlab-overhead parlab-class parlab-lab parlab-exercise parlab-simd
PROGRAM_BINS := $(PROGRAMS:%=$(BIN)/%)

TEST_NAMES := check_testutil check_kernel check_stats check_csv check_cli check_lock check_payload check_topo \
              check_pin check_plan check_phase check_pool check_run check_summary check_programs \
              check_output check_options check_pinning check_crashes check_signals \
              check_disk check_lessons check_limits check_results check_report check_figures check_runall \
              check_class check_lab check_exercise check_judges check_mpi check_overhead check_simd
TEST_BINS := $(TEST_NAMES:%=$(BUILD)/tests/%)
# The suites in the order the passes start them: the longest first (under valgrind
# on the 2-PU development machine, 50 s down to 10 s; as built, 42 s down to 4 s;
# each timed alone on a busy machine), so that two at a time end close together.
SLOW := check_options check_runall check_pinning check_exercise check_figures check_lab check_report \
        check_programs check_class check_summary check_disk check_output check_pin check_signals \
        check_lessons check_crashes
SLOW_FIRST := $(SLOW) $(filter-out $(SLOW),$(TEST_NAMES))
PLAIN_SLOW := check_runall check_mpi check_figures check_exercise check_signals check_class
PLAIN_FIRST := $(PLAIN_SLOW) $(filter-out $(PLAIN_SLOW),$(TEST_NAMES))
# How many suites run at once, in every pass: as many as there are PUs, at most 2.
# No test times anything a second suite beside it could spoil (they time their own
# CPU, or wait seconds for what takes milliseconds), as the sanitizer pass, two at a
# time from the start, showed; the shell tests of the plain pass, which need both
# PUs for their races, run before the suites, one at a time.
PARALLEL_SUITES := $$(n=$$(nproc 2>/dev/null || echo 1); [ "$$n" -gt 2 ] && n=2; echo $$n)
CHECK_JOBS ?= $(PARALLEL_SUITES)
TEST_UTIL_OBJ := $(BUILD)/tests/testutil.o $(BUILD)/tests/fixture.o

.PHONY: all test check check-asan check-valgrind fuzz fuzz-short run-all plots compare bench-mpi bench-simd class lab \
        hand-in install clean help deps check-deps check-labs check-mpi-hosts check-exercises \
        check-exercise exercise-handout test-build build-tests build-asan check-compare
.DELETE_ON_ERROR:
.SECONDARY: $(PROGRAMS:%=$(BUILD)/%.o) $(TEST_BINS:=.o) $(TEST_UTIL_OBJ)

all: $(PROGRAM_BINS)

$(BUILD)/%.o: src/%.c
	@mkdir -p $(@D)
	$(COMPILE) -c -o $@ $<

$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(COMPILE) $(CHECK_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	$(AR) rcs $@ $^

$(BIN)/%: $(BUILD)/%.o $(LIB)
	@mkdir -p $(@D)
	$(LINK) -o $@ $< $(LIB) $(MPI_LINK) $(PARLAB_LDLIBS) $(LDLIBS)

$(BUILD)/parlab-threads.o $(BIN)/parlab-threads: private OPENMP := -fopenmp
# parlab-mpi --threads: OpenMP threads in each rank
$(BUILD)/parlab-mpi.o $(BIN)/parlab-mpi: private OPENMP := -fopenmp
# parlab-overhead: OpenMP's constructs, and it forks (only before its first region)
$(BUILD)/parlab-overhead.o $(BIN)/parlab-overhead: private OPENMP := -fopenmp
$(BUILD)/parlab-mpi.o: private MPI_COMPILE := $(MPI_CFLAGS)
$(BUILD)/lib/kernel_simd.o build/fuzz/lib/kernel_simd.o: private SIMD := $(KERNEL_SIMD_FLAGS)
# the square-root unit's micro-benchmark, vectorised as the simd kernel is
$(BUILD)/lib/sqrtpeak.o build/fuzz/lib/sqrtpeak.o: private SIMD := $(KERNEL_SIMD_FLAGS)
$(BIN)/parlab-mpi: private MPI_LINK := $(MPI_LIBS)

# The exercises (labs/exercises/): each harness (src/exercises/NAME.c) and the main
# they share are built here; parlab-exercise links them with a student's file, using
# the compiler and flags baked in below, so that a student's program is built as the
# rest of the build was (under ASan in check-asan).
EXERCISE_NAMES := $(basename $(notdir $(filter-out src/exercises/harness.c,$(wildcard src/exercises/*.c))))
EXERCISE_OBJ := $(EXERCISE_NAMES:%=$(BUILD)/exercises/%.o) $(BUILD)/exercises/harness.o
$(BUILD)/exercises/%.o: src/exercises/%.c
	@mkdir -p $(@D)
	$(COMPILE) -fopenmp -Ilabs/exercises -c -o $@ $<
$(BUILD)/parlab-exercise.o: private CPPFLAGS += \
    -DPARLAB_EXERCISE_ROOT='"$(abspath .)"' -DPARLAB_EXERCISE_BUILD='"$(abspath $(BUILD))"' \
    -DPARLAB_EXERCISE_CC='"$(CC)"' -DPARLAB_EXERCISE_CFLAGS='"$(strip $(CFLAGS) $(LDFLAGS))"' \
    -DPARLAB_EXERCISE_HWLOC_CFLAGS='"$(HWLOC_CFLAGS)"' -DPARLAB_EXERCISE_HWLOC_LIBS='"$(HWLOC_LIBS)"'
$(BIN)/parlab-exercise: $(EXERCISE_OBJ)

$(BUILD)/tests/check_%: $(BUILD)/tests/check_%.o $(TEST_UTIL_OBJ) $(LIB)
	$(LINK) -o $@ $< $(TEST_UTIL_OBJ) $(LIB) $(CHECK_LIBS) $(PARLAB_LDLIBS) $(LDLIBS)

# The end-to-end tests run the programs in $(BIN), so they are built first.
# RUN_SUITE may put a tool (valgrind) in front of each suite.  Each suite prints
# "suite NAME: N passed, N failed, N skipped" and adds its numbers to a file from
# which the last line totals them; a suite that exits non-zero is named, also when no
# test of it failed (valgrind's exit 99, a runner that crashed before counting).
check: $(PROGRAM_BINS) $(TEST_BINS)
	@counts=$$(mktemp "$${TMPDIR:-/tmp}/parlab-counts-XXXXXX") || exit 1; \
	trap 'rm -f "$$counts" "$$counts.failed"' EXIT; \
	status=0; failed_suites=; \
	if [ "$(CHECK_JOBS)" -gt 1 ]; then \
	    PARLAB_TEST_COUNTS=$$counts PARLAB_BIN=$${PARLAB_BIN:-$(abspath $(BIN))} \
	        PARLAB_FAILED=$$counts.failed RUN_SUITE='$(RUN_SUITE)' \
	        sh tests/run-suites.sh $(CHECK_JOBS) \
	        $(patsubst %,$(BUILD)/tests/%,$(if $(CHECK_NAME),$(SLOW_FIRST),$(PLAIN_FIRST))); \
	    if [ -s "$$counts.failed" ]; then \
	        status=1; failed_suites=" $$(tr '\n' ' ' <"$$counts.failed")"; fi; \
	else \
	    for t in $(TEST_BINS); do \
	        PARLAB_TEST_COUNTS=$$counts PARLAB_BIN=$${PARLAB_BIN:-$(abspath $(BIN))} \
	            $(RUN_SUITE) $$t || { status=1; failed_suites="$$failed_suites $${t##*/}"; }; \
	    done; \
	fi; \
	mkdir -p build; \
	awk -v goal='make $(or $(CHECK_NAME),check)' '{ p += $$2; f += $$3; s += $$4 } \
	    END { printf "%s: %d passed, %d failed, %d skipped\n", goal, p, f, s; \
	          printf "%s %d %d %d\n", goal, p, f, s >"build/counts.$(or $(CHECK_NAME),check)" }' \
	    "$$counts"; \
	if [ $$status != 0 ]; then \
	    echo "make $(or $(CHECK_NAME),check): FAILED:$$failed_suites (see above)"; fi; \
	exit $$status

# src/deps.sh's choice of packages for each goal, with fake commands in its PATH.
check: check-deps
check-deps:
	@sh tests/check-deps.sh

# Every command block of every handout in labs/, shrunk to run in seconds (only in the
# plain pass: it skips itself under the sanitizers and valgrind, which the suites cover).
check: check-labs
check-labs: $(PROGRAM_BINS)
	@PARLAB_BIN=$${PARLAB_BIN:-$(abspath $(BIN))} sh tests/check-labs.sh

# parlab-mpi over two simulated hosts (network namespaces) and under a single-node
# Slurm that it starts itself; plain pass only, like check-labs, and it skips itself
# with a message where it cannot run (not root, no namespaces, no mpirun or slurmd).
check: check-mpi-hosts
check-mpi-hosts: $(BIN)/parlab-mpi
	@PARLAB_BIN=$${PARLAB_BIN:-$(abspath $(BIN))} sh tests/check-mpi-hosts.sh

# Every exercise's skeleton, solution and broken copies (tests/exercises/), in the
# plain pass only, like check-labs.
check: check-exercises
check-exercises: $(PROGRAM_BINS)
	@PARLAB_BIN=$${PARLAB_BIN:-$(abspath $(BIN))} sh tests/check-exercises.sh

# src/joblib-compare.py with tiny sizes, plain pass only, like check-labs; it skips
# itself with its reason where Debian's Python lacks joblib or numba (make test and
# make check-compare install them).
check: check-compare
check-compare: $(PROGRAM_BINS)
	@PARLAB_BIN=$${PARLAB_BIN:-$(abspath $(BIN))} sh tests/check-compare.sh

# Each pass leaves its totals in build/counts.PASS; the last line adds them up.
# The three builds come first, in one make on both PUs (at most 2, as the passes
# use), so that neither waits on the last links of another: the programs and suites
# as built, the same under the sanitizers (check-asan's) and the fuzzers
# (fuzz-short's).  The passes run one after another.
test: test-build check check-asan check-valgrind fuzz-short
	@cat build/counts.check build/counts.check-asan build/counts.check-valgrind | \
	    awk '{ p += $$(NF - 2); f += $$(NF - 1); s += $$NF } \
	         END { printf "make test: %d passed, %d failed, %d skipped (plain, ASan+UBSan, valgrind); fuzzing found nothing\n", p, f, s }'
test-build:
	@$(MAKE) --no-print-directory -j$(PARALLEL_SUITES) build-tests build-asan $(FUZZERS:%=build/fuzz/%)
build-tests: $(PROGRAM_BINS) $(TEST_BINS)


# The same sources built with AddressSanitizer and UndefinedBehaviorSanitizer, in
# their own directory; every suite runs against these programs.
SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
check-asan:
	@$(MAKE) --no-print-directory -j$(PARALLEL_SUITES) build-asan
	@PARLAB_SANITIZED=1 $(MAKE) --no-print-directory BUILD=build/asan BIN=build/asan/bin \
	    CHECK_NAME=check-asan CHECK_JOBS=$(PARALLEL_SUITES) \
	    CFLAGS='-O1 -g $(SANITIZE)' LDFLAGS='$(SANITIZE)' check

# (As a job of test-build's make, it shares that make's PUs.)
build-asan:
	@$(MAKE) --no-print-directory BUILD=build/asan BIN=build/asan/bin \
	    CFLAGS='-O1 -g $(SANITIZE)' LDFLAGS='$(SANITIZE)' build-tests

# The suites under valgrind's memcheck, and every program they start through the
# wrappers tests/valgrind-wrap.sh writes: a memory error or a definite leak fails
# the test that met it, and its report is printed below.
VALGRIND_LOGS := build/valgrind/logs
check-valgrind: $(PROGRAM_BINS) $(TEST_BINS)
	@rm -rf build/valgrind && sh tests/valgrind-wrap.sh $(BIN) build/valgrind/bin $(VALGRIND_LOGS)
	@status=0; \
	PARLAB_BIN=$(abspath build/valgrind/bin) PARLAB_PLAIN_BIN=$(abspath $(BIN)) \
	    CK_TIMEOUT_MULTIPLIER=20 HWLOC_COMPONENTS=-x86 \
	    PARLAB_UNDER_VALGRIND=1 PARLAB_SANITIZED=1 \
	    $(MAKE) --no-print-directory CHECK_NAME=check-valgrind CHECK_JOBS=$(PARALLEL_SUITES) \
	    RUN_SUITE='valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite --suppressions=$(abspath tests/valgrind.supp) --log-file=$(abspath $(VALGRIND_LOGS))/suite.%p.log' \
	    check || status=1; \
	for log in $(VALGRIND_LOGS)/*.log; do \
	    if [ -s "$$log" ]; then echo "== $$log"; cat "$$log"; status=1; fi; \
	done; \
	exit $$status

# libFuzzer, with clang, over the option parser and the CSV code.  Each harness runs
# for half the time, the two at once where there are two PUs (each is one process);
# the corpus grows in build/fuzz, the committed seeds stay as they are, and every
# input in tests/fuzz/regressions is replayed first.
FUZZ_CC ?= clang
FUZZ_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_LIB_OBJ := $(LIB_SRC:src/%.c=build/fuzz/%.o)
.SECONDARY: $(FUZZ_LIB_OBJ)
FUZZERS := fuzz_cli fuzz_csv

build/fuzz/%.o: src/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(PARLAB_CPPFLAGS) -std=c11 -g -O1 -MMD -MP -fsanitize=fuzzer-no-link \
	    $(FUZZ_SANITIZE) $(SIMD) -c -o $@ $<

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(PARLAB_CPPFLAGS) -std=c11 -g -O1 -MMD -MP -MF $@.d -fsanitize=fuzzer \
	    $(FUZZ_SANITIZE) -o $@ $< $(FUZZ_LIB_OBJ) $(PARLAB_LDLIBS)

FUZZ_SECONDS ?= 60
fuzz: $(FUZZERS:%=build/fuzz/%)
	@$(MAKE) --no-print-directory --output-sync=target -j$(PARALLEL_SUITES) \
	    FUZZ_SECONDS=$(FUZZ_SECONDS) $(FUZZERS:%=fuzz-run-%)

# One harness: its regressions replayed, then fuzzed.
fuzz-run-%: build/fuzz/%
	@f=$*; name=$${f#fuzz_}; \
	mkdir -p build/fuzz/corpus-$$name; \
	cp tests/fuzz/corpus/$$name/* build/fuzz/corpus-$$name/; \
	regressions=$$(ls tests/fuzz/regressions/$$name/* 2>/dev/null || true); \
	if [ -n "$$regressions" ]; then \
	    build/fuzz/$$f $$regressions >build/fuzz/$$f.log 2>&1 || \
	    { cat build/fuzz/$$f.log; echo "make fuzz: $$f fails on a regression input"; exit 1; }; \
	fi; \
	echo "fuzzing $$name for $$(( $(FUZZ_SECONDS) / 2 )) s"; \
	(cd build/fuzz && ./$$f -max_total_time=$$(( $(FUZZ_SECONDS) / 2 )) -max_len=512 \
	    -print_final_stats=0 corpus-$$name >$$f.log 2>&1) || \
	    { tail -n 40 build/fuzz/$$f.log; echo "make fuzz: $$f found a crash (input in build/fuzz/crash-*): fix it and add the input to tests/fuzz/regressions/$$name"; exit 1; }

fuzz-short:
	@$(MAKE) --no-print-directory -j$(PARALLEL_SUITES) $(FUZZERS:%=build/fuzz/%)
	@$(MAKE) --no-print-directory FUZZ_SECONDS=15 fuzz

# exec: a signal to make (which hands SIGTERM to its child) reaches the script itself.
run-all: $(PROGRAM_BINS)
	@exec sh src/run-all.sh

plots: $(PROGRAM_BINS)
	@exec sh plots/draw.sh "$$RESULTS"

compare: $(PROGRAM_BINS)
	@exec sh src/compare.sh "$$RESULTS"

bench-mpi: $(PROGRAM_BINS)
	@exec sh src/bench-mpi.sh

bench-simd: $(PROGRAM_BINS)
	@exec sh src/bench-simd.sh

# CLASS: the directory of the students' results directories, taken as RESULTS is.
override CLASS := $(value CLASS)
export CLASS
class: $(PROGRAM_BINS)
	@exec sh plots/class.sh "$$CLASS" "$$RESULTS"
# LAB and RESULTS reach the script in the environment, never as shell text.
export LAB
lab: $(PROGRAM_BINS)
	@$(if $(LAB_RESULTS_GIVEN),,RESULTS=) exec sh labs/run-lab.sh "$$LAB"

# LABEL (and HANDIN, the archive's directory) reach the script in the environment.
export LABEL HANDIN
hand-in:
	@$(if $(LAB_RESULTS_GIVEN),,RESULTS=) exec sh labs/hand-in.sh "$$LAB"

# E (the exercise), FILE (the student's file) and LABEL reach the script in the
# environment, never as shell text.
export E FILE
check-exercise: $(PROGRAM_BINS)
	@$(if $(LAB_RESULTS_GIVEN),,RESULTS=) exec sh labs/exercises/check.sh

exercise-handout:
	@exec sh labs/exercises/handout.sh build/parlab-exercises.tar.gz

install: $(PROGRAM_BINS)
	mkdir -p $(DESTDIR)$(PREFIX)/bin
	cp $(PROGRAM_BINS) $(DESTDIR)$(PREFIX)/bin/

clean:
	rm -rf build $(BIN)

# Every package any goal needs, installed at once (src/deps.sh does it before this runs).
deps:
	@echo "make deps: every package parlab's goals need is installed"

help:
	@sed -n '3,/^$$/p' Makefile | sed 's/^# \{0,1\}//'

-include $(LIB_OBJ:.o=.d) $(PROGRAMS:%=$(BUILD)/%.d) $(TEST_BINS:=.d) $(TEST_UTIL_OBJ:.o=.d)
-include $(EXERCISE_OBJ:.o=.d)
-include $(FUZZ_LIB_OBJ:.o=.d) $(FUZZERS:%=build/fuzz/%.d)
