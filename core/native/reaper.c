/*
 * warden's native addon, calls Node does not offer:
 * - reap(pid) collects one exited child without blocking. As PID 1 warden inherits orphans that
 *   only a wait call removes. JavaScript decides which pids to reap (never one that Node itself
 *   spawned: libuv reaps those).
 * - watchExit(pid, callback) calls back once when any process (not only a child) exits, through
 *   a pidfd (pidfd_open(2), Linux >= 5.3) polled by Node's own event loop: no timer, no /proc.
 * - spawn(...) starts a program with posix_spawn(3), which glibc runs as clone(CLONE_VM |
 *   CLONE_VFORK): no copy of warden's page tables, which Node's fork(2) makes for every child
 *   (~4 ms at 60 MB of touched memory, 0.26 ms this way); waitStatus(pid) collects it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <node_api.h>
#include <uv.h>

/* C libraries older than Linux 5.3's headers lack the name; the number is the same everywhere but alpha. */
#if !defined(SYS_pidfd_open) && !defined(__alpha__)
#define SYS_pidfd_open 434
#endif

static napi_value Int(napi_env env, int32_t value) {
  napi_value result;
  napi_create_int32(env, value, &result);
  return result;
}

/*
 * waitpid(pid, WNOHANG) for the call's one argument, retried on EINTR; 0, with a TypeError
 * thrown (`usage`), when it is not a positive integer.
 */
static int WaitNoHang(napi_env env, napi_callback_info info, const char* usage, pid_t* got, int* status) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t pid = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_get_value_int32(env, argv[0], &pid) != napi_ok || pid <= 0) {
    napi_throw_type_error(env, NULL, usage);
    return 0;
  }
  do {
    *got = waitpid((pid_t)pid, status, WNOHANG);
  } while (*got == -1 && errno == EINTR);
  return 1;
}

/* reap(pid) -> the pid when it was collected, 0 when it has not exited, -1 when it is not a child. */
static napi_value Reap(napi_env env, napi_callback_info info) {
  int status = 0;
  pid_t got;
  if (!WaitNoHang(env, info, "reap(pid): pid must be a positive integer", &got, &status)) return NULL;
  return Int(env, got < 0 ? -1 : (int32_t)got);
}

/*
 * One watch. It is freed when both its uv handle has closed and its JS handle object was
 * collected: either may come first (close() in the exit callback, or a dropped handle).
 * Every napi resource (callback, async context, cleanup hook) is released by Finish, before
 * uv_close, so the close callback touches only the fd and the memory.
 */
typedef struct {
  uv_poll_t poll;
  napi_env env;
  napi_ref callback;
  napi_async_context async;
  int fd;
  int finished;     /* fired or closed: nothing more will be called */
  int handle_closed;
  int object_gone;
} ExitWatch;

static void FreeIfUnused(ExitWatch* w) {
  if (w->handle_closed && w->object_gone) free(w);
}

static void OnClosed(uv_handle_t* handle) {
  ExitWatch* w = (ExitWatch*)handle->data;
  close(w->fd);
  w->handle_closed = 1;
  FreeIfUnused(w);
}

static void OnEnvCleanup(void* arg);

/* Stop watching and release the napi resources; the handle and fd go in OnClosed. */
static void Finish(ExitWatch* w) {
  w->finished = 1;
  uv_poll_stop(&w->poll);
  napi_remove_env_cleanup_hook(w->env, OnEnvCleanup, w);
  napi_delete_reference(w->env, w->callback);
  napi_async_destroy(w->env, w->async);
  uv_close((uv_handle_t*)&w->poll, OnClosed);
}

/* The environment ends (a worker stops) with the watch open; its object's finalizer still runs after. */
static void OnEnvCleanup(void* arg) {
  Finish((ExitWatch*)arg);
}

/*
 * The pidfd is readable: the process has exited (a zombie counts). An error from the poll is
 * reported as an exit too: the caller then looks at the process itself, which costs one check.
 */
static void OnReadable(uv_poll_t* poll, int status, int events) {
  ExitWatch* w = (ExitWatch*)poll->data;
  napi_env env = w->env;
  napi_handle_scope scope;
  napi_value callback, recv, ignored, error;
  napi_open_handle_scope(env, &scope);
  napi_get_reference_value(env, w->callback, &callback);
  napi_get_global(env, &recv); /* make_callback wants an object as `this` */
  /* Finished before the call: a close() from inside the callback is then a no-op. */
  w->finished = 1;
  uv_poll_stop(&w->poll);
  /* make_callback runs the microtasks and nextTicks the callback queues, as any Node callback. */
  if (napi_make_callback(env, w->async, recv, callback, 0, NULL, &ignored) == napi_pending_exception &&
      napi_get_and_clear_last_exception(env, &error) == napi_ok) {
    napi_fatal_exception(env, error);
  }
  Finish(w);
  napi_close_handle_scope(env, scope);
}

