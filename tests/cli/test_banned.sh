#!/usr/bin/env bash
# exsol/banned.h: with the compile option libcore and the tools use, each banned libc
# call is a compile error naming the replacement, a bounded call still compiles, and a
# source that defines _DEFAULT_SOURCE before its includes still gets its declarations.
set -u
SRC=${EXSOL_SRC:?}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
probe() { # name, body; compiles like a libcore file
    printf '#define _DEFAULT_SOURCE\n#include <stdio.h>\n#include <string.h>\n#include <stdarg.h>\nint exsol_probe(char *d, const char *s, va_list ap);\nint exsol_probe(char *d, const char *s, va_list ap)\n{\n    (void)d; (void)s; (void)ap;\n    %s\n}\n' "$2" >"$T/$1.c"
    cc -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes \
        -Werror -I"$SRC/libcore/base/include" -include exsol/banned.h -c -o "$T/$1.o" "$T/$1.c" 2>"$T/$1.err"
}
for call in 'strcpy(d, s)' 'strcat(d, s)' 'strncpy(d, s, 4)' 'strncat(d, s, 4)' \
            'sprintf(d, "%s", s)' 'vsprintf(d, s, ap)' 'gets(d)'; do
    fn=${call%%(*}
    if probe "$fn" "return $call != 0;"; then bad "$fn compiles"
    elif grep -q "$fn is banned" "$T/$fn.err"; then ok "$fn is a compile error"
    else bad "$fn fails without the banned.h message: $(head -3 "$T/$fn.err")"; fi
done
probe bounded 'return snprintf(d, 8, "%s", s) + vsnprintf(d, 8, s, ap) + (memcpy(d, s, 1) != 0);' \
    && ok "snprintf, vsnprintf and memcpy compile" || { bad "bounded calls do not compile"; cat "$T/bounded.err"; }
probe feature 'return strlen(strdup(s)) > 0 && fileno(stdin) >= 0;' \
    && ok "_DEFAULT_SOURCE before the includes still works" || { bad "_DEFAULT_SOURCE"; cat "$T/feature.err"; }
n=$(grep -rnE '\b(strcpy|strcat|strncpy|strncat|sprintf|vsprintf|gets)\(' "$SRC/libcore" "$SRC/tools" \
    --include='*.c' --include='*.h' | grep -v 'libcore/base/include/exsol/banned.h' | grep -cvE 'snprintf|vsnprintf' || true)
[ "$n" = 0 ] && ok "no banned call in libcore or tools" || bad "$n banned calls in libcore or tools"
exit $fail
