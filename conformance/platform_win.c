/*
 * platform_win.c - the Windows implementation of platform.h (docts.exe,
 * built with MinGW-w64).
 *
 * Owns LoadLibrary for in-process servers, the system's COM class objects
 * for --impl com:local, the per-case children, the helper processes (the
 * mock servers), temporary directories and time.  Windows cannot fork: a
 * child is the runner's own executable started again with the arguments
 * that name its one piece of work (conf_plat_child_start's ARGV); its
 * result channel is an inherited pipe whose handle value travels in the
 * DOCTS_CHILD_CHANNEL environment variable.  Every child runs in a job
 * object of its own, so killing a case kills what it started too.
 * Nothing here depends on a particular Windows (or on Wine).
 */
#include "platform.h"

#include <windows.h>

#include <errno.h>
#include <io.h>
#include <objbase.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- UTF-8 <-> UTF-16 -------------------------------------------------- */

static wchar_t *wide(const char *s)
{
    int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
    if (n <= 0)
        return NULL;
    wchar_t *w = malloc((size_t)n * sizeof *w);
    if (w)
        MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n);
    return w;
}

static char *narrow(const wchar_t *w)
{
    int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
    if (n <= 0)
        return NULL;
    char *s = malloc((size_t)n);
    if (s)
        WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL);
    return s;
}

static void win_error(char *buf, size_t len, const char *what, DWORD code)
{
    char msg[256] = "";
    FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                   NULL, code, 0, msg, sizeof msg, NULL);
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r' ||
                     msg[n - 1] == ' ' || msg[n - 1] == '.'))
        msg[--n] = '\0';
    snprintf(buf, len, "%s: error %lu%s%s", what, (unsigned long)code,
             n ? ", " : "", msg);
}

/* ---- shared objects ---------------------------------------------------- */

struct conf_lib {
    HMODULE handle;
};

