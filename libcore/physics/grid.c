/* Grid-file parser for exsol-gen (format documented in exsol/grid.h).
 *
 * The format is deliberately flat (one key per line, lists with commas, ranges with
 * colons, units as on the command line) so that a grid can be written by hand and
 * diffed; anything it cannot make sense of is an error with file:line rather than a
 * silent default. Compositions are expanded here, so the caller sees a plain list of
 * canonical formulas. */
#include "exsol/grid.h"

#include "exsol/error.h"
#include "exsol/parse.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GRID_MAX_SYMBOLS 32
#define GRID_MAX_COMPOSITIONS 1000000
#define GRID_MAX_SWEEP 10000000 /* combinations visited, including skipped ones */

static const char *const proc_keys[EXSOL_GRID_NPROC] = {"temperature", "time", "h2", "h2o",
                                                        "thickness"};
static const enum exsol_qty_kind proc_kinds[EXSOL_GRID_NPROC] = {
    EXSOL_QTY_TEMPERATURE, EXSOL_QTY_TIME, EXSOL_QTY_PRESSURE, EXSOL_QTY_PRESSURE,
    EXSOL_QTY_LENGTH};

const char *exsol_grid_proc_key(enum exsol_grid_proc k)
{
    return ((int)k >= 0 && (int)k < EXSOL_GRID_NPROC) ? proc_keys[k] : "";
}

enum sweep_key {
    SK_A_DONOR,
    SK_A_HOST,
    SK_X,
    SK_A_VAC,
    SK_DOPANT,
    SK_Z,
    SK_B_DONOR,
    SK_Y,
    SK_DOPANT2,
    SK_Z2,
    SK_N
};
static const char *const sweep_keys[SK_N] = {
    "A_donor",         "A_host",  "x_donor",          "A_vacancy", "dopant",
    "dopant_fraction", "B_donor", "B_donor_fraction", "dopant2",   "dopant2_fraction"};

struct symlist {
    char sym[GRID_MAX_SYMBOLS][EXSOL_SYMBOL_MAX + 1]; /* "none" fits */
    size_t n;
};

struct numlist {
    double *v;
    size_t n;
};

struct strvec {
    char **s;
    size_t n, cap;
};

/* state of one parse */
struct gstate {
    const char *name;
    exsol_chem *chem;
    int seen[SK_N];
    int line_of[SK_N];
    struct symlist donor, host, dopant, bdonor, dopant2;
    struct numlist x, avac, z, y, z2;
    struct strvec explicit_f; /* include_formula values as written */
    int *explicit_line;
    struct strvec valence;
    int host_line; /* line of the 'host' key, 0 if absent */
};

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static int vec_push(struct strvec *v, const char *s)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 16;
        char **ns = realloc(v->s, cap * sizeof *ns);
        if (!ns)
            return EXSOL_ENOMEM;
        v->s = ns;
        v->cap = cap;
    }
    char *d = dupstr(s);
    if (!d)
        return EXSOL_ENOMEM;
    v->s[v->n++] = d;
    return 0;
}

static void vec_free(struct strvec *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->s[i]);
    free(v->s);
    v->s = NULL;
    v->n = v->cap = 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* Parses "La, Nd" into symbols of the given site ('A' or 'B'); allow_none admits
 * "none". */
static int parse_symbols(struct gstate *st, int line, const char *key, char *val, char site,
                         int allow_none, struct symlist *out, char *err, size_t errlen)
{
    char *save = NULL;
    out->n = 0;
    for (char *tok = strtok_r(val, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        tok = trim(tok);
        if (!*tok)
            return exsol_seterr(err, errlen, EXSOL_EVALUE, "%s:%d: empty entry in %s", st->name,
                                line, key);
        if (out->n >= GRID_MAX_SYMBOLS)
            return exsol_seterr(err, errlen, EXSOL_EVALUE, "%s:%d: too many entries in %s",
                                st->name, line, key);
        if (allow_none && strcmp(tok, "none") == 0) {
            snprintf(out->sym[out->n++], sizeof out->sym[0], "none");
            continue;
        }
        char s = strlen(tok) < EXSOL_SYMBOL_MAX ? exsol_chem_site(st->chem, tok) : 0;
        if (!s)
            return exsol_seterr(err, errlen, EXSOL_EUNKNOWN,
                                "%s:%d: unknown element '%s' in %s", st->name, line, tok, key);
        if (s != site)
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "%s:%d: %s in %s sits on the %c site, not the %c site",
                                st->name, line, tok, key, s, site);
        for (size_t k = 0; k < out->n; k++)
            if (strcmp(out->sym[k], tok) == 0)
                return exsol_seterr(err, errlen, EXSOL_EVALUE, "%s:%d: %s listed twice in %s",
                                    st->name, line, tok, key);
        snprintf(out->sym[out->n++], sizeof out->sym[0], "%s", tok);
    }
    if (out->n == 0)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "%s:%d: %s has no value", st->name, line,
                            key);
    return 0;
}

static int parse_fractions(struct gstate *st, int line, const char *key, const char *val,
                           struct numlist *out, char *err, size_t errlen)
{
    char msg[256];
    int rc = exsol_parse_list(val, EXSOL_QTY_FRACTION, EXSOL_P_TOTAL_DEFAULT_PA, &out->v,
                              &out->n, msg, sizeof msg);
    if (rc)
        return exsol_seterr(err, errlen, rc, "%s:%d: %s: %s", st->name, line, key, msg);
    for (size_t i = 0; i < out->n; i++)
        if (!(out->v[i] >= 0.0 && out->v[i] <= 1.0))
            return exsol_seterr(err, errlen, EXSOL_EVALUE, "%s:%d: %s value %g outside [0, 1]",
                                st->name, line, key, out->v[i]);
    return 0;
}

/* ---- formula set with de-duplication ---------------------------------- */

struct fset {
    struct strvec list;
    size_t *slots; /* index+1 into list, 0 = empty */
    size_t nslots;
};

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static int fset_grow(struct fset *fs)
{
    size_t n = fs->nslots ? 2 * fs->nslots : 64;
    size_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return EXSOL_ENOMEM;
    for (size_t i = 0; i < fs->list.n; i++) {
        size_t h = (size_t)(fnv1a(fs->list.s[i]) & (n - 1));
        while (slots[h])
            h = (h + 1) & (n - 1);
        slots[h] = i + 1;
    }
    free(fs->slots);
    fs->slots = slots;
    fs->nslots = n;
    return 0;
}

/* Adds s unless present; *added = 1 if added. */
static int fset_add(struct fset *fs, const char *s, int *added)
{
    *added = 0;
    if (2 * (fs->list.n + 1) > fs->nslots) {
        int rc = fset_grow(fs);
        if (rc)
            return rc;
    }
    size_t h = (size_t)(fnv1a(s) & (fs->nslots - 1));
    while (fs->slots[h]) {
        if (strcmp(fs->list.s[fs->slots[h] - 1], s) == 0)
            return 0;
        h = (h + 1) & (fs->nslots - 1);
    }
    int rc = vec_push(&fs->list, s);
    if (rc)
        return rc;
    fs->slots[h] = fs->list.n;
    *added = 1;
    return 0;
}

static int add_formula(struct gstate *st, struct fset *fs, struct exsol_grid *g,
                       const char *formula, int line, char *err, size_t errlen)
{
    struct exsol_composition comp;
    char msg[256];
    int added, rc = exsol_comp_parse(st->chem, formula, &comp, msg, sizeof msg);
    if (rc)
        return exsol_seterr(err, errlen, rc, "%s:%d: %s", st->name, line, msg);
    if (fs->list.n >= GRID_MAX_COMPOSITIONS)
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "%s: more than %d compositions in the grid", st->name,
                            GRID_MAX_COMPOSITIONS);
    if ((rc = fset_add(fs, comp.formula, &added)) != 0)
        return exsol_seterr(err, errlen, rc, "out of memory");
    if (!added)
        g->n_duplicates++;
    return 0;
}

/* one point of the sweep: A-site donor D (x), host cation H, A vacancies a, dopant M
 * (z), B-site donor N (y) on the host's B cation, which takes the rest */
struct sweep_point {
    const char *D, *H, *M, *N, *M2;
    double x, a, z, y, z2;
};

static int add_point(struct gstate *st, struct fset *fs, struct exsol_grid *g,
                     const struct exsol_host *host, const struct sweep_point *p, int line,
                     char *err, size_t errlen)
{
    double x = strcmp(p->D, "none") ? p->x : 0.0;
    double z = strcmp(p->M, "none") ? p->z : 0.0;
    double y = strcmp(p->N, "none") ? p->y : 0.0;
    double z2 = strcmp(p->M2, "none") ? p->z2 : 0.0;
    double h = 1.0 - x - p->a, b = 1.0 - z - z2 - y;
    char f[400], b1[48], b2[48], b3[48], b4[48], b5[48], b6[48], b7[48];
    if (z2 > 0.0 && !(z > 0.0 && exsol_chem_alloy_pair(st->chem, p->M, p->M2))) {
        g->n_no_alloy++; /* a pair without alloy data, the same metal twice, or no M */
        return 0;
    }
    if (h < -1e-12 || b < -1e-12) {
        g->n_skipped++;
        return 0;
    }
    h = h < 0.0 ? 0.0 : h;
    b = b < 0.0 ? 0.0 : b;
    exsol_comp_format_amount(x, b1, sizeof b1);
    exsol_comp_format_amount(h, b2, sizeof b2);
    exsol_comp_format_amount(z, b3, sizeof b3);
    exsol_comp_format_amount(y, b6, sizeof b6);
    exsol_comp_format_amount(z2, b7, sizeof b7);
    exsol_comp_format_amount(b, b4, sizeof b4);
    exsol_comp_format_amount(host->anion_count, b5, sizeof b5);
    snprintf(f, sizeof f, "%s%s%s%s%s%s%s%s%s%s%s%s%s%s", x > 0.0 ? p->D : "",
             x > 0.0 ? b1 : "", p->H, b2, z > 0.0 ? p->M : "", z > 0.0 ? b3 : "",
             z2 > 0.0 ? p->M2 : "", z2 > 0.0 ? b7 : "", y > 0.0 ? p->N : "", y > 0.0 ? b6 : "",
             host->B_host, b4, host->anion, b5);
    return add_formula(st, fs, g, f, line, err, errlen);
}

static int expand_sweep(struct gstate *st, struct fset *fs, struct exsol_grid *g, char *err,
                        size_t errlen)
{
    static const double zero = 0.0;
    const int line = st->line_of[SK_A_HOST];
    const struct exsol_host *host = exsol_chem_host(st->chem);
    const struct symlist none_donor = {.sym = {"none"}, .n = 1};
    const struct symlist *donors = st->seen[SK_A_DONOR] ? &st->donor : &none_donor;
    const struct symlist *dopants = st->seen[SK_DOPANT] ? &st->dopant : &none_donor;
    const double *xs = st->seen[SK_X] ? st->x.v : &zero;
    size_t nx = st->seen[SK_X] ? st->x.n : 1;
    const double *as = st->seen[SK_A_VAC] ? st->avac.v : &zero;
    size_t na = st->seen[SK_A_VAC] ? st->avac.n : 1;
    const double *zs = st->seen[SK_Z] ? st->z.v : &zero;
    size_t nz = st->seen[SK_Z] ? st->z.n : 1;
    const struct symlist *bdonors = st->seen[SK_B_DONOR] ? &st->bdonor : &none_donor;
    const double *ys = st->seen[SK_Y] ? st->y.v : &zero;
    size_t ny = st->seen[SK_Y] ? st->y.n : 1;
    const struct symlist *dopants2 = st->seen[SK_DOPANT2] ? &st->dopant2 : &none_donor;
    const double *z2s = st->seen[SK_Z2] ? st->z2.v : &zero;
    size_t nz2 = st->seen[SK_Z2] ? st->z2.n : 1;

    const double points = (double)donors->n * (double)st->host.n * (double)nx * (double)na *
                          (double)dopants->n * (double)nz * (double)bdonors->n * (double)ny *
                          (double)dopants2->n * (double)nz2;
    if (points > (double)GRID_MAX_SWEEP)
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "%s:%d: the sweep has %.0f points, more than %d", st->name, line,
                            points, GRID_MAX_SWEEP);
    /* every combination, the first key slowest (the order of the keys above; the
     * output's row order follows it) */
    const size_t len[10] = {donors->n, st->host.n, nx, na,          dopants->n,
                            nz,        bdonors->n, ny, dopants2->n, nz2};
    size_t at[10] = {0};
    for (;;) {
        struct sweep_point pt = {donors->sym[at[0]],
                                 st->host.sym[at[1]],
                                 dopants->sym[at[4]],
                                 bdonors->sym[at[6]],
                                 dopants2->sym[at[8]],
                                 xs[at[2]],
                                 as[at[3]],
                                 zs[at[5]],
                                 ys[at[7]],
                                 z2s[at[9]]};
        int skip =
            (!strcmp(pt.D, "none") && at[2] > 0) || (!strcmp(pt.M, "none") && at[5] > 0) ||
            (!strcmp(pt.N, "none") && at[7] > 0) || (!strcmp(pt.M2, "none") && at[9] > 0);
        if (!skip) { /* a list does not apply to "none" */
            int rc = add_point(st, fs, g, host, &pt, line, err, errlen);
            if (rc)
                return rc;
        }
        int k = 9;
        while (k >= 0 && ++at[k] == len[k])
            at[k--] = 0;
        if (k < 0)
            break;
    }
    return 0;
}

static int handle_line(struct gstate *st, struct exsol_grid *g, int line, char *key, char *val,
                       char *err, size_t errlen)
{
    if (!*val)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "%s:%d: '%s' has no value", st->name,
                            line, key);
    for (int k = 0; k < EXSOL_GRID_NPROC; k++) {
        if (strcmp(key, proc_keys[k]))
            continue;
        if (g->proc[k])
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "%s:%d: '%s' given twice (first on line %d)", st->name, line,
                                key, g->proc_line[k]);
        double *tmp = NULL;
        size_t n = 0;
        char msg[256];
        int rc = exsol_parse_list(val, proc_kinds[k], EXSOL_P_TOTAL_DEFAULT_PA, &tmp, &n, msg,
                                  sizeof msg);
        free(tmp);
        if (rc)
            return exsol_seterr(err, errlen, rc, "%s:%d: %s: %s", st->name, line, key, msg);
        if (!(g->proc[k] = dupstr(val)))
            return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        g->proc_line[k] = line;
        return 0;
    }
    if (strcmp(key, "substrate") == 0 || strcmp(key, "strain") == 0) {
        int sub = key[1] == 'u';
        char **slot = sub ? &g->substrate : &g->strain;
        int *ln = sub ? &g->substrate_line : &g->strain_line;
        if (*slot)
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "%s:%d: '%s' given twice (first on line %d)", st->name, line,
                                key, *ln);
        if (g->substrate || g->strain)
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "%s:%d: give substrate or strain, not both", st->name, line);
        if (!(*slot = dupstr(val)))
            return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        *ln = line;
        return 0;
    }
    if (strcmp(key, "include_formula") == 0) {
        if (vec_push(&st->explicit_f, val))
            return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        int *nl = realloc(st->explicit_line, st->explicit_f.n * sizeof *nl);
        if (!nl)
            return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        st->explicit_line = nl;
        nl[st->explicit_f.n - 1] = line;
        return 0;
    }
    if (strcmp(key, "host") == 0) {
        char msg[256];
        if (st->host_line)
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "%s:%d: 'host' given twice (first on line %d)", st->name, line,
                                st->host_line);
        st->host_line = line;
        int rc = exsol_chem_set_host(st->chem, val, msg, sizeof msg);
        if (rc)
            return exsol_seterr(err, errlen, rc, "%s:%d: %s", st->name, line, msg);
        return 0;
    }
    if (strcmp(key, "valence") == 0) {
        char msg[256];
        int rc = exsol_chem_set_valence_str(st->chem, val, msg, sizeof msg);
        if (rc)
            return exsol_seterr(err, errlen, rc, "%s:%d: %s", st->name, line, msg);
        if (vec_push(&st->valence, val))
            return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        return 0;
    }
    for (int k = 0; k < SK_N; k++) {
        if (strcmp(key, sweep_keys[k]))
            continue;
        if (st->seen[k])
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "%s:%d: '%s' given twice (first on line %d)", st->name, line,
                                key, st->line_of[k]);
        st->seen[k] = 1;
        st->line_of[k] = line;
        switch (k) {
        case SK_A_DONOR:
            return parse_symbols(st, line, key, val, 'A', 0, &st->donor, err, errlen);
        case SK_A_HOST:
            return parse_symbols(st, line, key, val, 'A', 0, &st->host, err, errlen);
        case SK_DOPANT:
            return parse_symbols(st, line, key, val, 'B', 1, &st->dopant, err, errlen);
        case SK_X:
            return parse_fractions(st, line, key, val, &st->x, err, errlen);
        case SK_A_VAC:
            return parse_fractions(st, line, key, val, &st->avac, err, errlen);
        case SK_B_DONOR: {
            int rc = parse_symbols(st, line, key, val, 'B', 1, &st->bdonor, err, errlen);
            for (size_t i = 0; i < st->bdonor.n && !rc; i++)
                if (strcmp(st->bdonor.sym[i], "none") &&
                    !exsol_chem_fixed_donor(st->chem, st->bdonor.sym[i]))
                    rc = exsol_seterr(err, errlen, EXSOL_EVALUE,
                                      "%s:%d: %s in B_donor is not a fixed B-site donor (Nb, "
                                      "Ta: datasets/elements.csv role donor_B)",
                                      st->name, line, st->bdonor.sym[i]);
            return rc;
        }
        case SK_Y:
            return parse_fractions(st, line, key, val, &st->y, err, errlen);
        case SK_DOPANT2:
            return parse_symbols(st, line, key, val, 'B', 1, &st->dopant2, err, errlen);
        case SK_Z2:
            return parse_fractions(st, line, key, val, &st->z2, err, errlen);
        default:
            return parse_fractions(st, line, key, val, &st->z, err, errlen);
        }
    }
    return exsol_seterr(err, errlen, EXSOL_EUNKNOWN,
                        "%s:%d: unknown key '%s' (known: A_donor, A_host, x_donor, A_vacancy, "
                        "dopant, dopant_fraction, B_donor, B_donor_fraction, dopant2, "
                        "dopant2_fraction, include_formula, "
                        "valence, host, "
                        "temperature, time, h2, h2o, thickness, substrate, strain)",
                        st->name, line, key);
}

