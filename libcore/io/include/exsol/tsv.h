/* The one TSV/CSV formatter of exsol-table and exsol-rank: builds a line field by
 * field in a growable buffer (escaping text, "NA" for missing numbers) and hands it
 * to a stream with fwrite. Lines are the same bytes whichever tool writes them:
 *   TSV: fields separated by a tab; a tab, newline or carriage return inside a text
 *        field becomes a space.
 *   CSV: fields separated by a comma; a field holding a comma, quote, CR or LF is
 *        quoted, with quotes doubled (RFC 4180).
 * Numbers: EXSOL_TSV_EXACT prints the fewest digits that read back exactly
 * (exsol_format_double); EXSOL_TSV_G6 prints "%.6g" with "inf"/"-inf". NaN is "NA".
 * Nothing here prints on its own: exsol_tsv_write writes to the caller's stream. */
#ifndef EXSOL_TSV_H
#define EXSOL_TSV_H

#include <stddef.h>
#include <stdio.h>

enum exsol_tsv_format { EXSOL_TSV = 0, EXSOL_CSV = 1 };
enum exsol_tsv_number { EXSOL_TSV_EXACT = 0, EXSOL_TSV_G6 = 1 };

struct exsol_tsv {
    enum exsol_tsv_format format;
    enum exsol_tsv_number number;
    char *buf;
    size_t len, cap;
    size_t nfields; /* fields on the current line */
    int oom;        /* an append failed: exsol_tsv_write returns EXSOL_ENOMEM */
};

void exsol_tsv_init(struct exsol_tsv *t, enum exsol_tsv_format format,
                    enum exsol_tsv_number number);
void exsol_tsv_release(struct exsol_tsv *t);

/* One field each; the separator is added before every field but the first of a line. */
void exsol_tsv_text(struct exsol_tsv *t, const char *s);
void exsol_tsv_double(struct exsol_tsv *t, double v);
void exsol_tsv_long(struct exsol_tsv *t, long v);
/* Ends the line ('\n'); the next field is the first of a new line. */
void exsol_tsv_endl(struct exsol_tsv *t);

/* Writes what has been built to fp and empties the buffer. EXSOL_ENOMEM if an append
 * failed, EXSOL_EIO if fwrite fails, else 0. */
int exsol_tsv_write(struct exsol_tsv *t, FILE *fp);

#endif
