/*
 * stat(2) of a path without Node's fs.Stats: on Node 20 `fs.statSync` costs ~2 us a call over
 * the system call itself (argument checks, an error context object, a Stats object with four
 * Dates), as much again as the kernel's own work on a cached path. warden stats every file and
 * pidfile it watches every cycle; this call writes the fields into a Float64Array the caller
 * passes and returns 0, or the errno, in ~0.1 us over the system call.
 *
 *   stat(path, out) -> 0 | errno | -1
 *
 * out (13 doubles): dev, ino, mode, nlink, uid, gid, size, then the seconds and nanoseconds of
 * atime, mtime and ctime, as Node's own stat array holds them (Node's JavaScript turns them into
 * milliseconds the same way, so the values are equal to the last bit).
 * -1: not a path this call takes (a string with a NUL byte, longer than PATH_MAX): the caller
 * asks Node, which says why.
 *
 *   digest(path, algorithm, statSize) -> hex string | undefined | errno | -1
 *
 * The digest of a small file read whole (`checksum`, `checksum paranoid` hashes every file every
 * cycle): open, read, close and OpenSSL's one-shot EVP_Digest in one call, where Node takes four
 * (openSync, readSync, closeSync, crypto.hash), each with its argument checks and error context:
 * ~0.7 us less a 4 KiB file. algorithm: 0 MD5, 1 SHA-1, 2 SHA-256. undefined: the file holds
 * more than SMALL bytes (the caller streams it). errno: open or read failed; -1: not taken (the
 * path, or no OpenSSL in this process); either way the caller asks Node, which says why.
 * OpenSSL is the one node carries and exports (found with dlsym when first needed, so this
 * addon neither links it nor needs its headers); the digest objects are fetched once.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <node_api.h>

#define FIELDS 13
/* Bytes kept per path of a descriptor's content (statBatch): a 2-byte length, then the bytes. */
#define CONTENT 512

/* The path in `value` into `path` (PATH_MAX bytes): 1, or 0 for a value this addon does not take
 * (not a string, a NUL byte inside, too long), which the callers leave to Node. */
static int PathOf(napi_env env, napi_value value, char *path) {
  napi_valuetype type;
  size_t bytes = 0;
  return napi_typeof(env, value, &type) == napi_ok && type == napi_string &&
         napi_get_value_string_utf8(env, value, path, PATH_MAX, &bytes) == napi_ok &&
         bytes < PATH_MAX - 1 && strlen(path) == bytes;
}

/* The FIELDS doubles of a stat, in the order both calls write them. */
static void FieldsOf(const struct stat *st, double *out) {
  out[0] = (double)st->st_dev;
  out[1] = (double)st->st_ino;
  out[2] = (double)st->st_mode;
  out[3] = (double)st->st_nlink;
  out[4] = (double)st->st_uid;
  out[5] = (double)st->st_gid;
  out[6] = (double)st->st_size;
  out[7] = (double)st->st_atim.tv_sec;
  out[8] = (double)st->st_atim.tv_nsec;
  out[9] = (double)st->st_mtim.tv_sec;
  out[10] = (double)st->st_mtim.tv_nsec;
  out[11] = (double)st->st_ctim.tv_sec;
  out[12] = (double)st->st_ctim.tv_nsec;
}

static napi_value Stat(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_value result;
  napi_typedarray_type array_type;
  size_t length = 0;
  void *data = NULL;
  char path[PATH_MAX];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 ||
      napi_get_typedarray_info(env, argv[1], &array_type, &length, &data, NULL, NULL) != napi_ok ||
      array_type != napi_float64_array || length < FIELDS) {
    napi_throw_type_error(env, NULL, "stat(path, out): out must be a Float64Array of 13");
    return NULL;
  }
  int code = -1;
  if (PathOf(env, argv[0], path)) {
    struct stat st;
    if (stat(path, &st) == 0) {
      FieldsOf(&st, data);
      code = 0;
    } else {
      code = errno;
    }
  }
  napi_create_int32(env, code, &result);
  return result;
}

