/* Composition bookkeeping for exsol-gen: see exsol/composition.h for the contract.
 *
 * Why the conventions:
 * - δ from neutrality (defects-and-transport.md §2.4): the cations are fixed at growth,
 *   oxygen takes up whatever charge they leave, n = p = 0 in the as-grown film. When the
 *   cations carry more than +6 per formula unit (a donor excess, e.g. La0.3Sr0.7TiO3),
 *   oxygen cannot exceed O3 in the perovskite, so δ = 0 and the excess stays as
 *   electrons (net_donor_asgrown).
 * - r_A averaged over occupied sites is what Bartel's classifier was trained on (site
 *   averages of the cations present); counting vacancies as r = 0 lowers t by ~0.05 for
 *   LSNT (§5), so both are reported.
 * - Radii: A site at CN XII or, when not tabulated, the CN closest to 12 (Bartel's
 *   rule); B site and O at CN VI. For ions with HS and LS radii the row marked
 *   preferred in shannon-radii.csv is used.
 * - Numbers in formulas are parsed by hand (digits and one '.') so no locale can turn
 *   "0.2" into 0 or 2. */
#include "exsol/composition.h"

#include "exsol/error.h"
#include "exsol/parse.h"
#include "exsol/table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ALLOWED 6

struct chem_element {
    char sym[EXSOL_SYMBOL_MAX];
    char site;
    int valence; /* current (default or override) */
    int allowed[MAX_ALLOWED];
    int n_allowed;
    int fixed_donor;   /* role donor_B: a B-site co-dopant never reduced (Nb, Ta) */
    char missing[160]; /* B-site dopant: data the later stages lack, "" if complete */
    unsigned ion_mask; /* bit v: metals.csv has the ion <sym><v>+ (mu_eff, spin) */
};

struct chem_radius {
    char ion[EXSOL_SYMBOL_MAX];
    int charge;
    int cn;
    int preferred;
    double r_m;
};

#define MAX_HOSTS 8

struct exsol_chem {
    struct exsol_host host;             /* the default host (first row of hosts.csv) */
    struct exsol_host hosts[MAX_HOSTS]; /* every row of hosts.csv, in table order */
    double host_V_m3[MAX_HOSTS];        /* a_lattice³ of each host's constants file */
    size_t nhosts;
    int forced_host; /* index into hosts, or -1: chosen from the A site */
    struct chem_element *el;
    size_t nel;
    struct chem_radius *rad;
    size_t nrad;
    int data_checked;     /* exsol_chem_require_data ran: refuse dopants with missing data */
    exsol_alloys *alloys; /* datasets/alloys.csv (exsol_chem_load): the pairs of two
                             reducible dopants accepted; NULL: one dopant only */
};

/* ---- small helpers ---------------------------------------------------- */

static int parse_int_text(const char *s, int *out)
{
    char *end = NULL;
    long v;
    while (*s == ' ')
        s++;
    if (*s == '+')
        s++;
    if (!*s)
        return -1;
    v = strtol(s, &end, 10);
    while (*end == ' ')
        end++;
    if (*end || v < -99 || v > 99)
        return -1;
    *out = (int)v;
    return 0;
}

static int roman_to_int(const char *s)
{
    static const char *const tab[] = {"I",   "II",   "III", "IV", "V",  "VI",
                                      "VII", "VIII", "IX",  "X",  "XI", "XII"};
    for (int i = 0; i < 12; i++)
        if (strcmp(s, tab[i]) == 0)
            return i + 1;
    return -1;
}

static const struct chem_element *find_el(const exsol_chem *c, const char *sym)
{
    for (size_t i = 0; i < c->nel; i++)
        if (strcmp(c->el[i].sym, sym) == 0)
            return &c->el[i];
    return NULL;
}

static long el_index(const exsol_chem *c, const char *sym)
{
    for (size_t i = 0; i < c->nel; i++)
        if (strcmp(c->el[i].sym, sym) == 0)
            return (long)i;
    return -1;
}

/* ---- loading ---------------------------------------------------------- */

static int need_col(const exsol_table *t, const char *name, int *col, char *err, size_t errlen)
{
    *col = exsol_table_col(t, name);
    if (*col < 0)
        return exsol_seterr(err, errlen, EXSOL_EDATASET, "table '%s' has no column '%s'",
                            exsol_table_name(t), name);
    return 0;
}

