# parlab - one non-recursive Makefile.
#
#   make            build the programs into bin/
#   make test       build, then run every Check suite and the end-to-end tests
#   make run-all    build, run every experiment, write results/: CSVs, figures, REPORT.md
#   make plots      redraw the figures from the CSVs in results/ (or RESULTS=dir)
#   make install    copy the programs to $(PREFIX)/bin
#   make clean      remove build/ and bin/
#
# Every goal but clean and help first runs src/deps.sh, which installs what is missing
# (as root or with sudo) or stops with one line naming the packages.
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
RESULTS ?= results

ifneq ($(filter-out clean help,$(or $(MAKECMDGOALS),all)),)
  DEPS_MSG := $(shell sh src/deps.sh)
  ifneq ($(DEPS_MSG),)
    $(error $(DEPS_MSG))
  endif
  HWLOC_CFLAGS := $(shell pkg-config --cflags hwloc)
  HWLOC_LIBS := $(shell pkg-config --libs hwloc)
  CHECK_CFLAGS := $(shell pkg-config --cflags check)
  CHECK_LIBS := $(shell pkg-config --libs check)
endif

PARLAB_CPPFLAGS := -Iinclude -D_GNU_SOURCE -DPARLAB_VERSION='"$(VERSION)"' $(HWLOC_CFLAGS)
PARLAB_CFLAGS := -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
                 -MMD -MP
PARLAB_LDLIBS := $(HWLOC_LIBS) -lm -pthread

# Set per target: -fopenmp for the one program that uses OpenMP, and nowhere else, so
# that the fork()ing programs and the test runners never load libgomp.
OPENMP :=

COMPILE = $(CC) $(PARLAB_CPPFLAGS) $(CPPFLAGS) $(PARLAB_CFLAGS) $(OPENMP) $(CFLAGS)
LINK = $(CC) $(PARLAB_CFLAGS) $(OPENMP) $(CFLAGS) $(LDFLAGS)

LIB_SRC := $(wildcard src/lib/*.c)
LIB_OBJ := $(LIB_SRC:src/%.c=$(BUILD)/%.o)
LIB := $(BUILD)/libparlab.a

PROGRAMS := parlab-serial parlab-threads parlab-procs parlab-summary parlab-topo parlab-report
PROGRAM_BINS := $(PROGRAMS:%=$(BIN)/%)

TEST_NAMES := check_kernel check_stats check_csv check_cli check_pin check_pool check_run \
              check_summary check_programs check_pinning check_figures check_faults
TEST_BINS := $(TEST_NAMES:%=$(BUILD)/tests/%)
TEST_UTIL_OBJ := $(BUILD)/tests/testutil.o

.PHONY: all test run-all plots install clean help
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
	$(LINK) -o $@ $< $(LIB) $(PARLAB_LDLIBS) $(LDLIBS)

$(BUILD)/parlab-threads.o $(BIN)/parlab-threads: private OPENMP := -fopenmp

$(BUILD)/tests/check_%: $(BUILD)/tests/check_%.o $(TEST_UTIL_OBJ) $(LIB)
	$(LINK) -o $@ $< $(TEST_UTIL_OBJ) $(LIB) $(CHECK_LIBS) $(PARLAB_LDLIBS) $(LDLIBS)

# The end-to-end tests run the programs in bin/, so they are built first.
test: $(PROGRAM_BINS) $(TEST_BINS)
	@status=0; \
	for t in $(TEST_BINS); do \
	    PARLAB_BIN=$(abspath $(BIN)) $$t || status=1; \
	done; \
	if [ $$status = 0 ]; then echo "make test: every suite passed"; \
	else echo "make test: FAILED (see above)"; fi; \
	exit $$status

run-all: $(PROGRAM_BINS)
	@RESULTS=$(RESULTS) sh src/run-all.sh

plots: $(PROGRAM_BINS)
	@sh plots/draw.sh $(RESULTS)

install: $(PROGRAM_BINS)
	mkdir -p $(DESTDIR)$(PREFIX)/bin
	cp $(PROGRAM_BINS) $(DESTDIR)$(PREFIX)/bin/

clean:
	rm -rf $(BUILD) $(BIN)

help:
	@sed -n '3,15p' Makefile | sed 's/^# \{0,1\}//'

-include $(LIB_OBJ:.o=.d) $(PROGRAMS:%=$(BUILD)/%.d) $(TEST_BINS:=.d) $(TEST_UTIL_OBJ:.o=.d)
