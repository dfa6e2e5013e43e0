/*
 * cov_exit.c - an LD_PRELOAD shim used only by `make coverage`
 * (conformance/module.mk, coverage-report): docts ends every case's child
 * process with _exit(), which skips the exit-time handlers where gcov
 * writes its counters, so a --coverage libdoref.so loaded in the child
 * would record nothing of what the suites executed.  With this shim
 * preloaded, _exit() becomes exit(): the handlers and the library's
 * destructors run and the counters reach the .gcda files.  Never linked
 * into anything; never used outside coverage runs.
 */
#include <stdlib.h>

/* Replaces libc's _exit for the preloading process: ends it through
 * exit(STATUS) (which never returns). */
void _exit(int status) __attribute__((noreturn));
void _exit(int status)
{
    exit(status);
}
