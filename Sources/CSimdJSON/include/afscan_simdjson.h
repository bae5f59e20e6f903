#pragma once
// Placeholder: the extern "C" API over simdjson is being written.
#ifdef __cplusplus
extern "C" {
#endif
int afj_placeholder(void);
#ifdef __cplusplus
}
#endif
