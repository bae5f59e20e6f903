// The extern "C" shim over simdjson's DOM API. See include/afscan_simdjson.h for the contract.
#include "afscan_simdjson.h"

#include <simdjson.h>

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <type_traits>

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

// Value and iterator handles are bit copies of simdjson's small, trivially copyable handle classes
// (each holds a `tape_ref`: a document pointer and a tape index).
static_assert(sizeof(element) == sizeof(afj_value), "afj_value must hold a dom::element");
static_assert(std::is_trivially_copyable<element>::value, "dom::element must be trivially copyable");
static_assert(sizeof(array::iterator) == 2 * sizeof(uint64_t), "afj_iter half must hold an array iterator");
static_assert(std::is_trivially_copyable<array::iterator>::value, "array iterator must be trivially copyable");
static_assert(sizeof(object::iterator) == 2 * sizeof(uint64_t), "afj_iter half must hold an object iterator");
static_assert(std::is_trivially_copyable<object::iterator>::value, "object iterator must be trivially copyable");
static_assert(sizeof(afj_iter) == 4 * sizeof(uint64_t), "afj_iter layout");

struct afj_parser {
    simdjson::dom::parser parser;
    explicit afj_parser(size_t max_capacity) : parser(max_capacity) {}
};

namespace {

template <typename T> inline T from_bits(const void *bits) {
    T out;
    std::memcpy(static_cast<void *>(&out), bits, sizeof(T));
    return out;
}
template <typename T> inline void to_bits(const T &value, void *bits) {
    std::memcpy(bits, static_cast<const void *>(&value), sizeof(T));
}

inline element unwrap(afj_value v) { return from_bits<element>(&v); }
inline afj_value wrap(const element &e) {
    afj_value v;
    to_bits(e, &v);
    return v;
}

// simdjson saturates immediate-child counts at 0xFFFFFF; past that we count by walking.
constexpr size_t kSaturatedCount = 0xFFFFFF;

const char *reason_for(simdjson::error_code code) {
    switch (code) {
    case simdjson::UTF8_ERROR: return "invalid_utf8";
    case simdjson::DEPTH_ERROR: return "depth_exceeded";
    case simdjson::EMPTY: return "empty";
    case simdjson::CAPACITY: return "capacity";
    case simdjson::MEMALLOC: return "memory";
    case simdjson::TAPE_ERROR:
    case simdjson::STRING_ERROR:
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR:
    case simdjson::NUMBER_ERROR:
    case simdjson::UNESCAPED_CHARS:
    case simdjson::UNCLOSED_STRING:
    case simdjson::NUMBER_OUT_OF_RANGE:
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
    case simdjson::TRAILING_CONTENT:
        return "invalid_json";
    default: return "internal";
    }
}

} // namespace