static int load_elements(exsol_chem *c, const exsol_table *t, char *err, size_t errlen)
{
    int ce, cs, cd, ca, cr, rc;
    size_t n = exsol_table_nrows(t);
    if ((rc = need_col(t, "element", &ce, err, errlen)) ||
        (rc = need_col(t, "site", &cs, err, errlen)) ||
        (rc = need_col(t, "default_valence", &cd, err, errlen)) ||
        (rc = need_col(t, "allowed_valences", &ca, err, errlen)) ||
        (rc = need_col(t, "role", &cr, err, errlen)))
        return rc;
    c->el = calloc(n ? n : 1, sizeof *c->el);
    if (!c->el)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        struct chem_element *e = &c->el[i];
        const char *sym = exsol_table_cell(t, i, ce);
        const char *site = exsol_table_cell(t, i, cs);
        const char *allowed = exsol_table_cell(t, i, ca);
        size_t len = strlen(sym);
        if (len == 0 || len >= EXSOL_SYMBOL_MAX ||
            (strcmp(site, "A") && strcmp(site, "B") && strcmp(site, "X")))
            return exsol_seterr(err, errlen, EXSOL_EDATASET,
                                "elements.csv row %zu: bad element '%s' or site '%s'", i + 1,
                                sym, site);
        memcpy(e->sym, sym, len + 1);
        e->site = site[0];
        e->fixed_donor = e->site == 'B' && strcmp(exsol_table_cell(t, i, cr), "donor_B") == 0;
        if (parse_int_text(exsol_table_cell(t, i, cd), &e->valence))
            return exsol_seterr(err, errlen, EXSOL_EDATASET,
                                "elements.csv: bad default_valence '%s' for %s",
                                exsol_table_cell(t, i, cd), sym);
        /* allowed: "2;3" */
        char buf[64];
        if (strlen(allowed) >= sizeof buf)
            return exsol_seterr(err, errlen, EXSOL_EDATASET,
                                "elements.csv: allowed_valences too long for %s", sym);
        snprintf(buf, sizeof buf, "%s", allowed);
        char *save = NULL;
        for (char *tok = strtok_r(buf, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
            int v;
            if (e->n_allowed >= MAX_ALLOWED || parse_int_text(tok, &v))
                return exsol_seterr(err, errlen, EXSOL_EDATASET,
                                    "elements.csv: bad allowed_valences '%s' for %s", allowed,
                                    sym);
            e->allowed[e->n_allowed++] = v;
        }
        int ok = 0;
        for (int k = 0; k < e->n_allowed; k++)
            ok |= e->allowed[k] == e->valence;
        if (!ok)
            return exsol_seterr(err, errlen, EXSOL_EDATASET,
                                "elements.csv: default valence of %s not among allowed", sym);
        c->nel++;
    }
    return 0;
}

static int load_radii(exsol_chem *c, const exsol_table *t, char *err, size_t errlen)
{
    int ci, cc, cn, cv, cu, cp, rc;
    size_t n = exsol_table_nrows(t);
    if ((rc = need_col(t, "ion", &ci, err, errlen)) ||
        (rc = need_col(t, "charge", &cc, err, errlen)) ||
        (rc = need_col(t, "cn", &cn, err, errlen)) ||
        (rc = need_col(t, "value", &cv, err, errlen)) ||
        (rc = need_col(t, "unit", &cu, err, errlen)))
        return rc;
    cp = exsol_table_col(t, "preferred"); /* optional: default preferred */
    c->rad = calloc(n ? n : 1, sizeof *c->rad);
    if (!c->rad)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        struct chem_radius *r = &c->rad[i];
        const char *ion = exsol_table_cell(t, i, ci);
        size_t len = strlen(ion);
        double v, si;
        if (len == 0 || len >= EXSOL_SYMBOL_MAX)
            return exsol_seterr(err, errlen, EXSOL_EDATASET,
                                "shannon-radii.csv row %zu: bad ion '%s'", i + 1, ion);
        memcpy(r->ion, ion, len + 1);
        r->cn = roman_to_int(exsol_table_cell(t, i, cn));
        if (r->cn < 0 || parse_int_text(exsol_table_cell(t, i, cc), &r->charge))
            return exsol_seterr(err, errlen, EXSOL_EDATASET,
                                "shannon-radii.csv row %zu: bad charge or cn", i + 1);
        if (exsol_parse_double(exsol_table_cell(t, i, cv), &v, NULL, 0) ||
            exsol_unit_to_si(exsol_table_cell(t, i, cu), v, &si, NULL) || !(si > 0))
            return exsol_seterr(err, errlen, EXSOL_EDATASET,
                                "shannon-radii.csv row %zu: bad value '%s %s'", i + 1,
                                exsol_table_cell(t, i, cv), exsol_table_cell(t, i, cu));
        r->r_m = si;
        r->preferred = cp < 0 || strcmp(exsol_table_cell(t, i, cp), "0") != 0;
        c->nrad++;
    }
    return 0;
}

