/*
 * platform.h - the only operating-system surface of the conformance runner.
 *
 * Everything docts needs from the host that is not ISO C lives behind these
 * functions: loading the implementation under test, running one case in an
 * isolated child process with a result channel, starting a helper process
 * (the mock server, or docts itself as a case's second process), temporary
 * directories, time and the terminal, and the few host facts a case needs
 * (the path separator, the null device, a directory the user cannot write,
 * a program for notify command lines).
 * platform_posix.c is the POSIX version, platform_win.c the Windows one
 * (docts.exe); nothing else in conformance/ includes a system header.
 */
#ifndef DOCTS_CONF_PLATFORM_H
#define DOCTS_CONF_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define CONF_PLAT_NORETURN __attribute__((noreturn))
#else
#define CONF_PLAT_NORETURN
#endif

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

/* Any function pointer (cast back to its real type by the caller). */
typedef void (*conf_plat_fn)(void);

/* --impl com:local: a DllGetClassObject-shaped function that asks the
 * system's COM runtime for a class object of a local (out-of-process)
 * server, after initialising COM for the calling process.  NULL, with the
 * reason in ERR, where the system has no COM runtime (POSIX). */
conf_plat_fn conf_plat_system_com(char *err, size_t errlen);

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

/* Starts a child process whose standard output and error go to OUTFILE
 * (created/truncated; NULL keeps the parent's) and that runs FN(ARG, chan).
 * Where the system can fork (POSIX) the child calls FN directly.  Where it
 * cannot (Windows) the runner's own executable is started again with ARGV
 * (NULL-terminated, without the program name): its main() must find the
 * same work from ARGV and run it with conf_plat_child_channel(); FN and ARG
 * are not used there.  The child runs in its own process group (a job
 * object on Windows), so killing it kills what it started.  Returns NULL
 * (errno / GetLastError set) when the process could not be created.  Free
 * with conf_plat_child_free. */
conf_child *conf_plat_child_start(conf_child_fn fn, void *arg,
                                  const char *const *argv, const char *outfile);

/* In a child started again from ARGV (Windows): its result channel; NULL
 * in any other process (always NULL on POSIX). */
conf_chan *conf_plat_child_channel(void);

/* In a child started again from ARGV: no error dialogs, and an exception
 * nobody handles ends the process with the exception's code at once.  A
 * no-op on POSIX (the forked child keeps the default signal actions). */
void conf_plat_child_prepare(void);

/* Registers FN to run when a call is refused by a COM proxy in this
 * process: a NULL [ref]/[out] pointer makes the proxy raise
 * RPC_X_NULL_REF_POINTER (0x6F4) in the caller instead of calling the
 * server.  FN gets the exception code and must end the process
 * (conf_plat_child_exit).  Windows only; a no-op on POSIX, which has no
 * proxies. */
void conf_plat_on_proxy_refusal(void (*fn)(unsigned code));

/* Ends a child at once with STATUS, without running exit handlers (the
 * implementation's threads may still run). */
CONF_PLAT_NORETURN void conf_plat_child_exit(int status);

/* Child side: appends LEN bytes to the result channel.  Short writes are
 * retried; a broken channel is ignored (the parent reports the child). */
void conf_plat_chan_write(conf_chan *chan, const void *buf, size_t len);

/* Waits up to TIMEOUT_MS for any of the N running children to send data or
 * end, drains their channels and reaps those that ended.  Returns the number
 * of children in KIDS that are no longer running. */
size_t conf_plat_child_wait(conf_child *const *kids, size_t n, int timeout_ms);

/* Current state; DETAIL receives the exit status or the signal number (on
 * Windows: the exception code of a process an exception ended, reported as
 * CONF_CHILD_SIGNALED). */
conf_child_status conf_plat_child_status(const conf_child *kid, int *detail);

/* Bytes the child wrote to its channel so far (not NUL-terminated). */
const char *conf_plat_child_data(const conf_child *kid, size_t *len);

/* Kills the child and its process group (it is reaped by the next wait). */
void conf_plat_child_kill(conf_child *kid);

/* Kills (if still running), reaps and frees KID.  NULL is ignored. */
void conf_plat_child_free(conf_child *kid);

/* Human-readable name of signal SIG, e.g. "SIGSEGV" (on Windows of the
 * exception code, e.g. "EXCEPTION_ACCESS_VIOLATION (0xC0000005)").  Static
 * storage. */
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

/* Starts the runner's own executable again (the module a case child runs
 * in) with ARGV (NULL-terminated, without the program name), owned by the
 * caller as conf_plat_proc_start_owned, so the helper loads the
 * implementation itself instead of inheriting a loaded copy; reads its
 * standard output until a line beginning with PREFIX and waits for it to
 * end, all within TIMEOUT_MS.  Returns 0, with the rest of that line in
 * LINE and the exit status in *STATUS, when it printed the line and
 * exited; -1 with the reason in LINE when it could not be started, did not
 * print the line, crashed or outlived TIMEOUT_MS (it is killed). */
int conf_plat_self_run(const char *const *argv, const char *prefix,
                       int timeout_ms, char *line, size_t linelen, int *status);

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

/* Renames FROM to TO, replacing TO when it exists (a report written to a
 * temporary name first).  Returns 0 or -1. */
int conf_plat_replace(const char *from, const char *to);

/* True when PATH exists. */
bool conf_plat_exists(const char *path);

/* True when PATH is a directory. */
bool conf_plat_is_dir(const char *path);

/* Absolute directory holding the running executable (malloc'd), or NULL. */
char *conf_plat_self_dir(void);

/* Absolute form of PATH (malloc'd); PATH itself when it cannot be resolved. */
char *conf_plat_abspath(const char *path);

/* Directory separator of the platform. */
#ifdef _WIN32
#define CONF_PLAT_SEP '\\'
#else
#define CONF_PLAT_SEP '/'
#endif

/* The null device ("/dev/null", "NUL"). */
const char *conf_plat_null_device(void);

/* A directory an ordinary user cannot write ("/proc/1"; the Windows system
 * directory), or NULL.  Callers prove it by trying (an administrator or
 * root may write anywhere). */
const char *conf_plat_unwritable_dir(void);

/* An absolute path of a program every such system has, for notify command
 * lines ("/usr/bin/true"; cmd.exe in the system directory). */
const char *conf_plat_notify_program(void);

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
