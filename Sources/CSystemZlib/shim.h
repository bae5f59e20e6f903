// Exposes system zlib (Debian: zlib1g-dev) for gzip inputs and CRC-32 checks. (Not named CZlib:
// ZIPFoundation has a module of that name.)
#include <zlib.h>