int exsol_chem_from_tables(const exsol_table *elements, const exsol_table *radii,
                           exsol_chem **out, char *err, size_t errlen)
{
    int rc;
    exsol_chem *c = calloc(1, sizeof *c);
    *out = NULL;
    if (!c)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    if ((rc = exsol_host_default(&c->host, err, errlen)) != 0)
        goto fail;
    c->forced_host = -1;
    {
        exsol_table *th = NULL;
        if ((rc = exsol_table_load("hosts", &th, err, errlen)) != 0)
            goto fail;
        int ch = exsol_table_col(th, "host");
        for (size_t r = 0; r < exsol_table_nrows(th) && r < MAX_HOSTS && !rc; r++)
            if (!(rc = exsol_host_from_table(th, exsol_table_cell(th, r, ch),
                                             &c->hosts[c->nhosts], err, errlen)))
                c->nhosts++;
        exsol_table_free(th);
        for (size_t h = 0; h < c->nhosts && !rc; h++) {
            exsol_table *tp = NULL;
            double a = NAN;
            if (!(rc = exsol_table_load(c->hosts[h].parameters, &tp, err, errlen)) &&
                (exsol_table_value(tp, &a, NULL, 0, "name", "a_lattice", NULL) || !(a > 0)))
                rc = exsol_seterr(err, errlen, EXSOL_EDATASET,
                                  "host %s: %s.csv has no a_lattice", c->hosts[h].name,
                                  c->hosts[h].parameters);
            c->host_V_m3[h] = a * a * a;
            exsol_table_free(tp);
        }
        if (rc)
            goto fail;
    }
    if ((rc = load_elements(c, elements, err, errlen)) != 0)
        goto fail;
    if ((rc = load_radii(c, radii, err, errlen)) != 0)
        goto fail;
    *out = c;
    return 0;
fail:
    exsol_chem_free(c);
    return rc;
}

/* Appends "what" to e->missing. */
static void add_missing(struct chem_element *e, const char *what)
{
    size_t used = strlen(e->missing);
    snprintf(e->missing + used, sizeof e->missing - used, "%s%s", used ? "; " : "", what);
}

static int has_row(const exsol_table *t, const char *kc, const char *k, const char *qc,
                   const char *q)
{
    return exsol_table_find(t, kc, k, qc, q, NULL) >= 0;
}

int exsol_chem_require_data(exsol_chem *c, const exsol_table *oxides, const exsol_table *metals,
                            char *err, size_t errlen)
{
    static const char *const mag_p[] = {"Ms_0K",    "K",        "T_C",
                                        "kuzmin_s", "kuzmin_p", "anisotropy_form"};
    if (exsol_table_col(oxides, "metal") < 0 || exsol_table_col(oxides, "use") < 0 ||
        exsol_table_col(metals, "metal") < 0 || exsol_table_col(metals, "property") < 0)
        return exsol_seterr(err, errlen, EXSOL_EDATASET,
                            "oxides.csv needs columns metal, use; metals.csv metal, property");
    int cv = exsol_table_col(metals, "value");
    for (size_t i = 0; i < c->nel; i++) {
        struct chem_element *e = &c->el[i];
        e->missing[0] = '\0';
        e->ion_mask = 0;
        if (e->site != 'B' || strcmp(e->sym, c->host.B_host) == 0 || e->fixed_donor)
            continue;
        char what[96];
        if (!has_row(oxides, "metal", e->sym, "use", "metal"))
            add_missing(e, "no metal line (use = metal) in oxides.csv");
        long mrow = exsol_table_find(metals, "metal", e->sym, "property", "magnetic", NULL);
        if (mrow < 0)
            add_missing(e, "no magnetic row in metals.csv");
        if (!has_row(metals, "metal", e->sym, "property", "molar_volume"))
            add_missing(e, "no molar_volume in metals.csv");
        if (mrow >= 0 && cv >= 0 &&
            strcmp(exsol_table_cell(metals, (size_t)mrow, cv), "0") != 0)
            for (size_t k = 0; k < sizeof mag_p / sizeof *mag_p; k++)
                if (!has_row(metals, "metal", e->sym, "property", mag_p[k])) {
                    snprintf(what, sizeof what, "no %s in metals.csv", mag_p[k]);
                    add_missing(e, what);
                }
        for (int k = 0; k < e->n_allowed; k++) {
            int v = e->allowed[k];
            char ion[16];
            snprintf(ion, sizeof ion, "%s%d+", e->sym, v);
            if (v > 0 && v < 16 && has_row(metals, "metal", ion, "property", "mu_eff") &&
                has_row(metals, "metal", ion, "property", "spin"))
                e->ion_mask |= 1u << v;
        }
    }
    c->data_checked = 1;
    return EXSOL_OK;
}

/* Why a dopant of this valence cannot go through reduce and magnet, or NULL. */
static const char *dopant_gap(const exsol_chem *c, const struct chem_element *e, int valence,
                              char *buf, size_t n)
{
    if (!c->data_checked)
        return NULL;
    int ion_ok = valence > 0 && valence < 16 && (e->ion_mask >> valence & 1u);
    if (!e->missing[0] && ion_ok)
        return NULL;
    snprintf(buf, n, "%s%s%s", e->missing, e->missing[0] && !ion_ok ? "; " : "",
             ion_ok ? "" : "no ion rows (mu_eff, spin) in metals.csv for this valence");
    return buf;
}

