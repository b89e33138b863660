# apigw-console — see README.md. `make run` and `make test` install missing
# system packages first (tools/deps.sh).
CC      ?= cc
BUILD   ?= build
PKGS    := ncursesw libcurl libcrypto libcjson libmicrohttpd libzip
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
           -Iinclude $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -MMD -MP
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
TESTLIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

ifeq ($(SAN),1)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
endif

LIB_SRC := $(sort $(wildcard src/core/*.c src/aws/*.c src/transport/*.c src/emulator/*.c \
             src/client/*.c src/server/*.c src/lab/*.c src/cli/*.c ui/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
MAIN_OBJ := $(BUILD)/obj/src/main.o
BIN     := $(BUILD)/apigw-console
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_SRC := $(sort $(wildcard bench/*.c))
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
TEST_SUPPORT := $(wildcard tests/unit/support/*.c)
TEST_SUPPORT_OBJ := $(TEST_SUPPORT:%.c=$(BUILD)/obj/%.o)

.PHONY: all deps test-deps run test unit unit-san e2e conformance check valgrind bench fuzz clean format

all: $(BIN)

deps:
	@tools/deps.sh build
test-deps:
	@tools/deps.sh test

$(BUILD)/obj/tests/%.o: CFLAGS += -Itests/unit/support $(shell pkg-config --cflags cmocka 2>/dev/null)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libapigw.a: $(LIB_OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(BIN): $(MAIN_OBJ) $(BUILD)/libapigw.a
	@echo "  LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(TEST_SUPPORT_OBJ) $(BUILD)/libapigw.a
	@mkdir -p $(dir $@)
	@echo "  LD $@"
	@$(CC) $(CFLAGS) -Itests/unit/support $(LDFLAGS) -o $@ $< $(TEST_SUPPORT_OBJ) $(BUILD)/libapigw.a $(LDLIBS) $(TESTLIBS)

$(BUILD)/bench/%: bench/%.c $(BUILD)/libapigw.a
	@mkdir -p $(dir $@)
	@echo "  LD $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libapigw.a $(LDLIBS)

# The Lambda bootstraps are embedded in the program.
src/emulator/runtime_assets.c: assets/runtime/bootstrap.py assets/runtime/bootstrap.js tools/embed.sh
	tools/embed.sh $@ assets/runtime/bootstrap.py assets/runtime/bootstrap.js

# So is the lab's Lambda function, as text.
LAB_EVENTS := assets/lab/events/get-items.json assets/lab/events/get-item.json \
              assets/lab/events/get-item-not-found.json
src/lab/lab_assets.c: assets/lab/lambda_function.py assets/lab/items-list.vtl assets/lab/item.vtl \
                      $(LAB_EVENTS) tools/embed.sh
	tools/embed.sh -t $@ assets/lab/lambda_function.py=lab_function_py \
	    assets/lab/items-list.vtl=lab_items_template assets/lab/item.vtl=lab_item_template \
	    assets/lab/events/get-items.json=lab_event_get_items \
	    assets/lab/events/get-item.json=lab_event_get_item \
	    assets/lab/events/get-item-not-found.json=lab_event_get_item_not_found

# Start the console on the offline emulator (state under ~/.local/state).
# The console on the emulator with the lab done through step 10 (kept in
# $(BUILD)/lab-state.json; `build/apigw-console` alone starts a new account).
RUN_STATE ?= $(BUILD)/lab-state.json
run: deps
	@$(MAKE) --no-print-directory all
	@[ -f $(RUN_STATE) ] || { echo "Setting up the lab (steps 1 to 10) in $(RUN_STATE)"; \
	    ./$(BIN) --state $(RUN_STATE) lab setup --through 10 --yes >$(RUN_STATE).log 2>&1 || \
	    { cat $(RUN_STATE).log; exit 1; }; }
	./$(BIN) --state $(RUN_STATE) $(ARGS)

unit: $(UNIT_BIN) $(BIN) $(BENCH_BIN)
	@tests/run-unit.sh $(UNIT_BIN)

# The unit tests again under AddressSanitizer and UndefinedBehaviorSanitizer.
unit-san:
	@$(MAKE) --no-print-directory BUILD=build-san SAN=1 unit

e2e: $(BIN)
	@tests/e2e/run.sh $(BIN)

conformance: $(BIN)
	@tests/conformance/run.sh $(BIN)

# Everything a change must pass; .ci/run calls this.
test: test-deps
	@$(MAKE) --no-print-directory all
	@tests/run-all.sh

check: test
	@$(MAKE) --no-print-directory valgrind

valgrind: $(UNIT_BIN)
	@tests/run-valgrind.sh $(UNIT_BIN)

bench: deps
	@$(MAKE) --no-print-directory all $(BENCH_BIN)
	@bench/run.sh $(BUILD)

# libFuzzer targets (template parser and renderer), a minute each.
fuzz:
	@tests/fuzz/run.sh $(FUZZ_SECONDS)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build build-san

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(UNIT_BIN:%=%.d) $(BENCH_BIN:%=%.d)
.SECONDARY:
