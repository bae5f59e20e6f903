// Vectorscan (Debian libvectorscan-dev) exposes the Hyperscan 5.4 API; pkg-config libhs adds -I/usr/include/hs.
#include <hs.h>