int exsol_chem_load(exsol_chem **out, char *err, size_t errlen)
{
    exsol_table *te = NULL, *tr = NULL, *to = NULL, *tm = NULL;
    int rc;
    *out = NULL;
    if ((rc = exsol_table_load("elements", &te, err, errlen)) != 0)
        goto cleanup;
    if ((rc = exsol_table_load("shannon-radii", &tr, err, errlen)) != 0)
        goto cleanup;
    if ((rc = exsol_table_load("oxides", &to, err, errlen)) != 0)
        goto cleanup;
    if ((rc = exsol_table_load("metals", &tm, err, errlen)) != 0)
        goto cleanup;
    if ((rc = exsol_chem_from_tables(te, tr, out, err, errlen)) != 0)
        goto cleanup;
    if ((rc = exsol_chem_require_data(*out, to, tm, err, errlen)) != 0 ||
        (rc = exsol_alloys_load(&(*out)->alloys, err, errlen)) != 0) {
        exsol_chem_free(*out);
        *out = NULL;
    }
cleanup:
    exsol_table_free(te);
    exsol_table_free(tr);
    exsol_table_free(to);
    exsol_table_free(tm);
    return rc;
}

void exsol_chem_free(exsol_chem *c)
{
    if (!c)
        return;
    exsol_alloys_free(c->alloys);
    free(c->el);
    free(c->rad);
    free(c);
}

int exsol_chem_set_valence(exsol_chem *c, const char *element, int valence, char *err,
                           size_t errlen)
{
    long i = el_index(c, element);
    if (i < 0)
        return exsol_seterr(err, errlen, EXSOL_EUNKNOWN, "unknown element '%s'", element);
    struct chem_element *e = &c->el[i];
    for (int k = 0; k < e->n_allowed; k++) {
        if (e->allowed[k] == valence) {
            e->valence = valence;
            return 0;
        }
    }
    char list[64] = "";
    size_t used = 0;
    for (int k = 0; k < e->n_allowed && used < sizeof list; k++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%d", k ? ", " : "",
                                 e->allowed[k]);
    return exsol_seterr(err, errlen, EXSOL_EVALUE,
                        "oxidation state %d not available for %s (allowed: %s)", valence,
                        element, list);
}

int exsol_chem_set_valence_str(exsol_chem *c, const char *assignment, char *err, size_t errlen)
{
    char buf[256];
    int rc = 0;
    if (!assignment || strlen(assignment) >= sizeof buf || !*assignment)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "bad valence assignment '%s'",
                            assignment ? assignment : "");
    snprintf(buf, sizeof buf, "%s", assignment);
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        char *eq = strchr(tok, '=');
        if (!eq || eq == tok)
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "bad valence assignment '%s' (want EL=V, e.g. Ni=3)", tok);
        *eq = '\0';
        char *el = tok, *val = eq + 1;
        char *e = eq;
        while (e > el && e[-1] == ' ')
            *--e = '\0';
        size_t vl = strlen(val);
        while (vl && val[vl - 1] == ' ')
            val[--vl] = '\0';
        if (vl && val[vl - 1] == '+')
            val[--vl] = '\0';
        int v;
        if (parse_int_text(val, &v))
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "bad oxidation state '%s' for %s (want an integer)", eq + 1,
                                el);
        if ((rc = exsol_chem_set_valence(c, el, v, err, errlen)) != 0)
            return rc;
    }
    return 0;
}

int exsol_chem_valence(const exsol_chem *c, const char *element, int *valence)
{
    const struct chem_element *e = find_el(c, element);
    if (!e)
        return EXSOL_EUNKNOWN;
    *valence = e->valence;
    return 0;
}

const struct exsol_host *exsol_chem_host(const exsol_chem *c)
{
    return &c->host;
}

int exsol_chem_set_host(exsol_chem *c, const char *name, char *err, size_t errlen)
{
    if (!name || !*name || strcmp(name, "auto") == 0) {
        c->forced_host = -1;
        return 0;
    }
    char known[160] = "";
    size_t used = 0;
    for (size_t i = 0; i < c->nhosts; i++) {
        if (strcmp(c->hosts[i].name, name) == 0) {
            c->forced_host = (int)i;
            return 0;
        }
        int w = snprintf(known + used, sizeof known - used, "%s%s", i ? ", " : "",
                         c->hosts[i].name);
        if (w > 0 && (size_t)w < sizeof known - used)
            used += (size_t)w;
    }
    return exsol_seterr(err, errlen, EXSOL_EUNKNOWN, "unknown host '%s' (known: %s, auto)",
                        name, known);
}

int exsol_chem_alloy_pair(const exsol_chem *c, const char *m1, const char *m2)
{
    return c->alloys && strcmp(m1, m2) != 0 && exsol_alloys_has_pair(c->alloys, m1, m2);
}

int exsol_chem_fixed_donor(const exsol_chem *c, const char *element)
{
    const struct chem_element *e = find_el(c, element);
    return e ? e->fixed_donor : 0;
}

char exsol_chem_site(const exsol_chem *c, const char *element)
{
    const struct chem_element *e = find_el(c, element);
    return e ? e->site : 0;
}

/* Radius of ion/charge at the tabulated CN closest to want_cn (ties: the higher
 * CN); within one CN the preferred spin state. Returns 0 if none. */
