/* The TSV/CSV line formatter (tsv.h). */
#include "exsol/tsv.h"

#include "exsol/error.h"
#include "exsol/parse.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void exsol_tsv_init(struct exsol_tsv *t, enum exsol_tsv_format format,
                    enum exsol_tsv_number number)
{
    memset(t, 0, sizeof *t);
    t->format = format;
    t->number = number;
}

void exsol_tsv_release(struct exsol_tsv *t)
{
    free(t->buf);
    t->buf = NULL;
    t->len = t->cap = 0;
}

static void put(struct exsol_tsv *t, const char *s, size_t n)
{
    if (t->oom)
        return;
    if (t->len + n > t->cap) {
        size_t cap = t->cap ? t->cap : 4096;
        while (cap < t->len + n)
            cap *= 2;
        char *b = realloc(t->buf, cap);
        if (!b) {
            t->oom = 1;
            return;
        }
        t->buf = b;
        t->cap = cap;
    }
    memcpy(t->buf + t->len, s, n);
    t->len += n;
}

static void putc1(struct exsol_tsv *t, char c)
{
    put(t, &c, 1);
}

static void sep(struct exsol_tsv *t)
{
    if (t->nfields++)
        putc1(t, t->format == EXSOL_CSV ? ',' : '\t');
}

void exsol_tsv_text(struct exsol_tsv *t, const char *s)
{
    sep(t);
    if (t->format == EXSOL_CSV) {
        if (strpbrk(s, ",\"\r\n") == NULL) {
            put(t, s, strlen(s));
            return;
        }
        putc1(t, '"');
        for (; *s; s++) {
            if (*s == '"')
                putc1(t, '"');
            putc1(t, *s);
        }
        putc1(t, '"');
        return;
    }
    for (; *s; s++)
        putc1(t, *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

void exsol_tsv_double(struct exsol_tsv *t, double v)
{
    char num[64];
    if (isnan(v))
        snprintf(num, sizeof num, "NA");
    else if (t->number == EXSOL_TSV_G6 && isinf(v))
        snprintf(num, sizeof num, "%s", v > 0 ? "inf" : "-inf");
    else if (t->number == EXSOL_TSV_G6)
        snprintf(num, sizeof num, "%.6g", v);
    else
        exsol_format_double(v, num, sizeof num);
    exsol_tsv_text(t, num);
}

void exsol_tsv_long(struct exsol_tsv *t, long v)
{
    char num[32];
    snprintf(num, sizeof num, "%ld", v);
    exsol_tsv_text(t, num);
}

void exsol_tsv_endl(struct exsol_tsv *t)
{
    putc1(t, '\n');
    t->nfields = 0;
}

int exsol_tsv_write(struct exsol_tsv *t, FILE *fp)
{
    if (t->oom)
        return EXSOL_ENOMEM;
    size_t n = t->len;
    t->len = 0;
    if (n && fwrite(t->buf, 1, n, fp) != n)
        return EXSOL_EIO;
    return 0;
}