/* Whether descriptor `fd` (read from offset 0) still holds the content kept in `keep` (a 2-byte
 * length, then the bytes); keeps what it holds now. A failed read, or one too long to keep,
 * is never the same. */
static int ContentSame(int32_t fd, uint8_t *keep) {
  uint8_t now[CONTENT - 2];
  ssize_t n = fd < 0 ? -1 : pread(fd, now, sizeof now, 0);
  if (n < 0 || (size_t)n == sizeof now) {
    keep[0] = keep[1] = 0xff; /* a length no read gives */
    return 0;
  }
  size_t length = (size_t)keep[0] | (size_t)keep[1] << 8;
  if (length == (size_t)n && memcmp(keep + 2, now, (size_t)n) == 0) return 1;
  keep[0] = (uint8_t)(n & 0xff);
  keep[1] = (uint8_t)(n >> 8);
  memcpy(keep + 2, now, (size_t)n);
  return 0;
}

/* Paths handed over once (pathSet) and stat'ed by index every cycle: no string is read out of
 * JavaScript per stat (napi_get_element and a UTF-8 copy cost ~0.3 us a path, a tenth of a
 * quiet check). */
typedef struct {
  uint32_t count;
  char **paths; /* NULL: a path this addon does not take (always moved; the caller observes) */
} PathSet;

/* Tells a PathSet external from any other external handed to statBatch. */
static const napi_type_tag PATH_SET_TAG = {0x77617264656e5053ULL, 0x7061746873657421ULL};

static void PathSetFree(napi_env env, void *data, void *hint) {
  PathSet *set = data;
  for (uint32_t i = 0; i < set->count; i++) free(set->paths[i]);
  free(set->paths);
  free(set);
}

/* pathSet(paths: string[]) -> an external holding a copy of every path, for statBatch. */
static napi_value PathSetNew(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_value result;
  uint32_t count = 0;
  bool is_array = false;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_is_array(env, argv[0], &is_array) != napi_ok || !is_array ||
      napi_get_array_length(env, argv[0], &count) != napi_ok) {
    napi_throw_type_error(env, NULL, "pathSet(paths: string[])");
    return NULL;
  }
  PathSet *set = calloc(1, sizeof *set);
  if (set == NULL || (count > 0 && (set->paths = calloc(count, sizeof *set->paths)) == NULL)) {
    free(set);
    napi_throw_error(env, NULL, "pathSet: out of memory");
    return NULL;
  }
  set->count = count;
  char path[PATH_MAX];
  for (uint32_t i = 0; i < count; i++) {
    napi_value element;
    if (napi_get_element(env, argv[0], i, &element) == napi_ok && PathOf(env, element, path)) set->paths[i] = strdup(path);
  }
  if (napi_create_external(env, set, PathSetFree, NULL, &result) != napi_ok || napi_type_tag_object(env, result, &PATH_SET_TAG) != napi_ok) {
    PathSetFree(env, set, NULL);
    napi_throw_error(env, NULL, "pathSet: cannot make the external");
    return NULL;
  }
  return result;
}

/*
 * statBatch(set, from, count, kept, moved): stat(2) the paths `from .. from+count)` of a pathSet
 * in one call and compare every field with the one kept for it (kept: 13 doubles per path, as
 * `stat` writes them). A path whose stat differs in any field, or that cannot be stat'ed, gets
 * moved[i] = 1 and its fields kept (NaN when it failed, so that the next stat differs); an
 * unchanged one leaves moved[i] as it was, so a flag stays set until the caller clears it.
 *
 * statBatch(set, from, count, kept, moved, fds, contents): the same, and for each path whose
 * fds[i] >= 0 also pread(2) that descriptor from offset 0 and compare what it holds with the
 * content kept for it (contents: CONTENT bytes per path, a little-endian 2-byte length then the
 * bytes; a process's kept /proc/PID/stat). A differing read, a failed one, one that fills the
 * space, or fds[i] < -1 (a descriptor the caller needed and has not got) sets moved[i] as well;
 * fds[i] == -1 reads nothing.
 */
