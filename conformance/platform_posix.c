/*
 * platform_posix.c - the POSIX implementation of platform.h.
 *
 * Owns dlopen, fork/pipe/poll/waitpid for the per-case children, the helper
 * process for the mock server, temporary directories and time.  Nothing
 * else in conformance/ includes a POSIX header, so a port to another
 * system rewrites this file only.  The runner's parent stays
 * single-threaded, which keeps fork() safe.
 */
#include "platform.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- shared objects ---------------------------------------------------- */

struct conf_lib {
    void *handle;
};

conf_lib *conf_plat_lib_open(const char *path, char *err, size_t errlen)
{
    /* dlopen searches the library path for names without a slash; a
     * vendor's "impl.so" in the current directory means ./impl.so. */
    char buf[PATH_MAX];
    const char *p = path;
    if (!strchr(path, '/')) {
        snprintf(buf, sizeof buf, "./%s", path);
        p = buf;
    }
    void *h = dlopen(p, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(err, errlen, "%s", e ? e : "dlopen failed");
        return NULL;
    }
    conf_lib *lib = malloc(sizeof *lib);
    if (!lib) {
        dlclose(h);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    lib->handle = h;
    return lib;
}

void *conf_plat_lib_sym(conf_lib *lib, const char *name)
{
    return lib ? dlsym(lib->handle, name) : NULL;
}

void conf_plat_lib_close(conf_lib *lib)
{
    if (!lib)
        return;
    dlclose(lib->handle);
    free(lib);
}

conf_plat_fn conf_plat_system_com(char *err, size_t errlen)
{
    snprintf(err, errlen,
             "this system has no COM runtime of its own: "
             "--impl com:local is for Windows");
    return NULL;
}

/* ---- interruption ------------------------------------------------------ */

/* Children run in process groups of their own, so a Ctrl-C on the terminal
 * reaches only docts; this handler then kills every live child group (and
 * the mock server) before docts itself dies of the signal. */
#define MAX_LIVE 1024
static volatile sig_atomic_t live_pids[MAX_LIVE];
static bool handlers_set;

static void on_signal(int sig)
{
    for (int i = 0; i < MAX_LIVE; i++) {
        pid_t p = (pid_t)live_pids[i];
        if (p > 0) {
            kill(-p, SIGKILL);
            kill(p, SIGKILL);
        }
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void live_add(pid_t pid)
{
    if (!handlers_set) {
        handlers_set = true;
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);
    }
    for (int i = 0; i < MAX_LIVE; i++)
        if (live_pids[i] == 0) {
            live_pids[i] = pid;
            return;
        }
}

static void live_remove(pid_t pid)
{
    for (int i = 0; i < MAX_LIVE; i++)
        if (live_pids[i] == pid)
            live_pids[i] = 0;
}

/* In a fresh child: default dispositions, no inherited child list. */
static void child_signals(void)
{
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    for (int i = 0; i < MAX_LIVE; i++)
        live_pids[i] = 0;
}

/* ---- isolated children ------------------------------------------------- */

struct conf_chan {
    int fd;
};

struct conf_child {
    pid_t pid;
    int fd; /* read end, -1 once EOF was seen */
    bool reaped;
    int wstatus;
    char *data;
    size_t len, cap;
};

conf_child *conf_plat_child_start(conf_child_fn fn, void *arg,
                                  const char *const *argv, const char *outfile)
{
    (void)argv; /* fork() runs FN itself */
    conf_child *kid = calloc(1, sizeof *kid);
    if (!kid)
        return NULL;
    int p[2];
    if (pipe(p) != 0) {
        free(kid);
        return NULL;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(p[0]);
        close(p[1]);
        free(kid);
        errno = e;
        return NULL;
    }
    if (pid == 0) {
        close(p[0]);
        setpgid(0, 0);
        child_signals();
        signal(SIGPIPE, SIG_IGN);
        int nul = open(conf_plat_null_device(), O_RDONLY);
        if (nul >= 0) {
            dup2(nul, 0);
            close(nul);
        }
        if (outfile) {
            int o = open(outfile, O_WRONLY | O_CREAT | O_TRUNC, 0600);
            if (o >= 0) {
                dup2(o, 1);
                dup2(o, 2);
                close(o);
            }
        }
        struct conf_chan chan = {.fd = p[1]};
        fn(arg, &chan);
        close(p[1]);
        fflush(stdout);
        fflush(stderr);
        _exit(0);
    }
    close(p[1]);
    setpgid(pid, pid); /* also done by the child; whichever runs first */
    live_add(pid);
    fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
    fcntl(p[0], F_SETFD, FD_CLOEXEC);
    kid->pid = pid;
    kid->fd = p[0];
    return kid;
}

conf_chan *conf_plat_child_channel(void)
{
    return NULL;
}

void conf_plat_child_prepare(void)
{
}

void conf_plat_on_proxy_refusal(void (*fn)(unsigned code))
{
    (void)fn;
}

void conf_plat_child_exit(int status)
{
    fflush(stdout);
    fflush(stderr);
    _exit(status);
}

void conf_plat_chan_write(conf_chan *chan, const void *buf, size_t len)
{
    const char *b = buf;
    while (len > 0) {
        ssize_t w = write(chan->fd, b, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        b += w;
        len -= (size_t)w;
    }
}

/* Reads what is available; closes the descriptor at EOF. */
static void drain(conf_child *kid)
{
    char buf[4096];
    while (kid->fd >= 0) {
        ssize_t r = read(kid->fd, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return; /* EAGAIN: nothing more now */
        if (r == 0) {
            close(kid->fd);
            kid->fd = -1;
            return;
        }
        if (kid->len + (size_t)r > kid->cap) {
            size_t ncap = kid->cap ? kid->cap * 2 : 8192;
            while (ncap < kid->len + (size_t)r)
                ncap *= 2;
            char *nd = realloc(kid->data, ncap);
            if (!nd)
                return;
            kid->data = nd;
            kid->cap = ncap;
        }
        memcpy(kid->data + kid->len, buf, (size_t)r);
        kid->len += (size_t)r;
    }
}

static void try_reap(conf_child *kid)
{
    if (kid->reaped)
        return;
    int st;
    pid_t r = waitpid(kid->pid, &st, WNOHANG);
    if (r == kid->pid) {
        kid->reaped = true;
        kid->wstatus = st;
        live_remove(kid->pid);
        drain(kid); /* anything left in the pipe */
        if (kid->fd >= 0) {
            /* a grandchild may hold the write end; stop listening */
            close(kid->fd);
            kid->fd = -1;
        }
    }
}

size_t conf_plat_child_wait(conf_child *const *kids, size_t n, int timeout_ms)
{
    struct pollfd pf[n ? n : 1];
    size_t np = 0;
    for (size_t i = 0; i < n; i++) {
        if (kids[i]->fd >= 0) {
            pf[np].fd = kids[i]->fd;
            pf[np].events = POLLIN;
            pf[np].revents = 0;
            np++;
        }
    }
    /* A child whose pipe is already closed is only waiting to be reaped;
     * poll with a short period so it is picked up promptly. */
    int t = timeout_ms;
    if (np < n && t > 20)
        t = 20;
    if (np > 0)
        (void)poll(pf, (nfds_t)np, t);
    else if (t > 0)
        conf_plat_sleep_ms((unsigned)t);
    size_t done = 0;
    for (size_t i = 0; i < n; i++) {
        conf_child *kid = kids[i];
        if (kid->fd >= 0)
            drain(kid);
        try_reap(kid);
        if (kid->reaped)
            done++;
    }
    return done;
}

conf_child_status conf_plat_child_status(const conf_child *kid, int *detail)
{
    if (!kid->reaped)
        return CONF_CHILD_RUNNING;
    if (WIFSIGNALED(kid->wstatus)) {
        *detail = WTERMSIG(kid->wstatus);
        return CONF_CHILD_SIGNALED;
    }
    *detail = WIFEXITED(kid->wstatus) ? WEXITSTATUS(kid->wstatus) : -1;
    return CONF_CHILD_EXITED;
}

const char *conf_plat_child_data(const conf_child *kid, size_t *len)
{
    *len = kid->len;
    return kid->data ? kid->data : "";
}

void conf_plat_child_kill(conf_child *kid)
{
    if (kid->reaped)
        return;
    kill(-kid->pid, SIGKILL);
    kill(kid->pid, SIGKILL);
}

void conf_plat_child_free(conf_child *kid)
{
    if (!kid)
        return;
    if (!kid->reaped) {
        conf_plat_child_kill(kid);
        int st;
        while (waitpid(kid->pid, &st, 0) < 0 && errno == EINTR)
            ;
        kid->reaped = true;
        kid->wstatus = st;
        live_remove(kid->pid);
    }
    if (kid->fd >= 0)
        close(kid->fd);
    free(kid->data);
    free(kid);
}

const char *conf_plat_signal_name(int sig)
{
    switch (sig) {
    case SIGSEGV:
        return "SIGSEGV";
    case SIGABRT:
        return "SIGABRT";
    case SIGBUS:
        return "SIGBUS";
    case SIGFPE:
        return "SIGFPE";
    case SIGILL:
        return "SIGILL";
    case SIGKILL:
        return "SIGKILL";
    case SIGTERM:
        return "SIGTERM";
    case SIGPIPE:
        return "SIGPIPE";
    case SIGTRAP:
        return "SIGTRAP";
    case SIGSYS:
        return "SIGSYS";
    default: {
        static char buf[32];
        snprintf(buf, sizeof buf, "signal %d", sig);
        return buf;
    }
    }
}

/* ---- helper processes -------------------------------------------------- */

struct conf_proc {
    pid_t pid;
    int fd; /* its standard output, kept open so late writes cannot
               raise SIGPIPE in it; closed at stop */
};

static conf_proc *proc_start(const char *const argv[], const char *prefix,
                             int timeout_ms, char *line, size_t linelen,
                             bool owned)
{
    int p[2];
    if (pipe(p) != 0) {
        snprintf(line, linelen, "pipe: %s", strerror(errno));
        return NULL;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(line, linelen, "fork: %s", strerror(errno));
        close(p[0]);
        close(p[1]);
        return NULL;
    }
    if (pid == 0) {
        if (owned) {
            /* dies with the process that started it */
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() == 1)
                _exit(127);
        } else {
            setpgid(0, 0);
        }
        child_signals();
        dup2(p[1], 1);
        close(p[0]);
        close(p[1]);
        int nul = open(conf_plat_null_device(), O_RDONLY);
        if (nul >= 0) {
            dup2(nul, 0);
            close(nul);
        }
        execv(argv[0], (char *const *)argv);
        fprintf(stderr, "docts: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(p[1]);
    if (!owned) {
        setpgid(pid, pid);
        live_add(pid);
    }
    conf_proc *proc = malloc(sizeof *proc);
    if (!proc) {
        close(p[0]);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        snprintf(line, linelen, "out of memory");
        return NULL;
    }
    proc->pid = pid;
    char buf[1024];
    size_t have = 0;
    uint64_t deadline = conf_plat_now_ms() + (uint64_t)timeout_ms;
    size_t plen = strlen(prefix);
    for (;;) {
        /* complete lines in the buffer? */
        char *nl;
        while ((nl = memchr(buf, '\n', have)) != NULL) {
            *nl = '\0';
            if (strncmp(buf, prefix, plen) == 0) {
                snprintf(line, linelen, "%s", buf + plen);
                proc->fd = p[0];
                return proc;
            }
            size_t used = (size_t)(nl - buf) + 1;
            memmove(buf, nl + 1, have - used);
            have -= used;
        }
        if (have == sizeof buf - 1)
            have = 0; /* overlong line: drop it */
        uint64_t now = conf_plat_now_ms();
        if (now >= deadline) {
            snprintf(line, linelen, "%s did not print \"%s\" within %d ms",
                     argv[0], prefix, timeout_ms);
            break;
        }
        struct pollfd pf = {.fd = p[0], .events = POLLIN};
        int pr = poll(&pf, 1, (int)(deadline - now));
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr <= 0)
            continue;
        ssize_t r = read(p[0], buf + have, sizeof buf - 1 - have);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            int st = 0;
            waitpid(pid, &st, 0);
            snprintf(line, linelen, "%s ended before it was ready (%s %d)",
                     argv[0], WIFSIGNALED(st) ? "signal" : "status",
                     WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
            close(p[0]);
            live_remove(pid);
            free(proc);
            return NULL;
        }
        have += (size_t)r;
    }
    close(p[0]);
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    live_remove(pid);
    free(proc);
    return NULL;
}

conf_proc *conf_plat_proc_start(const char *const argv[], const char *prefix,
                                int timeout_ms, char *line, size_t linelen)
{
    return proc_start(argv, prefix, timeout_ms, line, linelen, false);
}

conf_proc *conf_plat_proc_start_owned(const char *const argv[],
                                      const char *prefix, int timeout_ms,
                                      char *line, size_t linelen)
{
    return proc_start(argv, prefix, timeout_ms, line, linelen, true);
}

/* The runner's own executable is read from /proc/self/exe, which still
 * names it in a forked case child. */
int conf_plat_self_run(const char *const *argv, const char *prefix,
                       int timeout_ms, char *line, size_t linelen, int *status)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    const char *full[32];
    size_t k = 0;
    if (n <= 0) {
        snprintf(line, linelen, "/proc/self/exe: %s", strerror(errno));
        return -1;
    }
    exe[n] = '\0';
    full[k++] = exe;
    for (size_t i = 0; argv[i] && k < sizeof full / sizeof full[0] - 1; i++)
        full[k++] = argv[i];
    full[k] = NULL;
    uint64_t deadline = conf_plat_now_ms() + (uint64_t)timeout_ms;
    conf_proc *proc = proc_start(full, prefix, timeout_ms, line, linelen, true);
    if (!proc)
        return -1;
    for (;;) {
        int st = 0;
        pid_t r = waitpid(proc->pid, &st, WNOHANG);
        if (r == proc->pid) {
            close(proc->fd);
            free(proc);
            if (WIFSIGNALED(st)) {
                snprintf(line, linelen, "the helper ended on %s",
                         conf_plat_signal_name(WTERMSIG(st)));
                return -1;
            }
            *status = WEXITSTATUS(st);
            return 0;
        }
        if ((r < 0 && errno != EINTR) || conf_plat_now_ms() >= deadline) {
            snprintf(line, linelen, "the helper did not end within %d ms",
                     timeout_ms);
            kill(-proc->pid, SIGKILL);
            conf_plat_proc_stop(proc);
            return -1;
        }
        conf_plat_sleep_ms(10);
    }
}

struct conf_thread {
    pthread_t tid;
    void (*fn)(void *);
    void *arg;
};

static void *thread_main(void *arg)
{
    conf_thread *t = arg;
    t->fn(t->arg);
    return NULL;
}

conf_thread *conf_plat_thread_start(void (*fn)(void *arg), void *arg)
{
    conf_thread *t = malloc(sizeof *t);
    if (!t)
        return NULL;
    t->fn = fn;
    t->arg = arg;
    if (pthread_create(&t->tid, NULL, thread_main, t) != 0) {
        free(t);
        return NULL;
    }
    return t;
}

void conf_plat_thread_join(conf_thread *t)
{
    if (!t)
        return;
    pthread_join(t->tid, NULL);
    free(t);
}

void conf_plat_proc_stop(conf_proc *proc)
{
    if (!proc)
        return;
    kill(proc->pid, SIGTERM);
    close(proc->fd);
    uint64_t deadline = conf_plat_now_ms() + 2000;
    for (;;) {
        int st;
        pid_t r = waitpid(proc->pid, &st, WNOHANG);
        if (r == proc->pid || (r < 0 && errno != EINTR))
            break;
        if (conf_plat_now_ms() >= deadline) {
            kill(-proc->pid, SIGKILL);
            kill(proc->pid, SIGKILL);
            waitpid(proc->pid, &st, 0);
            break;
        }
        conf_plat_sleep_ms(10);
    }
    live_remove(proc->pid);
    free(proc);
}

/* ---- files ------------------------------------------------------------- */

char *conf_plat_mkdtemp(const char *prefix)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    size_t n = strlen(base) + strlen(prefix) + 16;
    char *path = malloc(n);
    if (!path)
        return NULL;
    snprintf(path, n, "%s/%sXXXXXX", base, prefix);
    if (!mkdtemp(path)) {
        free(path);
        return NULL;
    }
    return path;
}

int conf_plat_rmtree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    /* make sure we may enter and delete (a case may chmod its dirs) */
    chmod(path, 0700);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        size_t n = strlen(path) + strlen(e->d_name) + 2;
        char *sub = malloc(n);
        if (!sub) {
            rc = -1;
            break;
        }
        snprintf(sub, n, "%s/%s", path, e->d_name);
        if (conf_plat_rmtree(sub) != 0)
            rc = -1;
        free(sub);
    }
    closedir(d);
    if (rmdir(path) != 0)
        rc = -1;
    return rc;
}

