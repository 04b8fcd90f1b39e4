#include <stddef.h>
#include <stdint.h>

/* libFuzzer's driver (compiler-rt, linked by -sanitize=fuzzer): runs the fuzzing loop with argc/argv as libFuzzer
   options and calls `callback` once per input. A program that has its own main calls this instead of providing
   LLVMFuzzerTestOneInput. */
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
