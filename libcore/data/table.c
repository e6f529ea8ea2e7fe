/* CSV tables from datasets/ and the unit conversions their `unit` column needs.
 *
 * Parsing rules (RFC 4180 plus what hand-edited tables need): fields separated by
 * commas; a field may be double-quoted, then it may hold commas, newlines and ""
 * for a quote; unquoted fields are trimmed of surrounding blanks; lines whose first
 * non-blank character is '#' and blank lines are skipped (outside quotes); CRLF
 * and a UTF-8 byte-order mark are accepted. The first record is the header. Every
 * record must have as many fields as the header: a short row is far more often a
 * mistake than an intended empty cell, so it is an error naming the line.
 *
 * All cell text lives in one buffer; cells are pointers into it. */
#include "exsol/table.h"

#include "exsol/constants.h"
#include "exsol/error.h"
#include "exsol/parse.h"
#include "grow.h"
#include "table_internal.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct exsol_table {
    char *name;
    size_t nrows, ncols;
    char *text;   /* all cells, NUL-separated */
    char **cells; /* (nrows + 1) * ncols: header row first */
    size_t *line; /* source line of each data row, for messages */
};

/* ---- growable buffers ------------------------------------------------ */

struct sbuf {
    char *p;
    size_t n, cap;
};

static int sbuf_putc(struct sbuf *b, char c)
{
    if (exsol_grow((void **)&b->p, &b->cap, b->n, 1))
        return EXSOL_ENOMEM;
    b->p[b->n++] = c;
    return EXSOL_OK;
}

struct offvec {
    size_t *v;
    size_t n, cap;
};

