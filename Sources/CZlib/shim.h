// Exposes system zlib (Debian: zlib1g-dev) for gzip inputs.
#include <zlib.h>