static napi_value StatBatch(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  napi_typedarray_type kept_type, moved_type, fds_type, contents_type;
  size_t kept_length = 0, moved_length = 0, fds_length = 0, contents_length = 0;
  void *kept_data = NULL, *moved_data = NULL, *fds_data = NULL, *contents_data = NULL;
  uint32_t from = 0, count = 0;
  bool tagged = false;
  PathSet *set = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 5 ||
      napi_check_object_type_tag(env, argv[0], &PATH_SET_TAG, &tagged) != napi_ok || !tagged ||
      napi_get_value_external(env, argv[0], (void **)&set) != napi_ok ||
      napi_get_value_uint32(env, argv[1], &from) != napi_ok ||
      napi_get_value_uint32(env, argv[2], &count) != napi_ok ||
      napi_get_typedarray_info(env, argv[3], &kept_type, &kept_length, &kept_data, NULL, NULL) != napi_ok ||
      napi_get_typedarray_info(env, argv[4], &moved_type, &moved_length, &moved_data, NULL, NULL) != napi_ok ||
      kept_type != napi_float64_array || moved_type != napi_uint8_array ||
      (uint64_t)from + count > set->count || ((uint64_t)from + count) * FIELDS > kept_length || (uint64_t)from + count > moved_length) {
    napi_throw_type_error(env, NULL, "statBatch(set: pathSet(), from, count, kept: Float64Array of 13 per path, moved: Uint8Array[, fds, contents])");
    return NULL;
  }
  if (argc >= 7 &&
      (napi_get_typedarray_info(env, argv[5], &fds_type, &fds_length, &fds_data, NULL, NULL) != napi_ok ||
       napi_get_typedarray_info(env, argv[6], &contents_type, &contents_length, &contents_data, NULL, NULL) != napi_ok ||
       fds_type != napi_int32_array || contents_type != napi_uint8_array ||
       (uint64_t)from + count > fds_length || ((uint64_t)from + count) * CONTENT > contents_length)) {
    napi_throw_type_error(env, NULL, "statBatch(…, fds: Int32Array of 1 per path, contents: Uint8Array of 512 per path)");
    return NULL;
  }
  const int32_t *fds = argc >= 7 ? fds_data : NULL;
  uint8_t *contents = contents_data;
  double *kept = kept_data;
  uint8_t *moved = moved_data;
  for (uint32_t i = from; i < from + count; i++) {
    double *k = kept + (size_t)i * FIELDS;
    struct stat st;
    double v[FIELDS];
    if (set->paths[i] == NULL || stat(set->paths[i], &st) != 0) {
      for (int f = 0; f < FIELDS; f++) k[f] = NAN;
      moved[i] = 1;
      continue;
    }
    FieldsOf(&st, v);
    int same = 1;
    for (int f = 0; f < FIELDS; f++) if (k[f] != v[f]) same = 0; /* NaN differs from all */
    if (!same) {
      memcpy(k, v, sizeof v);
      moved[i] = 1;
    }
    if (fds != NULL && fds[i] != -1 && !ContentSame(fds[i], contents + (size_t)i * CONTENT)) moved[i] = 1;
  }
  return NULL;
}

/* Bytes a file may hold to be read whole by digest(): the sdk's SMALL_FILE_BYTES (context.ts). */
#define SMALL (256 * 1024)

/* OpenSSL 3's API as node exports it (EVP_MD is opaque). */
typedef struct evp_md_st EVP_MD;
typedef EVP_MD *(*MdFetch)(void *libctx, const char *algorithm, const char *properties);
typedef int (*Digest)(const void *data, size_t count, unsigned char *md, unsigned int *size, const EVP_MD *type, void *impl);

static const char *const DIGEST_NAMES[] = {"MD5", "SHA1", "SHA256"};
#define DIGESTS (sizeof DIGEST_NAMES / sizeof DIGEST_NAMES[0])