static double lookup_radius(const exsol_chem *c, const char *ion, int charge, int want_cn,
                            int *cn_used)
{
    const struct chem_radius *best = NULL;
    for (size_t i = 0; i < c->nrad; i++) {
        const struct chem_radius *r = &c->rad[i];
        if (strcmp(r->ion, ion) || r->charge != charge)
            continue;
        if (!best) {
            best = r;
            continue;
        }
        int d = abs(r->cn - want_cn), db = abs(best->cn - want_cn);
        if (d < db || (d == db && r->cn > best->cn) ||
            (r->cn == best->cn && r->preferred && !best->preferred))
            best = r;
    }
    if (!best)
        return 0.0;
    *cn_used = best->cn;
    return best->r_m;
}

/* ---- formulas --------------------------------------------------------- */

char *exsol_comp_format_amount(double v, char *buf, size_t n)
{
    snprintf(buf, n, "%.9f", v);
    char *dot = strchr(buf, '.');
    if (dot) {
        char *end = buf + strlen(buf);
        while (end > dot + 1 && end[-1] == '0')
            *--end = '\0';
        if (end == dot + 1)
            *dot = '\0';
    }
    if (strcmp(buf, "-0") == 0)
        snprintf(buf, n, "0");
    return buf;
}

/* Reads an amount "0.25", "3", "1." at *pp. Returns 1 if digits were read, 0 if
 * none (amount 1), -1 on a malformed number. Locale-independent. */
static int read_amount(const char **pp, double *out)
{
    const char *p = *pp;
    unsigned long long mant = 0;
    int ndig = 0, nfrac = 0, seen_dot = 0, sig = 0;
    while ((*p >= '0' && *p <= '9') || *p == '.') {
        if (*p == '.') {
            if (seen_dot)
                return -1;
            seen_dot = 1;
        } else {
            ndig++;
            if (mant == 0 && *p == '0' && !seen_dot) {
                /* leading zero of the integer part: no significance */
            } else if (sig < 18) {
                mant = mant * 10 + (unsigned long long)(*p - '0');
                sig++;
                if (seen_dot)
                    nfrac++;
            } else if (!seen_dot) {
                return -1; /* absurdly large */
            }
        }
        p++;
    }
    if (p == *pp)
        return 0;
    if (ndig == 0)
        return -1;
    double v = (double)mant;
    /* 10^k is exact for k <= 22, so the quotient is correctly rounded for mant < 2^53 */
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    if (nfrac > 22)
        return -1;
    *out = v / p10[nfrac];
    *pp = p;
    return 1;
}

static double snap12(double v)
{
    return round(v * 1e12) / 1e12;
}

static int is_upper(char ch)
{
    return ch >= 'A' && ch <= 'Z';
}
static int is_lower(char ch)
{
    return ch >= 'a' && ch <= 'z';
}

struct raw_entry {
    char sym[EXSOL_SYMBOL_MAX];
    double amount;
};