extern "C" {

size_t afj_padding(void) { return simdjson::SIMDJSON_PADDING; }

afj_parser *afj_parser_new(size_t max_capacity) {
    return new (std::nothrow) afj_parser(max_capacity);
}

void afj_parser_free(afj_parser *parser) { delete parser; }

int afj_parse(afj_parser *parser, const uint8_t *buf, size_t len, int has_padding, afj_value *out_root,
              afj_error *err) {
    element root;
    simdjson::error_code code = parser->parser.parse(buf, len, /*realloc_if_needed=*/has_padding == 0).get(root);
    if (code != simdjson::SUCCESS) {
        err->code = static_cast<int>(code);
        err->reason = reason_for(code);
        err->message = simdjson::error_message(code);
        return 1;
    }
    *out_root = wrap(root);
    return 0;
}

afj_kind afj_type(afj_value v) {
    switch (unwrap(v).type()) {
    case simdjson::dom::element_type::OBJECT: return AFJ_OBJECT;
    case simdjson::dom::element_type::ARRAY: return AFJ_ARRAY;
    case simdjson::dom::element_type::STRING: return AFJ_STRING;
    case simdjson::dom::element_type::INT64: return AFJ_INT64;
    case simdjson::dom::element_type::UINT64: return AFJ_UINT64;
    case simdjson::dom::element_type::DOUBLE: return AFJ_DOUBLE;
    case simdjson::dom::element_type::BOOL: return AFJ_BOOL;
    case simdjson::dom::element_type::NULL_VALUE: return AFJ_NULL;
    }
    return AFJ_NULL;
}

int afj_object_find(afj_value v, const char *key, size_t key_len, afj_value *out) {
    object obj;
    if (unwrap(v).get_object().get(obj) != simdjson::SUCCESS) { return 0; }
    element found;
    if (obj.at_key(std::string_view(key, key_len)).get(found) != simdjson::SUCCESS) { return 0; }
    *out = wrap(found);
    return 1;
}

size_t afj_object_count(afj_value v) {
    object obj;
    if (unwrap(v).get_object().get(obj) != simdjson::SUCCESS) { return 0; }
    size_t n = obj.size();
    if (n < kSaturatedCount) { return n; }
    n = 0;
    for (auto it = obj.begin(); it != obj.end(); ++it) { ++n; }
    return n;
}

int afj_object_iter_init(afj_value v, afj_iter *it) {
    object obj;
    if (unwrap(v).get_object().get(obj) != simdjson::SUCCESS) { return 0; }
    to_bits(obj.begin(), &it->cur_a);
    to_bits(obj.end(), &it->end_a);
    return 1;
}

int afj_object_iter_next(afj_iter *it, const char **key, size_t *key_len, afj_value *value) {
    auto cur = from_bits<object::iterator>(&it->cur_a);
    auto end = from_bits<object::iterator>(&it->end_a);
    if (!(cur != end)) { return 0; }
    std::string_view k = cur.key();
    *key = k.data();
    *key_len = k.size();
    *value = wrap(cur.value());
    ++cur;
    to_bits(cur, &it->cur_a);
    return 1;
}

size_t afj_array_count(afj_value v) {
    array arr;
    if (unwrap(v).get_array().get(arr) != simdjson::SUCCESS) { return 0; }
    size_t n = arr.size();
    if (n < kSaturatedCount) { return n; }
    n = 0;
    for (auto it = arr.begin(); it != arr.end(); ++it) { ++n; }
    return n;
}

int afj_array_at(afj_value v, size_t index, afj_value *out) {
    array arr;
    if (unwrap(v).get_array().get(arr) != simdjson::SUCCESS) { return 0; }
    element found;
    if (arr.at(index).get(found) != simdjson::SUCCESS) { return 0; }
    *out = wrap(found);
    return 1;
}

int afj_array_iter_init(afj_value v, afj_iter *it) {
    array arr;
    if (unwrap(v).get_array().get(arr) != simdjson::SUCCESS) { return 0; }
    to_bits(arr.begin(), &it->cur_a);
    to_bits(arr.end(), &it->end_a);
    return 1;
}

int afj_array_iter_next(afj_iter *it, afj_value *value) {
    auto cur = from_bits<array::iterator>(&it->cur_a);
    auto end = from_bits<array::iterator>(&it->end_a);
    if (!(cur != end)) { return 0; }
    *value = wrap(*cur);
    ++cur;
    to_bits(cur, &it->cur_a);
    return 1;
}

int afj_get_string(afj_value v, const char **bytes, size_t *len) {
    std::string_view s;
    if (unwrap(v).get_string().get(s) != simdjson::SUCCESS) { return 0; }
    *bytes = s.data();
    *len = s.size();
    return 1;
}

int afj_get_int64(afj_value v, int64_t *out) {
    return unwrap(v).get_int64().get(*out) == simdjson::SUCCESS ? 1 : 0;
}

int afj_get_uint64(afj_value v, uint64_t *out) {
    return unwrap(v).get_uint64().get(*out) == simdjson::SUCCESS ? 1 : 0;
}

int afj_get_double(afj_value v, double *out) {
    return unwrap(v).get_double().get(*out) == simdjson::SUCCESS ? 1 : 0;
}

int afj_get_bool(afj_value v, int *out) {
    bool b = false;
    if (unwrap(v).get_bool().get(b) != simdjson::SUCCESS) { return 0; }
    *out = b ? 1 : 0;
    return 1;
}

char *afj_minify(afj_value v, size_t *len) {
    std::string text;
    try {
        text = simdjson::minify(unwrap(v));
    } catch (...) {
        return nullptr;
    }
    char *buffer = static_cast<char *>(std::malloc(text.size() > 0 ? text.size() : 1));
    if (buffer == nullptr) { return nullptr; }
    std::memcpy(buffer, text.data(), text.size());
    *len = text.size();
    return buffer;
}

void afj_free_buffer(char *buffer) { std::free(buffer); }

} // extern "C"