int conf_plat_mkdirs(const char *path)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return -1;
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

int conf_plat_replace(const char *from, const char *to)
{
    return rename(from, to) == 0 ? 0 : -1;
}

bool conf_plat_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

bool conf_plat_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *conf_plat_self_dir(void)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return NULL;
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    return strdup(buf[0] ? buf : "/");
}

char *conf_plat_abspath(const char *path)
{
    char buf[PATH_MAX];
    if (realpath(path, buf))
        return strdup(buf);
    return strdup(path);
}

const char *conf_plat_null_device(void)
{
    return "/dev/null";
}

/* init's process directory: no one but root may create files there */
const char *conf_plat_unwritable_dir(void)
{
    return "/proc/1";
}

const char *conf_plat_notify_program(void)
{
    return "/usr/bin/true";
}

/* ---- environment, time, terminal --------------------------------------- */

int conf_plat_setenv(const char *name, const char *value)
{
    return setenv(name, value, 1);
}

uint64_t conf_plat_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void conf_plat_sleep_ms(unsigned ms)
{
    struct timespec ts = {.tv_sec = ms / 1000,
                          .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

void conf_plat_utc_now(char *buf, size_t len)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

bool conf_plat_stdout_is_tty(void)
{
    return isatty(1) == 1;
}

unsigned conf_plat_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1u;
}