int exsol_comp_parse(const exsol_chem *c, const char *formula, struct exsol_composition *out,
                     char *err, size_t errlen)
{
    struct raw_entry raw[EXSOL_COMP_MAX_SPECIES + 1];
    size_t nraw = 0;
    double O_amount = -1.0;
    const char *f = formula ? formula : "";
    const char *p = f;

    memset(out, 0, sizeof *out);
    const struct exsol_host *H = &c->host; /* chosen below from the A site */
    if (!*p)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "empty formula");
    if (strlen(f) > 200)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "formula too long: '%.40s...'", f);

    while (*p) {
        char sym[EXSOL_SYMBOL_MAX];
        double amt = 1.0;
        if (*p == '-' && O_amount >= 0.0) {
            /* oxygen-deficiency marker after O: -d, -δ (UTF-8), -delta, -x */
            const char *q = p + 1;
            if (strcmp(q, "d") == 0 || strcmp(q, "\xce\xb4") == 0 || strcmp(q, "delta") == 0 ||
                strcmp(q, "x") == 0)
                break;
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "bad oxygen-deficiency suffix '%s' in formula '%s' (use -d)", p,
                                f);
        }
        if (!is_upper(*p))
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "unexpected '%c' at position %d in formula '%s' (element "
                                "symbols start with a capital letter)",
                                (*p >= 32 && *p < 127) ? *p : '?', (int)(p - f) + 1, f);
        sym[0] = *p++;
        sym[1] = '\0';
        if (is_lower(*p)) {
            sym[1] = *p++;
            sym[2] = '\0';
            if (is_lower(*p))
                return exsol_seterr(err, errlen, EXSOL_EUNKNOWN,
                                    "unknown element '%c%c%c...' in formula '%s'", sym[0],
                                    sym[1], *p, f);
        }
        int r = read_amount(&p, &amt);
        if (r < 0)
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "bad amount after '%s' in formula '%s'", sym, f);
        const struct chem_element *e = find_el(c, sym);
        if (!e)
            return exsol_seterr(err, errlen, EXSOL_EUNKNOWN,
                                "unknown element '%s' in formula '%s'", sym, f);
        if (e->site == 'X') {
            if (O_amount >= 0.0)
                return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                    "element '%s' appears twice in formula '%s'", sym, f);
            if (!(amt > 0.0))
                return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                    "oxygen amount must be positive in formula '%s'", f);
            O_amount = amt;
            continue;
        }
        if (O_amount >= 0.0)
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "cation '%s' after oxygen in formula '%s' (write cations "
                                "first, e.g. SrTiO3)",
                                sym, f);
        for (size_t k = 0; k < nraw; k++)
            if (strcmp(raw[k].sym, sym) == 0)
                return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                    "element '%s' appears twice in formula '%s'", sym, f);
        if (nraw >= EXSOL_COMP_MAX_SPECIES)
            return exsol_seterr(err, errlen, EXSOL_EVALUE, "too many elements in formula '%s'",
                                f);
        snprintf(raw[nraw].sym, sizeof raw[nraw].sym, "%s", sym);
        raw[nraw].amount = amt;
        nraw++;
    }
    if (O_amount < 0.0)
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "formula '%s' has no oxygen (write e.g. SrTiO3)", f);
    out->O_formula = O_amount;

    /* place species in canonical (elements.csv) order, dropping zero amounts */
    for (size_t i = 0; i < c->nel; i++) {
        for (size_t k = 0; k < nraw; k++) {
            if (strcmp(raw[k].sym, c->el[i].sym) || raw[k].amount == 0.0)
                continue;
            struct exsol_species *s = &out->sp[out->n_species++];
            snprintf(s->symbol, sizeof s->symbol, "%s", c->el[i].sym);
            s->site = c->el[i].site;
            s->fraction = raw[k].amount;
            s->valence = c->el[i].valence;
        }
    }

    double sumA = 0.0, sumB = 0.0;
    int ndop = 0;
    const char *dop2 = NULL, *dop3 = NULL;
    for (size_t i = 0; i < out->n_species; i++) {
        struct exsol_species *s = &out->sp[i];
        /* the sums are checked on the amounts as the canonical formula prints them
         * (exsol_comp_format_amount, 9 decimals), so a formula accepted here is
         * accepted again when its canonical form is read back (at the tolerance's
         * edge a raw Ti0.99999900000000009 passes, its printed Ti0.999999 would not) */
        double printed = round(s->fraction * 1e9) / 1e9;
        if (s->site == 'A') {
            sumA += printed;
        } else {
            sumB += printed;
            if (strcmp(s->symbol, c->host.B_host) != 0 && find_el(c, s->symbol)->fixed_donor) {
                /* Nb5+/Ta5+: a fixed co-donor, never reduced (docs/sources.md#bu §3.3) */
                out->B_donor_fraction += s->fraction * (s->valence - c->host.B_valence);
                out->B_fixed_fraction += s->fraction;
            } else if (strcmp(s->symbol, c->host.B_host) != 0) {
                char gap[256];
                const char *why =
                    dopant_gap(c, find_el(c, s->symbol), s->valence, gap, sizeof gap);
                if (why)
                    return exsol_seterr(
                        err, errlen, EXSOL_EVALUE,
                        "dopant %s%d+ in formula '%s' lacks the data exsol-reduce "
                        "and exsol-magnet need: %s",
                        s->symbol, s->valence, f, why);
                if (ndop == 0) {
                    snprintf(out->dopant, sizeof out->dopant, "%s", s->symbol);
                    out->dopant_fraction = s->fraction;
                    out->dopant_valence = s->valence;
                } else if (ndop == 1) {
                    dop2 = s->symbol;
                    snprintf(out->dopant2, sizeof out->dopant2, "%s", s->symbol);
                    out->dopant2_fraction = s->fraction;
                    out->dopant2_valence = s->valence;
                } else {
                    dop3 = s->symbol;
                }
                ndop++;
            }
        }
    }
    if (sumA <= 0.0)
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "formula '%s' has no A-site cation (e.g. Sr, La)", f);
    if (sumA > 1.0 + 1e-9)
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "A-site fractions of '%s' sum to %.10g, more than 1", f, sumA);
    if (fabs(sumB - 1.0) > 1e-6)
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "B-site fractions of '%s' sum to %.10g, not 1", f, sumB);
    if (ndop > 2)
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "formula '%s' has three B-site dopants (%s, %s and %s); exsol "
                            "handles one dopant, or two that form an alloy, besides %s",
                            f, out->dopant, dop2, dop3, c->host.B_host);
    if (ndop == 2 && !c->alloys)
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "formula '%s' has two B-site dopants (%s and %s); exsol handles "
                            "one dopant besides %s",
                            f, out->dopant, dop2, c->host.B_host);
    if (ndop == 2 && !exsol_alloys_has_pair(c->alloys, out->dopant, dop2))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "formula '%s' has two B-site dopants (%s and %s): no %s-%s alloy "
                            "data (datasets/alloys.csv has Ni-Fe, Ni-Co and Co-Fe)",
                            f, out->dopant, dop2, out->dopant, dop2);
    if (ndop < 2)
        snprintf(out->dopant2, sizeof out->dopant2, "none");
    if (ndop == 0)
        snprintf(out->dopant, sizeof out->dopant, "none");

    /* the host: forced, else the one whose A_host is the largest A-site fraction among
     * the formula's host cations (ties: the earlier row), else the default. V_fu: Vegard,
     * the host volumes weighted by the A-site fractions of their cations (the chosen
     * host's volume when the formula has none, or when the host is forced) */
    {
        double wsum = 0.0, vsum = 0.0;
        for (size_t h = 0; h < c->nhosts; h++)
            for (size_t i = 0; i < out->n_species; i++)
                if (out->sp[i].site == 'A' &&
                    strcmp(out->sp[i].symbol, c->hosts[h].A_host) == 0) {
                    wsum += out->sp[i].fraction;
                    vsum += out->sp[i].fraction * c->host_V_m3[h];
                }
        out->V_fu_m3 = wsum > 0.0 && c->forced_host < 0 ? vsum / wsum : NAN;
    }
    if (c->forced_host >= 0) {
        H = &c->hosts[c->forced_host];
    } else {
        double best = 0.0;
        for (size_t h = 0; h < c->nhosts; h++)
            for (size_t i = 0; i < out->n_species; i++)
                if (out->sp[i].site == 'A' &&
                    strcmp(out->sp[i].symbol, c->hosts[h].A_host) == 0 &&
                    out->sp[i].fraction > best + 1e-12) {
                    best = out->sp[i].fraction;
                    H = &c->hosts[h];
                }
    }
    if (strcmp(H->B_host, c->host.B_host) != 0 || strcmp(H->anion, c->host.anion) != 0 ||
        H->anion_valence != c->host.anion_valence || H->anion_count != c->host.anion_count ||
        H->B_valence != c->host.B_valence)
        return exsol_seterr(
            err, errlen, EXSOL_EDATASET,
            "host %s: exsol writes formulas on the %s%d+ B site and %s%g of the "
            "default host only",
            H->name, c->host.B_host, c->host.B_valence, c->host.anion, c->host.anion_count);
    memcpy(out->host, H->name, sizeof out->host); /* both EXSOL_HOST_NAME_MAX */
    {
        size_t hi = (size_t)(H - c->hosts);
        double Vh = H == &c->host ? c->host_V_m3[0] : c->host_V_m3[hi];
        /* one host alone: exactly its volume (no rounding from the weighted mean) */
        if (isnan(out->V_fu_m3) || fabs(out->V_fu_m3 - Vh) <= 1e-12 * Vh)
            out->V_fu_m3 = Vh;
    }

    /* radii */
    int cn_o = 0;
    out->r_O_m = lookup_radius(c, c->host.anion, c->host.anion_valence, 6, &cn_o);
    if (!(out->r_O_m > 0.0) || cn_o != 6)
        return exsol_seterr(err, errlen, EXSOL_EDATASET,
                            "shannon-radii.csv has no radius for %s%d- at CN VI", c->host.anion,
                            -c->host.anion_valence);
    double q = 0.0, rA = 0.0, nA = 0.0, rB = 0.0, xdon = 0.0, xdiv = 0.0;
    for (size_t i = 0; i < out->n_species; i++) {
        struct exsol_species *s = &out->sp[i];
        int want = s->site == 'A' ? 12 : 6;
        s->radius_m = lookup_radius(c, s->symbol, s->valence, want, &s->cn);
        if (!(s->radius_m > 0.0) || (s->site == 'B' && s->cn != 6))
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "no Shannon radius for %s%d+ on the %c site (formula '%s'); "
                                "choose another oxidation state with --valence",
                                s->symbol, s->valence, s->site, f);
        q += s->valence * s->fraction;
        if (s->site == 'A') {
            if (s->cn != 12)
                out->A_radius_fallback = 1;
            rA += s->fraction * s->radius_m;
            nA += s->fraction * s->valence;
            if (s->valence >= 3)
                xdon += s->fraction;
            else
                xdiv += s->fraction;
        } else {
            rB += s->fraction * s->radius_m;
        }
    }
    /* amounts are decimals of a few digits: snap sums to 1e-12 so that 1 - 0.95 gives
     * 0.05 and 5.8 gives δ = 0.1 exactly as printed, not 0.0999999999999996 */
    sumA = snap12(sumA);
    q = snap12(q);
    out->A_occupied = sumA;
    out->A_vacancy = sumA < 1.0 ? snap12(1.0 - sumA) : 0.0;
    out->A_donor_fraction = snap12(xdon);
    out->A_divalent_fraction = snap12(xdiv);
    out->B_donor_fraction = snap12(out->B_donor_fraction);
    out->B_fixed_fraction = snap12(out->B_fixed_fraction);
    out->cation_charge = q;
    /* the anions of a full lattice take up Q = 6 e (ABO3); each anion vacancy is
     * -anion_valence = 2 e of that */
    const double Q = exsol_host_anion_charge(&c->host);
    const double q_vac = -(double)c->host.anion_valence;
    if (q <= Q) {
        out->delta_asgrown = snap12((Q - q) / q_vac);
        out->net_donor_asgrown = 0.0;
    } else {
        out->delta_asgrown = 0.0;
        out->net_donor_asgrown = snap12(q - Q);
    }
    out->r_A_mean_m = rA / sumA;
    out->n_A_mean = nA / sumA;
    out->r_B_mean_m = rB / sumB;
    {
        const double rO = out->r_O_m, rAm = out->r_A_mean_m, rBm = out->r_B_mean_m;
        const double den = sqrt(2.0) * (rBm + rO);
        out->tolerance_factor = (rAm + rO) / den;
        out->tolerance_factor_vacancy_zero = (sumA * rAm + rO) / den;
        double ratio = rAm / rBm;
        /* τ is defined for r_A > r_B only (ln(r_A/r_B) > 0); flagged by the check */
        out->bartel_tau =
            ratio > 1.0 ? rO / rBm - out->n_A_mean * (out->n_A_mean - ratio / log(ratio)) : NAN;
    }

    /* canonical formula */
    {
        char amt[48];
        size_t used = 0;
        for (size_t i = 0; i < out->n_species; i++) {
            const struct exsol_species *s = &out->sp[i];
            exsol_comp_format_amount(s->fraction, amt, sizeof amt);
            if (strcmp(amt, "0") == 0) /* it would be recorded as 0: a formula gen refuses */
                return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                    "amount %g of %s in formula '%s' is below 5e-10, the "
                                    "precision formulas are recorded with",
                                    s->fraction, s->symbol, f);
            int w = snprintf(out->formula + used, sizeof out->formula - used, "%s%s", s->symbol,
                             strcmp(amt, "1") == 0 ? "" : amt);
            if (w < 0 || (size_t)w >= sizeof out->formula - used)
                return exsol_seterr(err, errlen, EXSOL_EVALUE, "formula '%s' too long", f);
            used += (size_t)w;
        }
        exsol_comp_format_amount(c->host.anion_count, amt, sizeof amt);
        int w = snprintf(out->formula + used, sizeof out->formula - used, "%s%s", c->host.anion,
                         strcmp(amt, "1") == 0 ? "" : amt);
        if (w < 0 || (size_t)w >= sizeof out->formula - used)
            return exsol_seterr(err, errlen, EXSOL_EVALUE, "formula '%s' too long", f);
    }
    out->feasible = 1;
    out->reason[0] = '\0';
    return 0;
}

