/*
 * The pages of the node executable a daemon touched only while it started, given back.
 *
 * Starting touches tens of megabytes of the `node` binary that a running daemon never reads
 * again: V8's parser and its start-up code, the sources and code caches of Node's built-in
 * modules, the parts of OpenSSL and ICU that initialising used. They stay mapped, and counted in
 * the daemon's RSS, until the kernel runs short of memory (and mapped executable pages are the
 * last it takes back). After the first cycle, warden drops its mappings of those pages
 * (madvise MADV_DONTNEED): they stay in the page cache, shared with any other node process, and
 * the pages the daemon does read again come back at their next use as minor faults, read from
 * that cache. What stays resident is what the daemon uses.
 *
 *   releaseExecutablePages() -> bytes of resident pages dropped, or -errno
 *
 * Only mappings of the executable that are not writable and hold no private (copy-on-write)
 * page are dropped: a page dropped there is read again from the file unchanged. Writable or
 * relocated mappings (.data, .got, RELRO) keep their pages; so does anything not file-backed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <node_api.h>

/* Mappings of one executable: a few dozen at most; more are left alone. */
#define MAX_RANGES 64

struct range {
  unsigned long start, end;
  long anon_kb, rss_kb;
};

/* The executable's mappings that may be dropped, from /proc/self/smaps: their count, or -errno. */
static int CleanRanges(const char *exe, struct range *out) {
  FILE *f = fopen("/proc/self/smaps", "re");
  if (f == NULL) return -errno;
  char *line = NULL;
  size_t cap = 0;
  int n = 0;
  struct range cur = {0, 0, -1, 0};
  int mine = 0; /* the mapping being read is the executable's, read-only */
  while (getline(&line, &cap, f) > 0) {
    unsigned long start, end;
    char perms[8];
    int path_at = 0;
    if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %n", &start, &end, perms, &path_at) == 3 && path_at > 0) {
      if (mine && cur.anon_kb == 0 && n < MAX_RANGES) out[n++] = cur;
      char *path = line + path_at;
      path[strcspn(path, "\n")] = '\0';
      mine = perms[1] != 'w' && strcmp(path, exe) == 0;
      cur.start = start;
      cur.end = end;
      cur.anon_kb = -1; /* unknown until its Anonymous line: never dropped unread */
      cur.rss_kb = 0;
      continue;
    }
    long kb;
    if (sscanf(line, "Anonymous: %ld kB", &kb) == 1) cur.anon_kb = kb;
    else if (sscanf(line, "Rss: %ld kB", &kb) == 1) cur.rss_kb = kb;
  }
  if (mine && cur.anon_kb == 0 && n < MAX_RANGES) out[n++] = cur;
  free(line);
  fclose(f);
  return n;
}

static napi_value Release(napi_env env, napi_callback_info info) {
  (void)info;
  double result;
  char exe[PATH_MAX];
  ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
  struct range ranges[MAX_RANGES];
  int n = len > 0 ? (exe[len] = '\0', CleanRanges(exe, ranges)) : -errno;
  if (n < 0) {
    result = n;
  } else {
    double bytes = 0;
    for (int i = 0; i < n; i++) {
      if (madvise((void *)ranges[i].start, ranges[i].end - ranges[i].start, MADV_DONTNEED) == 0) bytes += ranges[i].rss_kb * 1024.0;
    }
    result = bytes;
  }
  napi_value out;
  napi_create_double(env, result, &out);
  return out;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "releaseExecutablePages", NAPI_AUTO_LENGTH, Release, NULL, &fn);
  napi_set_named_property(env, exports, "releaseExecutablePages", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