static int check_pairs(struct gstate *st, char *err, size_t errlen)
{
    static const int pairs[4][2] = {
        {SK_A_DONOR, SK_X}, {SK_DOPANT, SK_Z}, {SK_B_DONOR, SK_Y}, {SK_DOPANT2, SK_Z2}};
    int any = 0;
    for (int k = 0; k < SK_N; k++)
        any |= st->seen[k];
    if (!any)
        return 0;
    if (!st->seen[SK_A_HOST]) {
        int k = 0;
        while (!st->seen[k])
            k++;
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "%s:%d: '%s' needs 'A_host' (the divalent A species to sweep)",
                            st->name, st->line_of[k], sweep_keys[k]);
    }
    for (int i = 0; i < 4; i++) {
        int a = pairs[i][0], b = pairs[i][1];
        if (st->seen[a] != st->seen[b]) {
            int have = st->seen[a] ? a : b, miss = st->seen[a] ? b : a;
            /* "dopant = none" alone is fine */
            if ((have == SK_DOPANT && st->dopant.n == 1 &&
                 strcmp(st->dopant.sym[0], "none") == 0) ||
                (have == SK_B_DONOR && st->bdonor.n == 1 &&
                 strcmp(st->bdonor.sym[0], "none") == 0) ||
                (have == SK_DOPANT2 && st->dopant2.n == 1 &&
                 strcmp(st->dopant2.sym[0], "none") == 0))
                continue;
            return exsol_seterr(err, errlen, EXSOL_EVALUE, "%s:%d: '%s' needs '%s'", st->name,
                                st->line_of[have], sweep_keys[have], sweep_keys[miss]);
        }
    }
    return 0;
}

int exsol_grid_parse(const char *name, const char *text, size_t len, exsol_chem *chem,
                     struct exsol_grid *g, char *err, size_t errlen)
{
    struct gstate st;
    struct fset fs;
    char *buf = NULL;
    int rc = 0;