static void add_reason(struct exsol_composition *comp, const char *text)
{
    size_t used = strlen(comp->reason);
    snprintf(comp->reason + used, sizeof comp->reason - used, "%s%s", used ? "; " : "", text);
}

void exsol_comp_check(struct exsol_composition *comp, const struct exsol_comp_limits *lim)
{
    char buf[96];
    comp->feasible = 1;
    comp->reason[0] = '\0';
    if (comp->tolerance_factor < lim->t_min) {
        snprintf(buf, sizeof buf, "t = %.4f < t_min = %.4g", comp->tolerance_factor,
                 lim->t_min);
        add_reason(comp, buf);
    }
    if (comp->tolerance_factor > lim->t_max) {
        snprintf(buf, sizeof buf, "t = %.4f > t_max = %.4g", comp->tolerance_factor,
                 lim->t_max);
        add_reason(comp, buf);
    }
    /* t with the vacancies counted (r = 0): a film with many empty A sites does not
     * hold the perovskite framework even when its occupied sites fit */
    if (comp->tolerance_factor_vacancy_zero < lim->t_min) {
        snprintf(buf, sizeof buf, "t with vacancies counted = %.4f < t_min = %.4g",
                 comp->tolerance_factor_vacancy_zero, lim->t_min);
        add_reason(comp, buf);
    }
    if (lim->a_max > 0 && comp->A_vacancy > lim->a_max * (1.0 + 1e-12)) {
        snprintf(buf, sizeof buf, "A-site vacancy %.4g > a_max = %.4g", comp->A_vacancy,
                 lim->a_max);
        add_reason(comp, buf);
    }
    if (lim->delta_max > 0 && comp->delta_asgrown > lim->delta_max * (1.0 + 1e-12)) {
        snprintf(buf, sizeof buf, "as-grown delta %.4g > delta_max = %.4g", comp->delta_asgrown,
                 lim->delta_max);
        add_reason(comp, buf);
    }
    if (comp->dopant[0] && strcmp(comp->dopant, "none") != 0 &&
        !(comp->dopant_fraction + comp->dopant2_fraction < 1.0 - 1e-12))
        add_reason(comp, "no host cation on the B site (z = 1): not a doped titanate film");
    if (isnan(comp->bartel_tau)) {
        add_reason(comp, "tau undefined (r_A <= r_B)");
    } else if (comp->bartel_tau >= lim->tau_max) {
        snprintf(buf, sizeof buf, "tau = %.3f >= tau_max = %.4g", comp->bartel_tau,
                 lim->tau_max);
        add_reason(comp, buf);
    }
    if (comp->reason[0])
        comp->feasible = 0;
}