static void OnObjectFinalized(napi_env env, void* data, void* hint) {
  ExitWatch* w = (ExitWatch*)data;
  w->object_gone = 1;
  FreeIfUnused(w);
}

/* handle.close(): stop a watch that has not fired; idempotent. */
static napi_value Close(napi_env env, napi_callback_info info) {
  napi_value self;
  ExitWatch* w = NULL;
  if (napi_get_cb_info(env, info, NULL, NULL, &self, NULL) == napi_ok &&
      napi_unwrap(env, self, (void**)&w) == napi_ok && w != NULL && !w->finished) {
    Finish(w);
  }
  return NULL;
}

/* The uv half of a watch on an open pidfd; NULL (fd closed) when libuv refuses it. */
static ExitWatch* StartPoll(napi_env env, int fd) {
  uv_loop_t* loop;
  ExitWatch* w = calloc(1, sizeof(ExitWatch));
  if (w == NULL || napi_get_uv_event_loop(env, &loop) != napi_ok || uv_poll_init(loop, &w->poll, fd) != 0) {
    free(w);
    close(fd);
    return NULL;
  }
  w->env = env;
  w->fd = fd;
  w->poll.data = w;
  if (uv_poll_start(&w->poll, UV_READABLE, OnReadable) != 0) {
    w->object_gone = 1; /* no object will be made: OnClosed frees it */
    uv_close((uv_handle_t*)&w->poll, OnClosed);
    return NULL;
  }
  /* A watch never keeps warden (or a test) alive. */
  uv_unref((uv_handle_t*)&w->poll);
  return w;
}

/*
 * watchExit(pid, callback) -> { close() } while the process runs, false when there is no such
 * process (it is already gone), null when the kernel cannot watch it (no pidfd_open: Linux
 * before 5.3, or no fd left): the caller then polls. `callback` is called once, with no
 * arguments, unless close() came first.
 */
static napi_value WatchExit(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], handle, close_fn, name, result;
  napi_valuetype type = napi_undefined;
  int32_t pid = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 ||
      napi_get_value_int32(env, argv[0], &pid) != napi_ok || pid <= 0 ||
      napi_typeof(env, argv[1], &type) != napi_ok || type != napi_function) {
    napi_throw_type_error(env, NULL, "watchExit(pid, callback): pid must be a positive integer and callback a function");
    return NULL;
  }
#ifdef SYS_pidfd_open
  int fd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
#else
  int fd = -1;
  errno = ENOSYS;
#endif
  if (fd < 0) {
    if (errno == ESRCH) napi_get_boolean(env, 0, &result);
    else napi_get_null(env, &result);
    return result;
  }
  ExitWatch* w = StartPoll(env, fd);
  if (w == NULL) {
    napi_get_null(env, &result);
    return result;
  }
  napi_create_reference(env, argv[1], 1, &w->callback);
  napi_create_object(env, &handle);
  /* No resource object of ours: napi then keeps its own alive until napi_async_destroy. */
  napi_create_string_utf8(env, "warden:pidfd", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, NULL, name, &w->async);
  napi_add_env_cleanup_hook(env, OnEnvCleanup, w);
  napi_create_function(env, "close", NAPI_AUTO_LENGTH, Close, NULL, &close_fn);
  napi_set_named_property(env, handle, "close", close_fn);
  napi_wrap(env, handle, w, OnObjectFinalized, NULL, NULL);
  return handle;
}

/* A JS string as a malloc'd C string; NULL when it is not a string. */
static char* CString(napi_env env, napi_value value) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &len) != napi_ok) return NULL;
  char* out = malloc(len + 1);
  if (out != NULL) napi_get_value_string_utf8(env, value, out, len + 1, &len);
  return out;
}

static void FreeStrings(char** list) {
  if (list == NULL) return;
  for (char** p = list; *p != NULL; p++) free(*p);
  free(list);
}

/* A JS array of strings as a NULL-terminated array; NULL when it is not one. */
static char** CStrings(napi_env env, napi_value array) {
  uint32_t n = 0;
  if (napi_get_array_length(env, array, &n) != napi_ok) return NULL;
  char** out = calloc(n + 1, sizeof(char*));
  for (uint32_t i = 0; out != NULL && i < n; i++) {
    napi_value item;
    if (napi_get_element(env, array, i, &item) != napi_ok || (out[i] = CString(env, item)) == NULL) {
      FreeStrings(out);
      return NULL;
    }
  }
  return out;
}