/* Resolved at the first digest(): 1 with both functions, -1 without (not node's OpenSSL 3). */
static int openssl_state;
static Digest evp_digest;
static EVP_MD *digest_md[DIGESTS];

/* The fetched digest `algorithm`, or NULL (no OpenSSL 3 in the process, or it refuses it). */
static const EVP_MD *DigestMd(int32_t algorithm) {
  if (algorithm < 0 || (size_t)algorithm >= DIGESTS) return NULL;
  if (openssl_state == 0) {
    MdFetch fetch = (MdFetch)dlsym(RTLD_DEFAULT, "EVP_MD_fetch");
    evp_digest = (Digest)dlsym(RTLD_DEFAULT, "EVP_Digest");
    openssl_state = fetch != NULL && evp_digest != NULL ? 1 : -1;
    if (openssl_state == 1)
      for (size_t i = 0; i < DIGESTS; i++) digest_md[i] = fetch(NULL, DIGEST_NAMES[i], NULL);
  }
  return openssl_state == 1 ? digest_md[algorithm] : NULL;
}

/* The buffer small files are read into: the event loop's thread is the only caller. */
static unsigned char small_file[SMALL + 1];

static napi_value DigestFile(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_value result;
  int32_t algorithm = -1;
  double stat_size = -1;
  char path[PATH_MAX];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3 ||
      napi_get_value_int32(env, argv[1], &algorithm) != napi_ok ||
      napi_get_value_double(env, argv[2], &stat_size) != napi_ok) {
    napi_throw_type_error(env, NULL, "digest(path, algorithm: 0 | 1 | 2, statSize: number)");
    return NULL;
  }
  const EVP_MD *md = DigestMd(algorithm);
  int code = -1;
  if (md == NULL || !PathOf(env, argv[0], path)) goto fail;
  /* Non-blocking: a fifo put in the file's place reads as empty, it does not hang the daemon. */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    code = errno;
    goto fail;
  }
  size_t size = 0;
  for (;;) {
    size_t wanted = sizeof small_file - size;
    ssize_t n = read(fd, small_file + size, wanted);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      code = errno;
      close(fd);
      goto fail;
    }
    if (n == 0) break;
    size += (size_t)n;
    if (size == sizeof small_file) {
      close(fd);
      napi_get_undefined(env, &result);
      return result;
    }
    /* Short exactly at the size its stat gave: the end, as Node's readFileSync trusts it. */
    if ((size_t)n < wanted && (double)size == stat_size) break;
  }
  close(fd);
  unsigned char digest[64];
  unsigned int length = 0;
  if (evp_digest(small_file, size, digest, &length, md, NULL) != 1 || length > sizeof digest) goto fail;
  static const char HEX[] = "0123456789abcdef";
  char hex[2 * sizeof digest];
  for (unsigned int i = 0; i < length; i++) {
    hex[2 * i] = HEX[digest[i] >> 4];
    hex[2 * i + 1] = HEX[digest[i] & 15];
  }
  napi_create_string_latin1(env, hex, 2 * (size_t)length, &result);
  return result;
fail:
  napi_create_int32(env, code, &result);
  return result;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_value fn, set, batch, digest;
  napi_create_function(env, "stat", NAPI_AUTO_LENGTH, Stat, NULL, &fn);
  napi_set_named_property(env, exports, "stat", fn);
  napi_create_function(env, "pathSet", NAPI_AUTO_LENGTH, PathSetNew, NULL, &set);
  napi_set_named_property(env, exports, "pathSet", set);
  napi_create_function(env, "statBatch", NAPI_AUTO_LENGTH, StatBatch, NULL, &batch);
  napi_set_named_property(env, exports, "statBatch", batch);
  napi_create_function(env, "digest", NAPI_AUTO_LENGTH, DigestFile, NULL, &digest);
  napi_set_named_property(env, exports, "digest", digest);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