static int offvec_push(struct offvec *o, size_t x)
{
    if (exsol_grow((void **)&o->v, &o->cap, o->n, sizeof *o->v))
        return EXSOL_ENOMEM;
    o->v[o->n++] = x;
    return EXSOL_OK;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* ---- parsing --------------------------------------------------------- */

int exsol_table_parse(const char *name, const char *text, size_t len, exsol_table **out,
                      char *err, size_t errlen)
{
    struct sbuf buf = {NULL, 0, 0};
    struct offvec cells = {NULL, 0, 0}; /* offsets into buf of every cell */
    struct offvec lines = {NULL, 0, 0}; /* start line of every record */
    exsol_table *t = NULL;
    int rc = EXSOL_OK;
    size_t ncols = 0, line = 1;
    const char *p = text, *end = text + len;

    if (!name)
        name = "(unnamed)";
    if (!text && len)
        return exsol_seterr(err, errlen, EXSOL_EDATASET, "table '%s': no text", name);
    if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
        p += 3;

    while (p < end) {
        /* skip blank and comment lines */
        const char *q = p;
        while (q < end && is_blank(*q))
            q++;
        if (q == end)
            break;
        if (*q == '\n' || *q == '#') {
            while (q < end && *q != '\n')
                q++;
            p = q < end ? q + 1 : q;
            line++;
            continue;
        }
        /* one record */
        size_t rec_line = line, nfields = 0;
        for (;;) {
            while (p < end && is_blank(*p) && *p != '\r')
                p++;
            if ((rc = offvec_push(&cells, buf.n)))
                goto nomem;
            if (p < end && *p == '"') {
                p++;
                for (;;) {
                    if (p == end) {
                        rc = exsol_seterr(err, errlen, EXSOL_EDATASET,
                                          "table '%s' line %zu: unterminated quote", name,
                                          rec_line);
                        goto cleanup;
                    }
                    if (*p == '"') {
                        if (p + 1 < end && p[1] == '"') {
                            p += 2;
                            if ((rc = sbuf_putc(&buf, '"')))
                                goto nomem;
                            continue;
                        }
                        p++;
                        break;
                    }
                    if (*p == '\0') {
                        rc = exsol_seterr(err, errlen, EXSOL_EDATASET,
                                          "table '%s' line %zu: NUL byte", name, line);
                        goto cleanup;
                    }
                    if (*p == '\n')
                        line++;
                    if (*p == '\r' && p + 1 < end && p[1] == '\n') {
                        p++; /* CRLF inside quotes becomes LF */
                        continue;
                    }
                    if ((rc = sbuf_putc(&buf, *p++)))
                        goto nomem;
                }
                while (p < end && is_blank(*p))
                    p++;
                if (p < end && *p != ',' && *p != '\n') {
                    rc = exsol_seterr(err, errlen, EXSOL_EDATASET,
                                      "table '%s' line %zu: text after closing quote", name,
                                      line);
                    goto cleanup;
                }
            } else {
                size_t start = buf.n;
                while (p < end && *p != ',' && *p != '\n') {
                    if (*p == '\0') {
                        rc = exsol_seterr(err, errlen, EXSOL_EDATASET,
                                          "table '%s' line %zu: NUL byte", name, line);
                        goto cleanup;
                    }
                    if (*p == '"') {
                        rc = exsol_seterr(err, errlen, EXSOL_EDATASET,
                                          "table '%s' line %zu: quote inside an unquoted "
                                          "field",
                                          name, line);
                        goto cleanup;
                    }
                    if ((rc = sbuf_putc(&buf, *p++)))
                        goto nomem;
                }
                while (buf.n > start && is_blank(buf.p[buf.n - 1]))
                    buf.n--;
            }
            if ((rc = sbuf_putc(&buf, '\0')))
                goto nomem;
            nfields++;
            if (p < end && *p == ',') {
                p++;
                continue;
            }
            break; /* newline or end of text */
        }
        if (p < end) {
            p++; /* the newline */
            line++;
        }
        if (ncols == 0) {
            ncols = nfields;
        } else if (nfields != ncols) {
            rc = exsol_seterr(err, errlen, EXSOL_EDATASET,
                              "table '%s' line %zu: %zu fields, the header has %zu", name,
                              rec_line, nfields, ncols);
            goto cleanup;
        }
        if ((rc = offvec_push(&lines, rec_line)))
            goto nomem;
    }
    if (ncols == 0) {
        rc = exsol_seterr(err, errlen, EXSOL_EDATASET, "table '%s' has no header", name);
        goto cleanup;
    }

    t = calloc(1, sizeof *t);
    if (!t)
        goto nomem;
    t->ncols = ncols;
    t->nrows = lines.n - 1;
    t->name = strdup(name);
    t->text = buf.p;
    buf.p = NULL;
    t->cells = malloc(cells.n * sizeof *t->cells);
    t->line = malloc((t->nrows ? t->nrows : 1) * sizeof *t->line);
    if (!t->name || !t->cells || !t->line || !t->text)
        goto nomem;
    for (size_t i = 0; i < cells.n; i++)
        t->cells[i] = t->text + cells.v[i];
    for (size_t r = 0; r < t->nrows; r++)
        t->line[r] = lines.v[r + 1];
    /* header names: non-empty and unique */
    for (size_t c = 0; c < ncols; c++) {
        if (t->cells[c][0] == '\0') {
            rc = exsol_seterr(err, errlen, EXSOL_EDATASET,
                              "table '%s': header column %zu has no name", name, c + 1);
            goto cleanup;
        }
        for (size_t k = 0; k < c; k++)
            if (strcmp(t->cells[c], t->cells[k]) == 0) {
                rc = exsol_seterr(err, errlen, EXSOL_EDATASET,
                                  "table '%s': duplicate column '%s'", name, t->cells[c]);
                goto cleanup;
            }
    }
    *out = t;
    t = NULL;
    goto cleanup;

nomem:
    rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory reading table '%s'", name);
cleanup:
    exsol_table_free(t);
    free(buf.p);
    free(cells.v);
    free(lines.v);
    return rc;
}

void exsol_table_free(exsol_table *t)
{
    if (!t)
        return;
    free(t->name);
    free(t->text);
    free(t->cells);
    free(t->line);
    free(t);
}

/* ---- loading --------------------------------------------------------- */

static int valid_table_name(const char *name)
{
    if (!name || !name[0] || name[0] == '.')
        return 0;
    for (const char *c = name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
              (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' || *c == '.'))
            return 0;
    return 1;
}

/* Reads a whole file. Returns 0, or errno (ENOENT when absent). */
static int slurp(const char *path, char **text, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return errno ? errno : EIO;
    char *b = NULL;
    size_t n = 0, cap = 0;
    int e = 0;
    for (;;) {
        if (n == cap) {
            size_t ncap = cap ? 2 * cap : 65536;
            char *nb = realloc(b, ncap + 1);
            if (!nb) {
                e = ENOMEM;
                break;
            }
            b = nb;
            cap = ncap;
        }
        size_t got = fread(b + n, 1, cap - n, fp);
        n += got;
        if (got == 0) {
            if (ferror(fp))
                e = EIO;
            break;
        }
    }
    fclose(fp);
    if (e) {
        free(b);
        return e;
    }
    if (!b && !(b = malloc(1)))
        return ENOMEM;
    b[n] = '\0';
    *text = b;
    *len = n;
    return 0;
}

/* Whether folder dir holds at least one NAME.csv (or cannot be listed: then the
 * table reads say why). */
static int has_csv(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 1;
    struct dirent *e;
    int found = 0;
    while (!found && (e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        found = l > 4 && e->d_name[0] != '.' && strcmp(e->d_name + l - 4, ".csv") == 0;
    }
    closedir(d);
    return found;
}

int exsol_table_load(const char *name, exsol_table **out, char *err, size_t errlen)
{
    if (!valid_table_name(name))
        return exsol_seterr(err, errlen, EXSOL_EDATASET, "invalid table name '%s'",
                            name ? name : "(null)");
    /* A user's copy in EXSOL_DATADIR wins; tables absent there come from the
     * embedded set, so a user can override one table without copying them all. */
    const char *dir = getenv("EXSOL_DATADIR");
    if (dir && dir[0]) {
        /* a mistyped folder would otherwise fall back to the embedded tables unnoticed */
        struct stat st;
        int se = stat(dir, &st) != 0 ? errno : (S_ISDIR(st.st_mode) ? 0 : ENOTDIR);
        if (se)
            return exsol_seterr(err, errlen, EXSOL_EDATASET,
                                "EXSOL_DATADIR '%s' is not a folder: %s", dir, strerror(se));
        /* nor does a folder with no table at all (a wrong folder, a failed copy) */
        if (!has_csv(dir))
            return exsol_seterr(err, errlen, EXSOL_EDATASET,
                                "EXSOL_DATADIR '%s' holds no table (*.csv); unset it to use "
                                "the built-in datasets",
                                dir);
        size_t plen = strlen(dir) + strlen(name) + 6;
        char *path = malloc(plen);
        if (!path)
            return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        snprintf(path, plen, "%s/%s.csv", dir, name);
        char *text = NULL;
        size_t len = 0;
        int e = slurp(path, &text, &len);
        if (e == 0) {
            int rc = exsol_table_parse(path, text, len, out, err, errlen);
            free(text);
            if (rc == EXSOL_OK) {
                /* messages and lookups use the short name, not the path */
                char *nm = strdup(name);
                if (!nm) {
                    exsol_table_free(*out);
                    *out = NULL;
                    free(path);
                    return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
                }
                free((*out)->name);
                (*out)->name = nm;
            }
            free(path);
            return rc;
        }
        if (e != ENOENT) {
            int rc = exsol_seterr(err, errlen, EXSOL_EDATASET, "cannot read table '%s': %s",
                                  path, strerror(e));
            free(path);
            return rc;
        }
        free(path);
    }
    for (const struct exsol_embedded_dataset *d = exsol_embedded_datasets; d->name; d++)
        if (strcmp(d->name, name) == 0)
            return exsol_table_parse(name, d->text, d->len, out, err, errlen);
    return exsol_seterr(err, errlen, EXSOL_EDATASET, "no table '%s' in datasets/%s", name,
                        dir && dir[0] ? " or EXSOL_DATADIR" : "");
}

/* ---- access ---------------------------------------------------------- */

const char *exsol_table_name(const exsol_table *t)
{
    return t ? t->name : NULL;
}
size_t exsol_table_nrows(const exsol_table *t)
{
    return t ? t->nrows : 0;
}
size_t exsol_table_ncols(const exsol_table *t)
{
    return t ? t->ncols : 0;
}

int exsol_table_col(const exsol_table *t, const char *colname)
{
    if (!t || !colname)
        return -1;
    for (size_t c = 0; c < t->ncols; c++)
        if (strcmp(t->cells[c], colname) == 0)
            return (int)c;
    return -1;
}

const char *exsol_table_cell(const exsol_table *t, size_t row, int col)
{
    if (!t || row >= t->nrows || col < 0 || (size_t)col >= t->ncols)
        return NULL;
    return t->cells[(row + 1) * t->ncols + (size_t)col];
}

#define FIND_MAX_KEYS 16

static long find_va(const exsol_table *t, va_list ap)
{
    int cols[FIND_MAX_KEYS];
    const char *vals[FIND_MAX_KEYS];
    int nk = 0;
    const char *col;
    while ((col = va_arg(ap, const char *)) != NULL) {
        const char *val = va_arg(ap, const char *);
        if (nk == FIND_MAX_KEYS || !t || !val)
            return -1;
        cols[nk] = exsol_table_col(t, col);
        if (cols[nk] < 0)
            return -1;
        vals[nk++] = val;
    }
    if (!t)
        return -1;
    for (size_t r = 0; r < t->nrows; r++) {
        int k = 0;
        while (k < nk && strcmp(exsol_table_cell(t, r, cols[k]), vals[k]) == 0)
            k++;
        if (k == nk)
            return (long)r;
    }
    return -1;
}

long exsol_table_find(const exsol_table *t, ...)
{
    va_list ap;
    va_start(ap, t);
    long r = find_va(t, ap);
    va_end(ap);
    return r;
}

/* "ion=Ni, charge=2" for messages. */
static void describe_keys(char *buf, size_t n, va_list ap)
{
    size_t used = 0;
    const char *col;
    buf[0] = '\0';
    int k = 0;
    while ((col = va_arg(ap, const char *)) != NULL && k < FIND_MAX_KEYS) {
        const char *val = va_arg(ap, const char *);
        int w =
            snprintf(buf + used, n - used, "%s%s=%s", k ? ", " : "", col, val ? val : "(null)");
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
        k++;
    }
}

int exsol_table_value(const exsol_table *t, double *si, char *err, size_t errlen, ...)
{
    va_list ap, ap2;
    va_start(ap, errlen);
    va_copy(ap2, ap);
    long r = find_va(t, ap);
    va_end(ap);
    char keys[256];
    describe_keys(keys, sizeof keys, ap2);
    va_end(ap2);
    if (!t)
        return exsol_seterr(err, errlen, EXSOL_EDATASET, "no table");
    if (r < 0)
        return exsol_seterr(err, errlen, EXSOL_EUNKNOWN, "no row with %s in table '%s'", keys,
                            t->name);
    int vc = exsol_table_col(t, "value"), uc = exsol_table_col(t, "unit");
    if (vc < 0)
        return exsol_seterr(err, errlen, EXSOL_EDATASET, "table '%s' has no 'value' column",
                            t->name);
    const char *vs = exsol_table_cell(t, (size_t)r, vc);
    const char *us = uc >= 0 ? exsol_table_cell(t, (size_t)r, uc) : "";
    double v;
    char perr[256];
    if (exsol_parse_double(vs, &v, perr, sizeof perr))
        return exsol_seterr(err, errlen, EXSOL_EDATASET, "table '%s' line %zu (%s): %s",
                            t->name, t->line[r], keys, perr);
    if (exsol_unit_to_si(us, v, si, NULL))
        return exsol_seterr(err, errlen, EXSOL_EDATASET,
                            "table '%s' line %zu (%s): unknown unit '%s'", t->name, t->line[r],
                            keys, us);
    return EXSOL_OK;
}

/* ---- units ----------------------------------------------------------- */

#define AMU_KG 1.66053906660e-27      /* CODATA 2018 */
#define FOUR_PI 12.566370614359172954 /* 4 pi */

struct unit_conv {
    const char *unit; /* as written in a table (blank-normalised) */
    double factor;    /* SI value of one unit */
    const char *si;   /* UDUNITS spelling of the SI unit */
};

/* Spellings are matched after collapsing runs of blanks and trimming. Several
 * spellings of one unit map to the same SI string, so two tables (or a --set
 * suffix) agree on dimension by comparing these strings. */
static const struct unit_conv unit_convs[] = {
    {"1", 1.0, "1"},
    {"count", 1.0, "1"}, /* a whole number (parameter registry: no fractions) */
    {"-", 1.0, "1"},
    {"%", 1e-2, "1"},
    {"ppm", 1e-6, "1"},
    {"K", 1.0, "K"},
    {"s", 1.0, "s"},
    {"ms", 1e-3, "s"},
    {"min", 60.0, "s"},
    {"h", 3600.0, "s"},
    {"s-1", 1.0, "s-1"},
    {"1/s", 1.0, "s-1"},
    {"Hz", 1.0, "s-1"},
    {"m", 1.0, "m"},
    {"cm", 1e-2, "m"},
    {"mm", 1e-3, "m"},
    {"um", 1e-6, "m"},
    {"nm", 1e-9, "m"},
    {"pm", 1e-12, "m"},
    {"A", 1e-10, "m"},
    {"m-1", 1.0, "m-1"},
    {"cm-1", 1e2, "m-1"},
    {"nm-1", 1e9, "m-1"},
    {"m/s", 1.0, "m s-1"},
    {"m s-1", 1.0, "m s-1"},
    {"cm/s", 1e-2, "m s-1"},
    {"cm s-1", 1e-2, "m s-1"},
    {"Pa", 1.0, "Pa"},
    {"kPa", 1e3, "Pa"},
    {"MPa", 1e6, "Pa"},
    {"GPa", 1e9, "Pa"},
    {"bar", 1e5, "Pa"},
    {"mbar", 1e2, "Pa"},
    {"atm", 101325.0, "Pa"},
    {"J", 1.0, "J"},
    {"eV", EXSOL_E, "J"},
    {"meV", 1e-3 * EXSOL_E, "J"},
    {"J/mol", 1.0, "J mol-1"},
    {"J mol-1", 1.0, "J mol-1"},
    {"kJ/mol", 1e3, "J mol-1"},
    {"kJ mol-1", 1e3, "J mol-1"},
    {"J/K/mol", 1.0, "J K-1 mol-1"},
    {"J/mol/K", 1.0, "J K-1 mol-1"},
    {"J/(mol K)", 1.0, "J K-1 mol-1"},
    {"J/(K mol)", 1.0, "J K-1 mol-1"},
    {"J K-1 mol-1", 1.0, "J K-1 mol-1"},
    {"J mol-1 K-1", 1.0, "J K-1 mol-1"},
    {"kJ/mol/K", 1e3, "J K-1 mol-1"},
    {"kJ/K/mol", 1e3, "J K-1 mol-1"},
    {"J/K", 1.0, "J K-1"},
    {"eV/K", EXSOL_E, "J K-1"},
    {"J/m3", 1.0, "J m-3"},
    {"J m-3", 1.0, "J m-3"},
    {"kJ/m3", 1e3, "J m-3"},
    {"MJ/m3", 1e6, "J m-3"},
    {"erg/cm3", 0.1, "J m-3"},
    {"J/m2", 1.0, "J m-2"},
    {"J m-2", 1.0, "J m-2"},
    {"mJ/m2", 1e-3, "J m-2"},
    {"eV/A2", EXSOL_E * 1e20, "J m-2"},
    {"m2/s", 1.0, "m2 s-1"},
    {"m2 s-1", 1.0, "m2 s-1"},
    {"cm2/s", 1e-4, "m2 s-1"},
    {"cm2 s-1", 1e-4, "m2 s-1"},
    {"m-3", 1.0, "m-3"},
    {"cm-3", 1e6, "m-3"},
    {"m-2", 1.0, "m-2"},
    {"cm-2", 1e4, "m-2"},
    {"um-2", 1e12, "m-2"},
    {"nm-2", 1e18, "m-2"},
    {"m2", 1.0, "m2"},
    {"nm2", 1e-18, "m2"},
    {"A2", 1e-20, "m2"},
    {"m3", 1.0, "m3"},
    {"cm3", 1e-6, "m3"},
    {"nm3", 1e-27, "m3"},
    {"A3", 1e-30, "m3"},
    {"m2/(V s)", 1.0, "m2 V-1 s-1"},
    {"m2 V-1 s-1", 1.0, "m2 V-1 s-1"},
    {"m2/V/s", 1.0, "m2 V-1 s-1"},
    {"cm2/(V s)", 1e-4, "m2 V-1 s-1"},
    {"cm2 V-1 s-1", 1e-4, "m2 V-1 s-1"},
    {"cm2/V/s", 1e-4, "m2 V-1 s-1"},
    {"cm2/Vs", 1e-4, "m2 V-1 s-1"},
    {"V", 1.0, "V"},
    {"A/m", 1.0, "A m-1"},
    {"A m-1", 1.0, "A m-1"},
    {"kA/m", 1e3, "A m-1"},
    {"MA/m", 1e6, "A m-1"},
    {"emu/cm3", 1e3, "A m-1"},
    {"Oe", 1e3 / FOUR_PI, "A m-1"},
    {"kOe", 1e6 / FOUR_PI, "A m-1"},
    {"T", 1.0, "T"},
    {"mT", 1e-3, "T"},
    {"emu", 1e-3, "A m2"},
    {"A m2", 1.0, "A m2"},
    {"A m2/m2", 1.0, "A"}, /* moment per area (ampere; a bare "A" would read as Å) */
    {"emu/cm2", 10.0, "A"},
    {"emu/g", 1.0, "A m2 kg-1"},
    {"A m2/kg", 1.0, "A m2 kg-1"},
    {"muB", EXSOL_MUB, "J T-1"},
    {"J/T", 1.0, "J T-1"},
    {"J T-1", 1.0, "J T-1"},
    {"kg", 1.0, "kg"},
    {"g", 1e-3, "kg"},
    {"u", AMU_KG, "kg"},
    {"g/cm3", 1e3, "kg m-3"},
    {"kg/m3", 1.0, "kg m-3"},
    {"kg m-3", 1.0, "kg m-3"},
    {"g/mol", 1e-3, "kg mol-1"},
    {"kg/mol", 1.0, "kg mol-1"},
    {"kg mol-1", 1.0, "kg mol-1"},
    {"cm3/mol", 1e-6, "m3 mol-1"},
    {"m3/mol", 1.0, "m3 mol-1"},
    {"m3 mol-1", 1.0, "m3 mol-1"},
    /* cgs molar susceptibility: chi_SI,mol = 4 pi 1e-6 m3/mol per emu/(mol Oe) */
    {"emu/mol", FOUR_PI * 1e-6, "m3 mol-1"},
    {"emu/(mol Oe)", FOUR_PI * 1e-6, "m3 mol-1"},
    {"emu K/mol", FOUR_PI * 1e-6, "m3 K mol-1"},
    {"emu K/(mol Oe)", FOUR_PI * 1e-6, "m3 K mol-1"},
    {"m3 K/mol", 1.0, "m3 K mol-1"},
    {"m3 K mol-1", 1.0, "m3 K mol-1"},
    {"ohm m", 1.0, "ohm m"},
    {"Ohm m", 1.0, "ohm m"},
    {"ohm cm", 1e-2, "ohm m"},
    {"Ohm cm", 1e-2, "ohm m"},
    {"mohm cm", 1e-5, "ohm m"},
    {"S/m", 1.0, "S m-1"},
    {"S m-1", 1.0, "S m-1"},
    {"S/cm", 1e2, "S m-1"},
    {"mol/m3", 1.0, "mol m-3"},
    {"mol m-3", 1.0, "mol m-3"},
};

int exsol_unit_to_si(const char *unit, double value, double *si, const char **si_unit)
{
    char norm[64];
    size_t n = 0;
    if (!unit)
        unit = "";
    /* trim and collapse blanks */
    for (const char *c = unit; *c; c++) {
        int blank = (*c == ' ' || *c == '\t');
        if (blank && (n == 0 || norm[n - 1] == ' '))
            continue;
        if (n + 1 >= sizeof norm)
            return EXSOL_EUNKNOWN;
        norm[n++] = blank ? ' ' : *c;
    }
    while (n && norm[n - 1] == ' ')
        n--;
    norm[n] = '\0';
    if (n == 0) {
        *si = value;
        if (si_unit)
            *si_unit = "1";
        return EXSOL_OK;
    }
    for (size_t i = 0; i < sizeof unit_convs / sizeof unit_convs[0]; i++)
        if (strcmp(unit_convs[i].unit, norm) == 0) {
            double f = unit_convs[i].factor,
                   inv = f > 0.0 && f < 1.0 ? nearbyint(1.0 / f) : 0.0;
            /* divide by exact integer reciprocals (1e-10 for A ...) so 1.38 A is the
             * double nearest 1.38e-10, not 1.3819999999999997e-10 */
            *si = inv > 0.0 && fabs(inv * f - 1.0) < 1e-12 ? value / inv : value * f;
            if (si_unit)
                *si_unit = unit_convs[i].si;
            return EXSOL_OK;
        }
    return EXSOL_EUNKNOWN;
}
