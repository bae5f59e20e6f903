// Exposes libzstd's stable API plus the static-only helpers afscan needs
// (ZSTD_isSkippableFrame, ZSTD_getFrameHeader for window sizes).
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>
#include <zstd_errors.h>
