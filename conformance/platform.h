/*
 * platform.h - the only operating-system surface of the conformance runner.
 *
 * Everything docts needs from the host that is not ISO C lives behind these
 * functions: loading the implementation under test, running one case in an
 * isolated child process with a result channel, starting a helper process
 * (the mock server), temporary directories, time and the terminal.  The
 * POSIX version is platform_posix.c; a Windows port replaces that one file
 * (LoadLibrary, CreateProcess with a pipe, GetTempPath ...) and nothing else.
 * The suites never call these directly except through conf.h helpers.
 */
#ifndef DOCTS_CONF_PLATFORM_H
#define DOCTS_CONF_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- shared objects ---------------------------------------------------- */

typedef struct conf_lib conf_lib;

/* Loads the shared object at PATH.  Returns NULL on failure and writes the
 * loader's reason into ERR (always NUL-terminated).  Close with
 * conf_plat_lib_close. */
conf_lib *conf_plat_lib_open(const char *path, char *err, size_t errlen);

/* Address of the exported symbol NAME, or NULL when it is not exported. */
void *conf_plat_lib_sym(conf_lib *lib, const char *name);

/* Unloads LIB (NULL is ignored). */
void conf_plat_lib_close(conf_lib *lib);

/* ---- isolated children ------------------------------------------------- */

typedef struct conf_child conf_child;
typedef struct conf_chan conf_chan;

/* Body of a child: writes its result through CHAN and returns; the child
 * then ends without running exit handlers. */
typedef void (*conf_child_fn)(void *arg, conf_chan *chan);

typedef enum {
    CONF_CHILD_RUNNING,
    CONF_CHILD_EXITED,   /* *detail = exit status */
    CONF_CHILD_SIGNALED, /* *detail = signal number */
} conf_child_status;

/* Starts FN(ARG, chan) in a new child process whose standard output and
 * error go to OUTFILE (created/truncated; NULL keeps the parent's).  The
 * child runs in its own process group.  Returns NULL (errno set) when the
 * process could not be created.  Free with conf_plat_child_free. */
conf_child *conf_plat_child_start(conf_child_fn fn, void *arg,
                                  const char *outfile);

/* Child side: appends LEN bytes to the result channel.  Short writes are
 * retried; a broken channel is ignored (the parent reports the child). */
void conf_plat_chan_write(conf_chan *chan, const void *buf, size_t len);

/* Waits up to TIMEOUT_MS for any of the N running children to send data or
 * end, drains their channels and reaps those that ended.  Returns the number
 * of children in KIDS that are no longer running. */
size_t conf_plat_child_wait(conf_child *const *kids, size_t n, int timeout_ms);

/* Current state; DETAIL receives the exit status or the signal number. */
conf_child_status conf_plat_child_status(const conf_child *kid, int *detail);

/* Bytes the child wrote to its channel so far (not NUL-terminated). */
const char *conf_plat_child_data(const conf_child *kid, size_t *len);

/* Kills the child and its process group (it is reaped by the next wait). */
void conf_plat_child_kill(conf_child *kid);

/* Kills (if still running), reaps and frees KID.  NULL is ignored. */
void conf_plat_child_free(conf_child *kid);

/* Human-readable name of signal SIG, e.g. "SIGSEGV". Static storage. */
const char *conf_plat_signal_name(int sig);

/* ---- helper processes -------------------------------------------------- */

typedef struct conf_proc conf_proc;

/* Starts ARGV[0] with ARGV (NULL-terminated) and reads its standard output
 * until a line beginning with PREFIX arrives or TIMEOUT_MS passes.  On
 * success returns the process and copies the rest of that line (after
 * PREFIX, without the newline) into LINE.  Later output is discarded.  On
 * failure returns NULL, kills the process and writes the reason into LINE. */
conf_proc *conf_plat_proc_start(const char *const argv[], const char *prefix,
                                int timeout_ms, char *line, size_t linelen);

/* Asks the process to stop (SIGTERM), kills it after 2 s, reaps and frees.
 * NULL is ignored. */
void conf_plat_proc_stop(conf_proc *proc);

/* As conf_plat_proc_start, but the helper belongs to the calling process:
 * it stays in the caller's process group and is killed when the caller
 * ends, however it ends (a case's private mock server dies with its case
 * even when the runner kills the case).  Stop it with conf_plat_proc_stop. */
conf_proc *conf_plat_proc_start_owned(const char *const argv[],
                                      const char *prefix, int timeout_ms,
                                      char *line, size_t linelen);

/* ---- threads (cases that call an implementation from many threads) ---- */

typedef struct conf_thread conf_thread;

/* Starts FN(ARG) on a new thread.  Returns NULL when it could not be
 * created.  Every started thread must be joined with conf_plat_thread_join
 * (which frees it). */
conf_thread *conf_plat_thread_start(void (*fn)(void *arg), void *arg);

/* Waits for the thread to return and frees T.  NULL is ignored. */
void conf_plat_thread_join(conf_thread *t);

/* ---- files ------------------------------------------------------------- */

/* Creates a fresh private directory under the system temp directory whose
 * name starts with PREFIX.  Returns the malloc'd absolute path or NULL. */
char *conf_plat_mkdtemp(const char *prefix);

/* Removes PATH and everything under it.  Returns 0 or -1. */
int conf_plat_rmtree(const char *path);

/* Creates PATH and its missing parents.  Returns 0 or -1. */
int conf_plat_mkdirs(const char *path);

/* True when PATH exists. */
bool conf_plat_exists(const char *path);

/* True when PATH is a directory. */
bool conf_plat_is_dir(const char *path);

/* Absolute directory holding the running executable (malloc'd), or NULL. */
char *conf_plat_self_dir(void);

/* Absolute form of PATH (malloc'd); PATH itself when it cannot be resolved. */
char *conf_plat_abspath(const char *path);

/* Directory separator of the platform. */
#define CONF_PLAT_SEP '/'

/* ---- environment, time, terminal --------------------------------------- */

/* Sets an environment variable of this process. Returns 0 or -1. */
int conf_plat_setenv(const char *name, const char *value);

/* Monotonic milliseconds. */
uint64_t conf_plat_now_ms(void);

/* Sleeps MS milliseconds. */
void conf_plat_sleep_ms(unsigned ms);

/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ" into BUF (>= 21 bytes). */
void conf_plat_utc_now(char *buf, size_t len);

/* True when standard output is a terminal. */
bool conf_plat_stdout_is_tty(void);

/* Number of online processors (>= 1). */
unsigned conf_plat_cpu_count(void);

#endif