conf_lib *conf_plat_lib_open(const char *path, char *err, size_t errlen)
{
    wchar_t *w = wide(path);
    if (!w) {
        snprintf(err, errlen, "bad path");
        return NULL;
    }
    /* a relative name means the file, not a search of the DLL path */
    wchar_t full[MAX_PATH * 4];
    DWORD n =
        GetFullPathNameW(w, (DWORD)(sizeof full / sizeof full[0]), full, NULL);
    HMODULE h =
        LoadLibraryExW(n ? full : w, NULL, LOAD_WITH_ALTERED_SEARCH_PATH);
    free(w);
    if (!h) {
        win_error(err, errlen, "LoadLibrary", GetLastError());
        return NULL;
    }
    conf_lib *lib = malloc(sizeof *lib);
    if (!lib) {
        FreeLibrary(h);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    lib->handle = h;
    return lib;
}

void *conf_plat_lib_sym(conf_lib *lib, const char *name)
{
    if (!lib)
        return NULL;
    FARPROC p = GetProcAddress(lib->handle, name);
    void *out;
    memcpy(&out, &p, sizeof out);
    return out;
}

void conf_plat_lib_close(conf_lib *lib)
{
    if (!lib)
        return;
    FreeLibrary(lib->handle);
    free(lib);
}

/* ---- the system's COM server ------------------------------------------- */

/* DllGetClassObject's shape, answered by the COM runtime for the class
 * registered on the system (the BITS service is a local server). */
static HRESULT WINAPI system_get_class_object(REFCLSID clsid, REFIID iid,
                                              void **out)
{
    return CoGetClassObject(clsid, CLSCTX_LOCAL_SERVER, NULL, iid, out);
}

conf_plat_fn conf_plat_system_com(char *err, size_t errlen)
{
    /* the callbacks the service makes arrive on RPC threads: no message
     * loop is needed in the multithreaded apartment */
    HRESULT hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (FAILED(hr)) {
        snprintf(err, errlen, "CoInitializeEx failed: 0x%08lX",
                 (unsigned long)hr);
        return NULL;
    }
    conf_plat_fn fn;
    HRESULT(WINAPI * gco)(REFCLSID, REFIID, void **) = system_get_class_object;
    memcpy(&fn, &gco, sizeof fn);
    return fn;
}

/* ---- isolated children ------------------------------------------------- */

struct conf_chan {
    HANDLE h;
};

struct conf_child {
    HANDLE process, job, pipe; /* pipe: read end, NULL once EOF was seen */
    bool reaped;
    DWORD code;
    char *data;
    size_t len, cap;
};

/* Appends ARG to CMD quoted by the rules CommandLineToArgvW undoes. */
static void quote_arg(wchar_t *cmd, size_t cap, size_t *o, const wchar_t *arg)
{
#define PUT(ch)                                                                \
    do {                                                                       \
        if (*o + 1 < cap)                                                      \
            cmd[(*o)++] = (ch);                                                \
    } while (0)
    if (*o > 0)
        PUT(L' ');
    PUT(L'"');
    for (const wchar_t *p = arg; *p; p++) {
        size_t bs = 0;
        while (*p == L'\\') {
            bs++;
            p++;
        }
        if (!*p) {
            for (size_t k = 0; k < bs * 2; k++)
                PUT(L'\\');
            break;
        }
        if (*p == L'"') {
            for (size_t k = 0; k < bs * 2 + 1; k++)
                PUT(L'\\');
        } else {
            for (size_t k = 0; k < bs; k++)
                PUT(L'\\');
        }
        PUT(*p);
    }
    PUT(L'"');
    cmd[*o] = 0;
#undef PUT
}

/* Command line of ARGV (UTF-8, NULL-terminated) after PREFIX (a command
 * line already, or NULL).  malloc'd. */
static wchar_t *command_line(const wchar_t *prefix, const char *const *argv)
{
    size_t cap = (prefix ? wcslen(prefix) : 0) + 16;
    for (size_t i = 0; argv[i]; i++)
        cap += strlen(argv[i]) * 2 + 4;
    wchar_t *cmd = malloc(cap * sizeof *cmd);
    if (!cmd)
        return NULL;
    size_t o = 0;
    cmd[0] = 0;
    if (prefix) {
        wcscpy(cmd, prefix);
        o = wcslen(prefix);
    }
    for (size_t i = 0; argv[i]; i++) {
        wchar_t *w = wide(argv[i]);
        if (!w) {
            free(cmd);
            return NULL;
        }
        quote_arg(cmd, cap, &o, w);
        free(w);
    }
    return cmd;
}

static wchar_t *self_exe(void)
{
    wchar_t buf[MAX_PATH * 4];
    DWORD cap = (DWORD)(sizeof buf / sizeof buf[0]);
    DWORD n = GetModuleFileNameW(NULL, buf, cap);
    if (n == 0 || n >= cap)
        return NULL;
    return _wcsdup(buf);
}

/* Handle for writing OUTFILE (inheritable), or the NUL device. */
static HANDLE open_output(const char *outfile)
{
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    wchar_t *w = wide(outfile ? outfile : "NUL");
    if (!w)
        return INVALID_HANDLE_VALUE;
    HANDLE h = CreateFileW(
        w, FILE_APPEND_DATA | SYNCHRONIZE,
        FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, &sa,
        outfile ? CREATE_ALWAYS : OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    free(w);
    return h;
}

static HANDLE open_null_input(void)
{
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    return CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE,
                       &sa, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
}

/* A job object that kills its processes when its last handle closes. */
static HANDLE kill_on_close_job(void)
{
    HANDLE job = CreateJobObjectW(NULL, NULL);
    if (!job)
        return NULL;
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION li;
    memset(&li, 0, sizeof li);
    li.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    SetInformationJobObject(job, JobObjectExtendedLimitInformation, &li,
                            sizeof li);
    return job;
}

/* Starts the process of command line CMD (program EXE, or NULL to take it
 * from CMD) with standard input NUL and output OUT, inside JOB (when not
 * NULL).  Returns false (error in *ERR) when it could not be started;
 * *PROCESS may be NULL even on success: a program that is not a Windows
 * executable can be started without a handle to it. */
static bool spawn(const wchar_t *exe, wchar_t *cmd, HANDLE out, HANDLE job,
                  HANDLE *process, DWORD *err)
{
    HANDLE in = open_null_input();
    STARTUPINFOW si;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = in;
    si.hStdOutput = out;
    si.hStdError = out;
    PROCESS_INFORMATION pi;
    memset(&pi, 0, sizeof pi);
    BOOL ok = CreateProcessW(exe, cmd, NULL, NULL, TRUE,
                             CREATE_SUSPENDED | CREATE_NO_WINDOW, NULL, NULL,
                             &si, &pi);
    *err = ok ? 0 : GetLastError();
    if (in != INVALID_HANDLE_VALUE)
        CloseHandle(in);
    if (!ok)
        return false;
    if (job && pi.hProcess)
        AssignProcessToJobObject(job, pi.hProcess);
    if (pi.hThread) {
        ResumeThread(pi.hThread);
        CloseHandle(pi.hThread);
    }
    *process = pi.hProcess;
    return true;
}

/* Child creation is serialised: the channel's write end must be
 * inheritable only while the one CreateProcess that needs it runs. */
static conf_child *child_start_once(const char *const *argv,
                                    const char *outfile);

/* A start that fails for a passing reason (the system is short of
 * something for a moment) is tried twice more. */
conf_child *conf_plat_child_start(conf_child_fn fn, void *arg,
                                  const char *const *argv, const char *outfile)
{
    (void)fn;
    (void)arg;
    conf_child *kid = NULL;
    for (int attempt = 0; attempt < 3 && !kid; attempt++) {
        if (attempt)
            Sleep(200);
        kid = child_start_once(argv, outfile);
    }
    if (!kid)
        errno = EAGAIN;
    return kid;
}

static conf_child *child_start_once(const char *const *argv,
                                    const char *outfile)
{
    conf_child *kid = calloc(1, sizeof *kid);
    if (!kid)
        return NULL;
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    HANDLE rd = NULL, wr = NULL;
    if (!CreatePipe(&rd, &wr, &sa, 0)) {
        free(kid);
        return NULL;
    }
    SetHandleInformation(rd, HANDLE_FLAG_INHERIT, 0);
    char chan[32];
    snprintf(chan, sizeof chan, "%llu", (unsigned long long)(uintptr_t)wr);
    SetEnvironmentVariableA("DOCTS_CHILD_CHANNEL", chan);
    wchar_t *exe = self_exe();
    wchar_t *cmd = NULL;
    if (exe) {
        const char *const none[] = {NULL};
        wchar_t *tail = command_line(NULL, argv ? argv : none);
        if (tail) {
            size_t n = wcslen(exe) + wcslen(tail) + 8;
            cmd = malloc(n * sizeof *cmd);
            if (cmd) {
                size_t o = 0;
                cmd[0] = 0;
                quote_arg(cmd, n, &o, exe);
                if (*tail) {
                    wcscat(cmd, L" ");
                    wcscat(cmd, tail);
                }
            }
            free(tail);
        }
    }
    HANDLE out = open_output(outfile);
    kid->job = kill_on_close_job();
    DWORD err = ERROR_OUTOFMEMORY;
    if (exe && cmd && out != INVALID_HANDLE_VALUE &&
        spawn(exe, cmd, out, kid->job, &kid->process, &err) && !kid->process)
        err = ERROR_INVALID_HANDLE; /* a child we cannot wait for */
    SetEnvironmentVariableA("DOCTS_CHILD_CHANNEL", NULL);
    free(exe);
    free(cmd);
    if (out != INVALID_HANDLE_VALUE)
        CloseHandle(out);
    CloseHandle(wr);
    if (!kid->process) {
        CloseHandle(rd);
        if (kid->job)
            CloseHandle(kid->job);
        free(kid);
        SetLastError(err);
        return NULL;
    }
    kid->pipe = rd;
    return kid;
}

conf_chan *conf_plat_child_channel(void)
{
    static struct conf_chan chan;
    char buf[32];
    DWORD n = GetEnvironmentVariableA("DOCTS_CHILD_CHANNEL", buf, sizeof buf);
    if (n == 0 || n >= sizeof buf)
        return NULL;
    SetEnvironmentVariableA("DOCTS_CHILD_CHANNEL", NULL);
    chan.h = (HANDLE)(uintptr_t)strtoull(buf, NULL, 10);
    return &chan;
}

static void (*proxy_refusal)(unsigned code);

/* First chance, before any frame's handler: the refusal is seen even where
 * walking the stack to a handler fails (observed under Wine 8). */
static LONG WINAPI refused_call(EXCEPTION_POINTERS *ep)
{
    if (ep->ExceptionRecord->ExceptionCode == RPC_X_NULL_REF_POINTER &&
        proxy_refusal)
        proxy_refusal((unsigned)ep->ExceptionRecord->ExceptionCode);
    return EXCEPTION_CONTINUE_SEARCH;
}

void conf_plat_on_proxy_refusal(void (*fn)(unsigned code))
{
    proxy_refusal = fn;
    if (fn)
        AddVectoredExceptionHandler(1, refused_call);
}

/* An exception nobody handles ends the child at once with its code, which
 * the runner reports as CRASH (no debugger, no error dialog). */
static LONG WINAPI die_with_exception(EXCEPTION_POINTERS *ep)
{
    fflush(stdout);
    fflush(stderr);
    TerminateProcess(GetCurrentProcess(),
                     (UINT)ep->ExceptionRecord->ExceptionCode);
    return EXCEPTION_EXECUTE_HANDLER;
}

void conf_plat_child_prepare(void)
{
    SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX |
                 SEM_NOOPENFILEERRORBOX);
    SetUnhandledExceptionFilter(die_with_exception);
}

void conf_plat_child_exit(int status)
{
    fflush(stdout);
    fflush(stderr);
    /* no DLL detach of the implementation's threads: as _exit() */
    TerminateProcess(GetCurrentProcess(), (UINT)status);
    ExitProcess((UINT)status);
}

void conf_plat_chan_write(conf_chan *chan, const void *buf, size_t len)
{
    const char *b = buf;
    while (len > 0) {
        DWORD w = 0;
        DWORD n = len > 65536 ? 65536 : (DWORD)len;
        if (!WriteFile(chan->h, b, n, &w, NULL) || w == 0)
            return;
        b += w;
        len -= w;
    }
}

static void drain(conf_child *kid)
{
    while (kid->pipe) {
        DWORD avail = 0;
        if (!PeekNamedPipe(kid->pipe, NULL, 0, NULL, &avail, NULL)) {
            CloseHandle(kid->pipe); /* broken: every writer is gone */
            kid->pipe = NULL;
            return;
        }
        if (avail == 0)
            return;
        if (kid->len + avail > kid->cap) {
            size_t ncap = kid->cap ? kid->cap * 2 : 8192;
            while (ncap < kid->len + avail)
                ncap *= 2;
            char *nd = realloc(kid->data, ncap);
            if (!nd)
                return;
            kid->data = nd;
            kid->cap = ncap;
        }
        DWORD r = 0;
        if (!ReadFile(kid->pipe, kid->data + kid->len, avail, &r, NULL) ||
            r == 0)
            return;
        kid->len += r;
    }
}

static void try_reap(conf_child *kid)
{
    if (kid->reaped || WaitForSingleObject(kid->process, 0) != WAIT_OBJECT_0)
        return;
    GetExitCodeProcess(kid->process, &kid->code);
    kid->reaped = true;
    drain(kid);
    if (kid->pipe) {
        CloseHandle(kid->pipe);
        kid->pipe = NULL;
    }
}

size_t conf_plat_child_wait(conf_child *const *kids, size_t n, int timeout_ms)
{
    HANDLE hs[MAXIMUM_WAIT_OBJECTS];
    DWORD nh = 0;
    for (size_t i = 0; i < n && nh < MAXIMUM_WAIT_OBJECTS; i++)
        if (!kids[i]->reaped)
            hs[nh++] = kids[i]->process;
    /* pipes cannot be waited on with processes: look at them often */
    DWORD t = timeout_ms < 0 ? 0 : (DWORD)timeout_ms;
    if (t > 20)
        t = 20;
    if (nh > 0)
        WaitForMultipleObjects(nh, hs, FALSE, t);
    else if (t > 0)
        Sleep(t);
    size_t done = 0;
    for (size_t i = 0; i < n; i++) {
        drain(kids[i]);
        try_reap(kids[i]);
        if (kids[i]->reaped)
            done++;
    }
    return done;
}

/* An exit code in the NTSTATUS error range is an exception that ended the
 * process: reported as CONF_CHILD_SIGNALED with the code as DETAIL. */
conf_child_status conf_plat_child_status(const conf_child *kid, int *detail)
{
    if (!kid->reaped)
        return CONF_CHILD_RUNNING;
    *detail = (int)kid->code;
    return (kid->code & 0xC0000000u) == 0xC0000000u ? CONF_CHILD_SIGNALED
                                                    : CONF_CHILD_EXITED;
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
    if (kid->job)
        TerminateJobObject(kid->job, 0xC000013Au);
    TerminateProcess(kid->process, 0xC000013Au);
}

void conf_plat_child_free(conf_child *kid)
{
    if (!kid)
        return;
    if (!kid->reaped) {
        conf_plat_child_kill(kid);
        WaitForSingleObject(kid->process, INFINITE);
        GetExitCodeProcess(kid->process, &kid->code);
        kid->reaped = true;
    }
    if (kid->pipe)
        CloseHandle(kid->pipe);
    CloseHandle(kid->process);
    if (kid->job)
        CloseHandle(kid->job);
    free(kid->data);
    free(kid);
}

const char *conf_plat_signal_name(int sig)
{
    static char buf[64];
    const char *name;
    switch ((DWORD)sig) {
    case 0xC0000005u:
        name = "EXCEPTION_ACCESS_VIOLATION";
        break;
    case 0xC00000FDu:
        name = "EXCEPTION_STACK_OVERFLOW";
        break;
    case 0xC000001Du:
        name = "EXCEPTION_ILLEGAL_INSTRUCTION";
        break;
    case 0xC0000094u:
        name = "EXCEPTION_INT_DIVIDE_BY_ZERO";
        break;
    case 0xC0000409u:
        name = "STATUS_STACK_BUFFER_OVERRUN (abort)";
        break;
    case 0xC0000374u:
        name = "STATUS_HEAP_CORRUPTION";
        break;
    case 0xC000013Au:
        name = "terminated by docts";
        break;
    default:
        name = "exception";
        break;
    }
    snprintf(buf, sizeof buf, "%s (0x%08X)", name, (unsigned)sig);
    return buf;
}

/* ---- helper processes -------------------------------------------------- */

/* A helper writes to a file, not a pipe, and is asked to stop by the
 * removal of a file: both names are also in its environment
 * (DOCTS_HELPER_OUT, DOCTS_HELPER_RUN), so a launcher that cannot be given
 * handles (a server of another system started through a wrapper) can
 * follow them; such a launcher removes DOCTS_HELPER_OUT when its server
 * has ended.  ARGV[0] naming an existing file is quoted as a program;
 * otherwise it is taken as a command line (a launcher and its arguments). */
struct conf_proc {
    HANDLE process, job;
    char out[MAX_PATH * 3], run[MAX_PATH * 3];
};

static unsigned helper_serial;

static conf_proc *proc_start(const char *const argv[], const char *prefix,
                             int timeout_ms, char *line, size_t linelen,
                             bool owned)
{
    conf_proc *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(line, linelen, "out of memory");
        return NULL;
    }
    char *dir = conf_plat_mkdtemp("docts-helper-");
    if (!dir) {
        snprintf(line, linelen, "cannot create a helper directory");
        free(p);
        return NULL;
    }
    helper_serial++;
    snprintf(p->out, sizeof p->out, "%s\\out.txt", dir);
    snprintf(p->run, sizeof p->run, "%s\\run", dir);
    free(dir);
    FILE *rf = fopen(p->run, "wb");
    if (rf)
        fclose(rf);
    HANDLE out = open_output(p->out);
    SetEnvironmentVariableA("DOCTS_HELPER_OUT", p->out);
    SetEnvironmentVariableA("DOCTS_HELPER_RUN", p->run);
    wchar_t *exe = NULL, *cmd = NULL;
    if (conf_plat_exists(argv[0])) {
        exe = wide(argv[0]);
        cmd = command_line(NULL, argv);
    } else {
        wchar_t *launcher = wide(argv[0]);
        if (launcher)
            cmd = command_line(launcher, argv + 1);
        free(launcher);
    }
    /* an owned helper dies with the job of the case that started it */
    p->job = owned ? NULL : kill_on_close_job();
    DWORD err = ERROR_OUTOFMEMORY;
    bool started = cmd && out != INVALID_HANDLE_VALUE &&
                   spawn(exe, cmd, out, p->job, &p->process, &err);
    SetEnvironmentVariableA("DOCTS_HELPER_OUT", NULL);
    SetEnvironmentVariableA("DOCTS_HELPER_RUN", NULL);
    free(exe);
    free(cmd);
    if (out != INVALID_HANDLE_VALUE)
        CloseHandle(out);
    if (!started) {
        win_error(line, linelen, argv[0], err);
        conf_plat_proc_stop(p);
        return NULL;
    }
    uint64_t deadline = conf_plat_now_ms() + (uint64_t)timeout_ms;
    size_t plen = strlen(prefix);
    for (;;) {
        FILE *f = fopen(p->out, "rb");
        char buf[1024];
        while (f && fgets(buf, sizeof buf, f)) {
            size_t n = strlen(buf);
            if (n == 0 || buf[n - 1] != '\n')
                break; /* a line still being written */
            while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
                buf[--n] = '\0';
            if (strncmp(buf, prefix, plen) == 0) {
                fclose(f);
                snprintf(line, linelen, "%s", buf + plen);
                return p;
            }
        }
        if (f)
            fclose(f);
        if (conf_plat_now_ms() >= deadline) {
            snprintf(line, linelen, "%s did not print \"%s\" within %d ms",
                     argv[0], prefix, timeout_ms);
            break;
        }
        Sleep(10);
    }
    conf_plat_proc_stop(p);
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

/* The runner's own module, as a case child started again finds it. */
int conf_plat_self_run(const char *const *argv, const char *prefix,
                       int timeout_ms, char *line, size_t linelen, int *status)
{
    wchar_t *wexe = self_exe();
    char *exe = wexe ? narrow(wexe) : NULL;
    free(wexe);
    if (!exe) {
        win_error(line, linelen, "GetModuleFileName", GetLastError());
        return -1;
    }
    const char *full[32];
    size_t k = 0;
    full[k++] = exe;
    for (size_t i = 0; argv[i] && k < sizeof full / sizeof full[0] - 1; i++)
        full[k++] = argv[i];
    full[k] = NULL;
    uint64_t deadline = conf_plat_now_ms() + (uint64_t)timeout_ms;
    conf_proc *proc = proc_start(full, prefix, timeout_ms, line, linelen, true);
    free(exe);
    if (!proc)
        return -1;
    uint64_t now = conf_plat_now_ms();
    DWORD left = now < deadline ? (DWORD)(deadline - now) : 0;
    DWORD code = 0;
    int rc = -1;
    if (WaitForSingleObject(proc->process, left) != WAIT_OBJECT_0)
        snprintf(line, linelen, "the helper did not end within %d ms",
                 timeout_ms);
    else if (!GetExitCodeProcess(proc->process, &code))
        win_error(line, linelen, "GetExitCodeProcess", GetLastError());
    else if (code >= 0xC0000000u)
        snprintf(line, linelen, "the helper ended on %s",
                 conf_plat_signal_name((int)code));
    else {
        *status = (int)code;
        rc = 0;
    }
    conf_plat_proc_stop(proc);
    return rc;
}

void conf_plat_proc_stop(conf_proc *proc)
{
    if (!proc)
        return;
    /* the removal asks a launcher to stop its server; then give it the
     * same 2 s the POSIX version gives a SIGTERM */
    wchar_t *run = wide(proc->run);
    if (run) {
        DeleteFileW(run);
        free(run);
    }
    if (proc->process) {
        if (WaitForSingleObject(proc->process, 2000) != WAIT_OBJECT_0)
            TerminateProcess(proc->process, 1);
        CloseHandle(proc->process);
    } else {
        /* no handle: the launcher removes its output file once its
         * server has ended (a restart may reuse the port at once) */
        for (int i = 0; i < 100 && conf_plat_exists(proc->out); i++)
            Sleep(20);
    }
    if (proc->job)
        CloseHandle(proc->job);
    char *dir = strdup(proc->out);
    char *slash = dir ? strrchr(dir, '\\') : NULL;
    if (slash) {
        *slash = '\0';
        /* the launcher may still hold the file for a moment */
        for (int i = 0; i < 50 && conf_plat_rmtree(dir) != 0; i++)
            Sleep(20);
    }
    free(dir);
    free(proc);
}

/* ---- threads ------------------------------------------------------------ */

struct conf_thread {
    HANDLE h;
    void (*fn)(void *);
    void *arg;
};

static DWORD WINAPI thread_main(LPVOID arg)
{
    conf_thread *t = arg;
    t->fn(t->arg);
    return 0;
}

conf_thread *conf_plat_thread_start(void (*fn)(void *arg), void *arg)
{
    conf_thread *t = malloc(sizeof *t);
    if (!t)
        return NULL;
    t->fn = fn;
    t->arg = arg;
    t->h = CreateThread(NULL, 0, thread_main, t, 0, NULL);
    if (!t->h) {
        free(t);
        return NULL;
    }
    return t;
}

void conf_plat_thread_join(conf_thread *t)
{
    if (!t)
        return;
    WaitForSingleObject(t->h, INFINITE);
    CloseHandle(t->h);
    free(t);
}

/* ---- files ------------------------------------------------------------- */

char *conf_plat_mkdtemp(const char *prefix)
{
    wchar_t base[MAX_PATH + 1];
    DWORD n = GetTempPathW(MAX_PATH + 1, base);
    if (n == 0 || n > MAX_PATH)
        return NULL;
    char *b = narrow(base);
    if (!b)
        return NULL;
    size_t len = strlen(b);
    if (len > 0 && (b[len - 1] == '\\' || b[len - 1] == '/'))
        b[--len] = '\0';
    char *path = NULL;
    for (int attempt = 0; attempt < 100; attempt++) {
        LARGE_INTEGER t;
        QueryPerformanceCounter(&t);
        unsigned r =
            (unsigned)(t.QuadPart ^ ((uint64_t)GetCurrentProcessId() << 16)) +
            (unsigned)attempt * 7919u;
        size_t sz = len + strlen(prefix) + 16;
        path = malloc(sz);
        if (!path)
            break;
        snprintf(path, sz, "%s\\%s%06x", b, prefix, r & 0xffffffu);
        wchar_t *w = wide(path);
        BOOL ok = w && CreateDirectoryW(w, NULL);
        DWORD e = GetLastError();
        free(w);
        if (ok)
            break;
        free(path);
        path = NULL;
        /* a name taken, or one whose deletion is still pending: the next
         * name; give up only when the directory itself is unusable */
        if (e == ERROR_PATH_NOT_FOUND)
            break;
        Sleep(attempt < 10 ? 1 : 10);
    }
    free(b);
    return path;
}

static int rmtree_w(const wchar_t *path)
{
    DWORD attr = GetFileAttributesW(path);
    if (attr == INVALID_FILE_ATTRIBUTES)
        return GetLastError() == ERROR_FILE_NOT_FOUND ||
                       GetLastError() == ERROR_PATH_NOT_FOUND
                   ? 0
                   : -1;
    if (attr & FILE_ATTRIBUTE_READONLY)
        SetFileAttributesW(path, attr & ~(DWORD)FILE_ATTRIBUTE_READONLY);
    if (!(attr & FILE_ATTRIBUTE_DIRECTORY) ||
        (attr & FILE_ATTRIBUTE_REPARSE_POINT)) {
        if (attr & FILE_ATTRIBUTE_DIRECTORY)
            return RemoveDirectoryW(path) ? 0 : -1;
        return DeleteFileW(path) ? 0 : -1;
    }
    size_t n = wcslen(path);
    wchar_t *pat = malloc((n + 3) * sizeof *pat);
    if (!pat)
        return -1;
    swprintf(pat, n + 3, L"%ls\\*", path);
    WIN32_FIND_DATAW fd;
    HANDLE h = FindFirstFileW(pat, &fd);
    free(pat);
    int rc = 0;
    if (h != INVALID_HANDLE_VALUE) {
        do {
            if (!wcscmp(fd.cFileName, L".") || !wcscmp(fd.cFileName, L".."))
                continue;
            size_t m = n + wcslen(fd.cFileName) + 2;
            wchar_t *sub = malloc(m * sizeof *sub);
            if (!sub) {
                rc = -1;
                break;
            }
            swprintf(sub, m, L"%ls\\%ls", path, fd.cFileName);
            if (rmtree_w(sub) != 0)
                rc = -1;
            free(sub);
        } while (FindNextFileW(h, &fd));
        FindClose(h);
    }
    if (!RemoveDirectoryW(path))
        rc = -1;
    return rc;
}

int conf_plat_rmtree(const char *path)
{
    wchar_t *w = wide(path);
    if (!w)
        return -1;
    int rc = rmtree_w(w);
    free(w);
    return rc;
}

int conf_plat_mkdirs(const char *path)
{
    char *buf = strdup(path);
    if (!buf)
        return -1;
    int rc = 0;
    for (char *p = buf; *p && rc == 0; p++) {
        /* skip the drive ("C:") and the root */
        if ((*p == '\\' || *p == '/') && p > buf && p[-1] != ':') {
            char keep = *p;
            *p = '\0';
            wchar_t *w = wide(buf);
            if (!w || (!CreateDirectoryW(w, NULL) &&
                       GetLastError() != ERROR_ALREADY_EXISTS))
                rc = conf_plat_is_dir(buf) ? 0 : -1;
            free(w);
            *p = keep;
        }
    }
    if (rc == 0) {
        wchar_t *w = wide(buf);
        if (!w || (!CreateDirectoryW(w, NULL) &&
                   GetLastError() != ERROR_ALREADY_EXISTS))
            rc = -1;
        free(w);
    }
    free(buf);
    return rc;
}

/* The C runtime's rename() refuses an existing target on Windows. */
int conf_plat_replace(const char *from, const char *to)
{
    wchar_t *f = wide(from), *t = wide(to);
    BOOL ok = f && t && MoveFileExW(f, t, MOVEFILE_REPLACE_EXISTING);
    free(f);
    free(t);
    return ok ? 0 : -1;
}

bool conf_plat_exists(const char *path)
{
    wchar_t *w = wide(path);
    DWORD a = w ? GetFileAttributesW(w) : INVALID_FILE_ATTRIBUTES;
    free(w);
    return a != INVALID_FILE_ATTRIBUTES;
}

bool conf_plat_is_dir(const char *path)
{
    wchar_t *w = wide(path);
    DWORD a = w ? GetFileAttributesW(w) : INVALID_FILE_ATTRIBUTES;
    free(w);
    return a != INVALID_FILE_ATTRIBUTES && (a & FILE_ATTRIBUTE_DIRECTORY);
}

char *conf_plat_self_dir(void)
{
    wchar_t *exe = self_exe();
    if (!exe)
        return NULL;
    wchar_t *slash = wcsrchr(exe, L'\\');
    if (slash)
        *slash = 0;
    char *d = narrow(exe);
    free(exe);
    return d;
}

char *conf_plat_abspath(const char *path)
{
    wchar_t *w = wide(path);
    wchar_t full[MAX_PATH * 4];
    DWORD n = w ? GetFullPathNameW(w, (DWORD)(sizeof full / sizeof full[0]),
                                   full, NULL)
                : 0;
    free(w);
    if (n == 0 || n >= sizeof full / sizeof full[0])
        return strdup(path);
    char *s = narrow(full);
    return s ? s : strdup(path);
}

const char *conf_plat_null_device(void)
{
    return "NUL";
}

/* The system directory: writable by administrators only. */
const char *conf_plat_unwritable_dir(void)
{
    static char dir[MAX_PATH * 3];
    wchar_t w[MAX_PATH + 1];
    UINT n = GetSystemDirectoryW(w, MAX_PATH + 1);
    if (n == 0 || n > MAX_PATH)
        return NULL;
    char *s = narrow(w);
    if (!s)
        return NULL;
    snprintf(dir, sizeof dir, "%s", s);
    free(s);
    return dir;
}

/* A program every Windows has, for notify command lines. */
const char *conf_plat_notify_program(void)
{
    static char prog[MAX_PATH * 3 + 16];
    const char *d = conf_plat_unwritable_dir();
    snprintf(prog, sizeof prog, "%s\\cmd.exe", d ? d : "C:\\Windows\\System32");
    return prog;
}

/* ---- environment, time, terminal --------------------------------------- */

int conf_plat_setenv(const char *name, const char *value)
{
    /* the C runtime's copy (getenv) and the process's (children) */
    if (_putenv_s(name, value) != 0)
        return -1;
    return SetEnvironmentVariableA(name, value) ? 0 : -1;
}

uint64_t conf_plat_now_ms(void)
{
    return (uint64_t)GetTickCount64();
}

void conf_plat_sleep_ms(unsigned ms)
{
    Sleep(ms);
}

void conf_plat_utc_now(char *buf, size_t len)
{
    SYSTEMTIME st;
    GetSystemTime(&st);
    snprintf(buf, len, "%04u-%02u-%02uT%02u:%02u:%02uZ", st.wYear, st.wMonth,
             st.wDay, st.wHour, st.wMinute, st.wSecond);
}

bool conf_plat_stdout_is_tty(void)
{
    return _isatty(1) != 0;
}

unsigned conf_plat_cpu_count(void)
{
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    return si.dwNumberOfProcessors > 0 ? (unsigned)si.dwNumberOfProcessors : 1u;
}
