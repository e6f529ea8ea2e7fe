/* libFuzzer target: exsol_parse_list (and exsol_parse_double) on arbitrary bytes,
 * for every quantity kind. Built with -DEXSOL_FUZZ=ON and clang. */
#include "exsol/parse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096)
        return 0;
    /* first byte picks the kind, the rest is the text (NUL-terminated copy) */
    enum exsol_qty_kind kind = (enum exsol_qty_kind)(data[0] % (EXSOL_QTY_NUMBER + 1));
    char *s = malloc(size);
    if (!s)
        return 0;
    memcpy(s, data + 1, size - 1);
    s[size - 1] = '\0';
    char err[256];
    double *v = NULL;
    size_t n = 0;
    if (exsol_parse_list(s, kind, EXSOL_P_TOTAL_DEFAULT_PA, &v, &n, err, sizeof err) == 0) {
        if (n == 0 || n > EXSOL_LIST_MAX)
            abort();
        for (size_t i = 0; i < n; i++)
            if (v[i] != v[i]) /* never NaN */
                abort();
        free(v);
    }
    double d;
    if (exsol_parse_double(s, &d, err, sizeof err) == 0) {
        char buf[40];
        exsol_format_double(d, buf, sizeof buf);
        double back;
        if (exsol_parse_double(buf, &back, err, sizeof err) != 0 || back != d)
            abort(); /* formatting must round-trip */
    }
    free(s);
    return 0;
}
