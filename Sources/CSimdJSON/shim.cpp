#include "afscan_simdjson.h"
#include <simdjson.h>
extern "C" int afj_placeholder(void) { return (int)simdjson::SIMDJSON_PADDING; }
