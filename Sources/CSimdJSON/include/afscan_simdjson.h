#pragma once
// A small C ABI over simdjson's DOM API (libsimdjson 3.x), so that C++ stays inside this target.
//
// Ownership and lifetimes
// - An `afj_parser` owns simdjson's document (tape + unescaped string buffer). It is not thread-safe:
//   use one parser per thread.
// - An `afj_value` is a 16-byte borrowed handle into the parser's current document. It, and every string
//   pointer obtained from it, stays valid until the next `afj_parse*` call on the same parser or until
//   `afj_parser_free`. The input buffer is NOT referenced after `afj_parse*` returns (strings are unescaped
//   into the parser's own buffer).
// - Byte lengths are in bytes of UTF-8; strings are not NUL-terminated (they may contain U+0000).
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Opaque parser handle.
typedef struct afj_parser afj_parser;

/// A borrowed JSON value (a bit copy of `simdjson::dom::element`). Treat as opaque.
typedef struct afj_value {
    uint64_t a;
    uint64_t b;
} afj_value;

/// An iterator over an array's elements or an object's fields (bit copies of simdjson's iterators).
typedef struct afj_iter {
    uint64_t cur_a, cur_b;
    uint64_t end_a, end_b;
} afj_iter;

/// The type of a value. Integers that fit in int64 are AFJ_INT64; larger non-negative ones AFJ_UINT64.
typedef enum afj_kind {
    AFJ_OBJECT = 0,
    AFJ_ARRAY = 1,
    AFJ_STRING = 2,
    AFJ_INT64 = 3,
    AFJ_UINT64 = 4,
    AFJ_DOUBLE = 5,
    AFJ_BOOL = 6,
    AFJ_NULL = 7,
} afj_kind;

/// A parse failure. `reason` is a stable snake_case token (`invalid_json`, `invalid_utf8`,
/// `depth_exceeded`, `empty`, `capacity`, `memory`, `internal`); `message` is simdjson's own text.
/// Both point to static strings. `code` is simdjson's `error_code` value.
typedef struct afj_error {
    int code;
    const char *reason;
    const char *message;
} afj_error;

/// The number of readable bytes (of any value) simdjson needs after the end of the input for a
/// zero-copy parse: SIMDJSON_PADDING (64 in simdjson 3.0.1).
size_t afj_padding(void);

/// A new parser that accepts documents of at most `max_capacity` bytes. NULL on allocation failure.
afj_parser *afj_parser_new(size_t max_capacity);
void afj_parser_free(afj_parser *parser);

/// Parses and fully validates one JSON document (`buf[0..<len]`; leading/trailing whitespace allowed,
/// any other trailing content rejected). When `has_padding` is nonzero the caller guarantees that
/// `afj_padding()` bytes after `buf + len` are readable and the buffer is parsed in place; otherwise it
/// is copied into a reusable padded buffer owned by the parser.
/// Returns 0 and sets `*out_root` on success; returns nonzero and fills `*err` on failure.
int afj_parse(afj_parser *parser, const uint8_t *buf, size_t len, int has_padding,
              afj_value *out_root, afj_error *err);

afj_kind afj_type(afj_value v);

/// Object field lookup by raw key bytes (exact byte comparison, first match). Returns 1 and sets
/// `*out` when found; 0 when absent or when `v` is not an object.
int afj_object_find(afj_value v, const char *key, size_t key_len, afj_value *out);
/// The number of fields of an object (0 when `v` is not an object).
size_t afj_object_count(afj_value v);
/// Starts iterating an object's fields. Returns 0 when `v` is not an object.
int afj_object_iter_init(afj_value v, afj_iter *it);
/// Produces the next field: returns 1 and sets key bytes/length and value, or 0 at the end.
int afj_object_iter_next(afj_iter *it, const char **key, size_t *key_len, afj_value *value);

/// The number of elements of an array (0 when `v` is not an array). Exact (not saturated).
size_t afj_array_count(afj_value v);
/// Element `index` (0-based; linear time). Returns 1 and sets `*out`, or 0 when out of bounds / not an array.
int afj_array_at(afj_value v, size_t index, afj_value *out);
/// Starts iterating an array's elements. Returns 0 when `v` is not an array.
int afj_array_iter_init(afj_value v, afj_iter *it);
/// Produces the next element: returns 1 and sets `*value`, or 0 at the end.
int afj_array_iter_next(afj_iter *it, afj_value *value);

/// The unescaped UTF-8 bytes of a string value. Returns 0 when `v` is not a string.
int afj_get_string(afj_value v, const char **bytes, size_t *len);
/// Returns 0 when `v` is not an integer that fits in int64.
int afj_get_int64(afj_value v, int64_t *out);
/// Returns 0 when `v` is not a non-negative integer that fits in uint64.
int afj_get_uint64(afj_value v, uint64_t *out);
/// Any number as a double. Returns 0 when `v` is not a number.
int afj_get_double(afj_value v, double *out);
/// Returns 0 when `v` is not a boolean.
int afj_get_bool(afj_value v, int *out);

/// Compact JSON text of `v` (simdjson's `minify`). Returns a malloc'd buffer of `*len` bytes (not
/// NUL-terminated) that the caller frees with `afj_free_buffer`, or NULL on allocation failure.
char *afj_minify(afj_value v, size_t *len);
void afj_free_buffer(char *buffer);

#ifdef __cplusplus
}
#endif
