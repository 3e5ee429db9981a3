/*
 * warden's reaper addon: one call, reap(pid), that collects one exited child without blocking.
 * Node has no waitpid(); as PID 1 warden inherits orphans that only a wait call removes.
 * JavaScript decides which pids to reap (never one that Node itself spawned: libuv reaps those).
 */
#include <errno.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <node_api.h>

/* reap(pid) -> the pid when it was collected, 0 when it has not exited, -1 when it is not a child. */
static napi_value Reap(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t pid = 0;
  napi_value result;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_get_value_int32(env, argv[0], &pid) != napi_ok || pid <= 0) {
    napi_throw_type_error(env, NULL, "reap(pid): pid must be a positive integer");
    return NULL;
  }
  int status = 0;
  pid_t got;
  do {
    got = waitpid((pid_t)pid, &status, WNOHANG);
  } while (got == -1 && errno == EINTR);
  napi_create_int32(env, got < 0 ? -1 : (int32_t)got, &result);
  return result;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "reap", NAPI_AUTO_LENGTH, Reap, NULL, &fn);
  napi_set_named_property(env, exports, "reap", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