/*
 * spawn(path, argv, env, cwd | null, [stdin, stdout, stderr]) -> [pid, stdoutRead, stderrRead],
 * or -errno when the program could not be started (exec's own failure included: glibc reports
 * it). Each of the three is a descriptor for the child to take, or -1 for a pipe whose read end
 * comes back (-1 in the result when none was made). The child runs in its own session and
 * process group, every signal at its default and none blocked, as libuv's children do (Node's
 * `detached: true`). The JS side passes only valid strings (no NUL byte) and absolute paths.
 */
static napi_value Spawn(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5], result;
  napi_valuetype cwd_type = napi_undefined;
  int32_t fds[3] = {-1, -1, -1};
  int pipes[3][2] = {{-1, -1}, {-1, -1}, {-1, -1}};
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 5) {
    napi_throw_type_error(env, NULL, "spawn(path, argv, env, cwd, fds)");
    return NULL;
  }
  char* path = CString(env, argv[0]);
  char** args = CStrings(env, argv[1]);
  char** envp = CStrings(env, argv[2]);
  char* cwd = NULL;
  napi_typeof(env, argv[3], &cwd_type);
  if (cwd_type == napi_string) cwd = CString(env, argv[3]);
  int err = (path == NULL || args == NULL || envp == NULL || (cwd_type == napi_string && cwd == NULL)) ? EINVAL : 0;
  for (uint32_t i = 0; i < 3 && !err; i++) {
    napi_value item;
    if (napi_get_element(env, argv[4], i, &item) != napi_ok || napi_get_value_int32(env, item, &fds[i]) != napi_ok) err = EINVAL;
    else if (fds[i] < 0 && i > 0 && pipe2(pipes[i], O_CLOEXEC) != 0) err = errno;
  }
  pid_t pid = 0;
  if (!err) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    sigset_t all, none;
    /* Every signal, glibc's own two included (sigfillset leaves them out, and posix_spawn would
     * then hand them to the program ignored: libuv's children get them at their default). */
    memset(&all, 0xff, sizeof all);
    sigemptyset(&none);
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
    /* Every descriptor warden holds is close-on-exec; these three are the child's. */
    for (int i = 0; i < 3; i++) posix_spawn_file_actions_adddup2(&actions, fds[i] >= 0 ? fds[i] : pipes[i][1], i);
    if (cwd != NULL) err = posix_spawn_file_actions_addchdir_np(&actions, cwd);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSID);
    if (!err) err = posix_spawn(&pid, path, &actions, &attr, args, envp);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  for (int i = 1; i < 3; i++) {
    if (pipes[i][1] >= 0) close(pipes[i][1]);
    if (err && pipes[i][0] >= 0) close(pipes[i][0]);
  }
  free(path);
  free(cwd);
  FreeStrings(args);
  FreeStrings(envp);
  if (err) return Int(env, -err);
  napi_create_array_with_length(env, 3, &result);
  napi_set_element(env, result, 0, Int(env, (int32_t)pid));
  napi_set_element(env, result, 1, Int(env, pipes[1][0]));
  napi_set_element(env, result, 2, Int(env, pipes[2][0]));
  return result;
}

/*
 * waitStatus(pid) -> [exit status, signal number] of a child that has exited (collected now),
 * null while it runs, -1 when it is not a child (or was collected already).
 */
static napi_value WaitStatus(napi_env env, napi_callback_info info) {
  napi_value result;
  int status = 0;
  pid_t got;
  if (!WaitNoHang(env, info, "waitStatus(pid): pid must be a positive integer", &got, &status)) return NULL;
  if (got < 0) return Int(env, -1);
  if (got == 0) {
    napi_get_null(env, &result);
    return result;
  }
  napi_create_array_with_length(env, 2, &result);
  napi_set_element(env, result, 0, Int(env, WIFEXITED(status) ? WEXITSTATUS(status) : -1));
  napi_set_element(env, result, 1, Int(env, WIFSIGNALED(status) ? WTERMSIG(status) : 0));
  return result;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "reap", NAPI_AUTO_LENGTH, Reap, NULL, &fn);
  napi_set_named_property(env, exports, "reap", fn);
  napi_create_function(env, "watchExit", NAPI_AUTO_LENGTH, WatchExit, NULL, &fn);
  napi_set_named_property(env, exports, "watchExit", fn);
  napi_create_function(env, "spawn", NAPI_AUTO_LENGTH, Spawn, NULL, &fn);
  napi_set_named_property(env, exports, "spawn", fn);
  napi_create_function(env, "waitStatus", NAPI_AUTO_LENGTH, WaitStatus, NULL, &fn);
  napi_set_named_property(env, exports, "waitStatus", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
