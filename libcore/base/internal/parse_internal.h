/* Private to libcore: pieces of parse.c that other libcore modules reuse. */
#ifndef EXSOL_PARSE_INTERNAL_H
#define EXSOL_PARSE_INTERNAL_H

#include <stddef.h>

/* Length of the decimal number [+-]?(d+[.d*]|.d+)([eE][+-]?d+)? at the start of
 * p[0..n), 0 if there is none. Hex floats, nan and inf are never matched. */
size_t exsol_parse_scan_number(const char *p, size_t n);

#endif