    memset(g, 0, sizeof *g);
    memset(&st, 0, sizeof st);
    memset(&fs, 0, sizeof fs);
    st.name = name ? name : "grid";
    st.chem = chem;
    if (!chem)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "grid parser needs element data");
    buf = malloc(len + 1);
    if (!buf) {
        rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        goto cleanup;
    }
    memcpy(buf, text, len);
    buf[len] = '\0';
    if (strlen(buf) != len) {
        rc = exsol_seterr(err, errlen, EXSOL_EVALUE, "%s: contains a NUL byte", st.name);
        goto cleanup;
    }

    int line = 0;
    char *p = buf;
    while (p) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        line++;
        char *hash = strchr(p, '#');
        if (hash)
            *hash = '\0';
        char *s = trim(p);
        if (*s) {
            char *eq = strchr(s, '=');
            if (!eq) {
                rc = exsol_seterr(err, errlen, EXSOL_EVALUE,
                                  "%s:%d: expected 'key = value', got '%.60s'", st.name, line,
                                  s);
                goto cleanup;
            }
            *eq = '\0';
            char *key = trim(s), *val = trim(eq + 1);
            if (!*key) {
                rc = exsol_seterr(err, errlen, EXSOL_EVALUE, "%s:%d: missing key before '='",
                                  st.name, line);
                goto cleanup;
            }
            if ((rc = handle_line(&st, g, line, key, val, err, errlen)) != 0)
                goto cleanup;
        }
        p = nl ? nl + 1 : NULL;
    }
    if ((rc = check_pairs(&st, err, errlen)) != 0)
        goto cleanup;
    if (st.seen[SK_A_HOST] && (rc = expand_sweep(&st, &fs, g, err, errlen)) != 0)
        goto cleanup;
    for (size_t i = 0; i < st.explicit_f.n; i++)
        if ((rc = add_formula(&st, &fs, g, st.explicit_f.s[i], st.explicit_line[i], err,
                              errlen)) != 0)
            goto cleanup;
    if (fs.list.n == 0) {
        rc = exsol_seterr(err, errlen, EXSOL_EVALUE,
                          "%s: no compositions (give A_host ... or include_formula = ...)%s",
                          st.name, g->n_skipped ? "; every sweep point had 1 - x - a < 0" : "");
        goto cleanup;
    }
    g->formulas = fs.list.s;
    g->n_formulas = fs.list.n;
    fs.list.s = NULL;
    fs.list.n = 0;
    g->valence = st.valence.s;
    g->n_valence = st.valence.n;
    st.valence.s = NULL;
    st.valence.n = 0;

cleanup:
    if (rc)
        exsol_grid_release(g);
    vec_free(&fs.list);
    free(fs.slots);
    vec_free(&st.explicit_f);
    vec_free(&st.valence);
    free(st.explicit_line);
    free(st.x.v);
    free(st.avac.v);
    free(st.z.v);
    free(st.y.v);
    free(st.z2.v);
    free(buf);
    return rc;
}

int exsol_grid_read(const char *path, exsol_chem *chem, struct exsol_grid *g, char *err,
                    size_t errlen)
{
    FILE *fp = NULL;
    char *text = NULL;
    size_t len = 0, cap = 0;
    int rc = 0;

    memset(g, 0, sizeof *g);
    fp = fopen(path, "rb");
    if (!fp)
        return exsol_seterr(err, errlen, EXSOL_EIO, "cannot read grid file '%s'", path);
    for (;;) {
        if (len + 4096 + 1 > cap) {
            size_t ncap = cap ? 2 * cap : 8192;
            if (ncap > ((size_t)64 << 20)) {
                rc = exsol_seterr(err, errlen, EXSOL_EVALUE, "grid file '%s' is too large",
                                  path);
                goto cleanup;
            }
            char *nt = realloc(text, ncap);
            if (!nt) {
                rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
                goto cleanup;
            }
            text = nt;
            cap = ncap;
        }
        size_t got = fread(text + len, 1, 4096, fp);
        len += got;
        if (got < 4096)
            break;
    }
    if (ferror(fp)) {
        rc = exsol_seterr(err, errlen, EXSOL_EIO, "error reading grid file '%s'", path);
        goto cleanup;
    }
    rc = exsol_grid_parse(path, text ? text : "", len, chem, g, err, errlen);
cleanup:
    if (fp)
        fclose(fp);
    free(text);
    return rc;
}

void exsol_grid_release(struct exsol_grid *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->n_formulas; i++)
        free(g->formulas[i]);
    free(g->formulas);
    for (int k = 0; k < EXSOL_GRID_NPROC; k++)
        free(g->proc[k]);
    for (size_t i = 0; i < g->n_valence; i++)
        free(g->valence[i]);
    free(g->valence);
    free(g->substrate);
    free(g->strain);
    memset(g, 0, sizeof *g);
}
