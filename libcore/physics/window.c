/* The process-window search (contract and the four steps in exsol/window.h).
 *
 * Why this shape:
 * - The lattice is the stated tolerance (dT, the time ratio), and the coarse stride a
 *   power of two of it, so every bisection midpoint is a lattice point and the result
 *   can be compared point for point with the brute grid T_i x t_j.
 * - Bisection runs per time sample: a midpoint asks only for the time samples whose
 *   verdicts differ across the pair, so a round costs one integration per (film, T)
 *   and only as many (T, t) points as there are boundaries being refined.
 * - Everything is serial and ordered by (film, T, t): the points asked for, and so
 *   the output, do not depend on the thread count of the evaluator. */
#include "exsol/window.h"

#include "exsol/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int exsol_window_grid_check(const struct exsol_window_grid *g, char *err, size_t errlen)
{
    if (g->nT < 2)
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "the temperature range must hold at least two points one "
                            "tolerance apart");
    if (g->nt < 1 || !g->t_s)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "no time samples");
    if (g->stride < 1 || (g->stride & (g->stride - 1)) != 0)
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "the coarse stride must be a power of two lattice steps");
    if (!isfinite(g->T_lo) || !(g->dT > 0) || !isfinite(g->dT))
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "bad temperature lattice");
    for (size_t j = 0; j < g->nt; j++)
        if (!(g->t_s[j] > 0) || !isfinite(g->t_s[j]) || (j && !(g->t_s[j] > g->t_s[j - 1])))
            return exsol_seterr(err, errlen, EXSOL_EVALUE,
                                "time samples must be positive and ascending");
    return EXSOL_OK;
}

static size_t at(const struct exsol_window_grid *g, size_t f, size_t i, size_t j)
{
    return (f * g->nT + i) * g->nt + j;
}

static int dual_of(unsigned w)
{
    return w == 0;
}

/* The two verdict words differ in what the bisection follows. */
static int differ(const struct exsol_window_grid *g, unsigned a, unsigned b)
{
    return dual_of(a) != dual_of(b) || ((a ^ b) & g->refine_mask) != 0;
}

static int point_less(const void *pa, const void *pb)
{
    const struct exsol_window_point *a = pa, *b = pb;
    if (a->film != b->film)
        return a->film < b->film ? -1 : 1;
    if (a->iT != b->iT)
        return a->iT < b->iT ? -1 : 1;
    if (a->jt != b->jt)
        return a->jt < b->jt ? -1 : 1;
    return 0;
}

/* A growable list of points. */
struct plist {
    struct exsol_window_point *p;
    size_t n, cap;
};

static int plist_push(struct plist *l, size_t f, size_t i, size_t j)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 256;
        void *q = realloc(l->p, cap * sizeof *l->p);
        if (!q)
            return EXSOL_ENOMEM;
        l->p = q;
        l->cap = cap;
    }
    l->p[l->n].film = f;
    l->p[l->n].iT = i;
    l->p[l->n].jt = j;
    l->n++;
    return 0;
}

struct search {
    const struct exsol_window_grid *g;
    size_t nfilm;
    exsol_window_eval_fn eval;
    void *ctx;
    unsigned *state, *flags;
    size_t flags_cap;
    unsigned char *seen; /* per film: took part in this round */
    struct exsol_window_counts *counts, *total;
};

/* Evaluates the points of l (sorted here) and stores their verdicts. */
static int round_run(struct search *s, struct plist *l, char *err, size_t errlen)
{
    const struct exsol_window_grid *g = s->g;
    if (l->n == 0)
        return 0;
    qsort(l->p, l->n, sizeof *l->p, point_less);
    if (l->n > s->flags_cap) {
        void *q = realloc(s->flags, l->n * sizeof *s->flags);
        if (!q)
            return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        s->flags = q;
        s->flags_cap = l->n;
    }
    int rc = s->eval(s->ctx, l->p, l->n, s->flags, err, errlen);
    if (rc)
        return rc;
    memset(s->seen, 0, s->nfilm);
    size_t integ = 0;
    for (size_t k = 0; k < l->n; k++) {
        const struct exsol_window_point *p = &l->p[k];
        if (s->flags[k] == EXSOL_WINDOW_UNKNOWN)
            return exsol_seterr(err, errlen, EXSOL_EVALUE, "the verdict of a point is missing");
        s->state[at(g, p->film, p->iT, p->jt)] = s->flags[k];
        int first = k == 0 || p->film != l->p[k - 1].film || p->iT != l->p[k - 1].iT;
        integ += (size_t)first;
        if (s->counts) {
            struct exsol_window_counts *c = &s->counts[p->film];
            c->points++;
            c->integrations += (size_t)first;
            if (!s->seen[p->film])
                c->rounds++;
        }
        s->seen[p->film] = 1;
    }
    if (s->total) {
        s->total->rounds++;
        s->total->integrations += integ;
        s->total->points += l->n;
    }
    l->n = 0;
    return 0;
}

/* A pair of lattice temperatures [a, b] of film f whose verdicts differ at time j. */
struct pair {
    size_t f, a, b, j;
};

static int pair_push(struct pair **pr, size_t *n, size_t *cap, size_t f, size_t a, size_t b,
                     size_t j)
{
    if (*n == *cap) {
        size_t nc = *cap ? 2 * *cap : 256;
        void *q = realloc(*pr, nc * sizeof **pr);
        if (!q)
            return EXSOL_ENOMEM;
        *pr = q;
        *cap = nc;
    }
    (*pr)[*n].f = f, (*pr)[*n].a = a, (*pr)[*n].b = b, (*pr)[*n].j = j;
    (*n)++;
    return 0;
}

int exsol_window_search(const struct exsol_window_grid *g, size_t nfilm,
                        exsol_window_eval_fn eval, void *ctx, unsigned *state,
                        struct exsol_window_counts *counts, struct exsol_window_counts *total,
                        char *err, size_t errlen)
{
    int rc = exsol_window_grid_check(g, err, errlen);
    if (rc)
        return rc;
    struct search s = {g, nfilm, eval, ctx, state, NULL, 0, NULL, counts, total};
    struct plist l = {0};
    struct pair *pr = NULL;
    size_t npr = 0, cap = 0;
    unsigned char *dual = NULL;
    size_t per = g->nT * g->nt;
    for (size_t k = 0; k < nfilm * per; k++)
        state[k] = EXSOL_WINDOW_UNKNOWN;
    if (counts)
        memset(counts, 0, nfilm * sizeof *counts);
    if (total)
        memset(total, 0, sizeof *total);
    if (nfilm == 0)
        return 0;
    s.seen = malloc(nfilm);
    dual = malloc(per);
    if (!s.seen || !dual) {
        rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        goto done;
    }

    /* 1. coarse scan */
    for (size_t f = 0; f < nfilm && !rc; f++)
        for (size_t i = 0; i < g->nT && !rc; i += g->stride) {
            for (size_t j = 0; j < g->nt && !rc; j++)
                rc = plist_push(&l, f, i, j);
            size_t last = g->nT - 1; /* the range's end, also off the stride */
            if (i < last && i + g->stride > last)
                for (size_t j = 0; j < g->nt && !rc; j++)
                    rc = plist_push(&l, f, last, j);
        }
    if (rc || (rc = round_run(&s, &l, err, errlen)))
        goto done;

    /* 2. bisection of every neighbouring pair whose verdicts differ, per time sample */
    for (size_t f = 0; f < nfilm; f++)
        for (size_t j = 0; j < g->nt; j++) {
            size_t a = 0;
            for (size_t b = 1; b < g->nT; b++) {
                if (state[at(g, f, b, j)] == EXSOL_WINDOW_UNKNOWN)
                    continue;
                if (b - a > 1 && differ(g, state[at(g, f, a, j)], state[at(g, f, b, j)]) &&
                    (rc = pair_push(&pr, &npr, &cap, f, a, b, j)))
                    goto done;
                a = b;
            }
        }
    while (npr > 0) {
        for (size_t k = 0; k < npr && !rc; k++)
            rc = plist_push(&l, pr[k].f, (pr[k].a + pr[k].b) / 2, pr[k].j);
        if (rc || (rc = round_run(&s, &l, err, errlen)))
            goto done;
        /* each half whose ends still differ goes on (both may) */
        struct pair *next = NULL;
        size_t nnext = 0, ncap = 0;
        for (size_t k = 0; k < npr && !rc; k++) {
            struct pair p = pr[k];
            size_t m = (p.a + p.b) / 2;
            unsigned wa = state[at(g, p.f, p.a, p.j)], wm = state[at(g, p.f, m, p.j)],
                     wb = state[at(g, p.f, p.b, p.j)];
            if (m - p.a > 1 && differ(g, wa, wm))
                rc = pair_push(&next, &nnext, &ncap, p.f, p.a, m, p.j);
            if (!rc && p.b - m > 1 && differ(g, wm, wb))
                rc = pair_push(&next, &nnext, &ncap, p.f, m, p.b, p.j);
        }
        free(pr);
        pr = next;
        npr = nnext;
        cap = ncap;
        if (rc)
            goto done;
    }

    /* 4. the points just outside the four extreme sides, where not yet evaluated */
    for (size_t f = 0; f < nfilm && !rc; f++) {
        struct exsol_window_summary sm;
        const unsigned *st = state + f * per;
        exsol_window_summarise(g, st, dual, &sm, NULL);
        if (!sm.has_window)
            continue;
        long pts[4][2] = {{sm.iT_min - 1, sm.jt_at_T_min},
                          {sm.iT_max + 1, sm.jt_at_T_max},
                          {sm.iT_at_t_min, sm.jt_min - 1},
                          {sm.iT_at_t_max, sm.jt_max + 1}};
        for (int k = 0; k < 4 && !rc; k++) {
            long i = pts[k][0], j = pts[k][1];
            if (i < 0 || j < 0 || (size_t)i >= g->nT || (size_t)j >= g->nt)
                continue;
            int dup = 0;
            for (int q = 0; q < k; q++)
                dup |= pts[q][0] == i && pts[q][1] == j;
            if (!dup && st[(size_t)i * g->nt + (size_t)j] == EXSOL_WINDOW_UNKNOWN)
                rc = plist_push(&l, f, (size_t)i, (size_t)j);
        }
    }
    if (!rc)
        rc = round_run(&s, &l, err, errlen);
done:
    if (rc == EXSOL_ENOMEM && err && errlen && !err[0])
        exsol_seterr(err, errlen, rc, "out of memory");
    free(l.p);
    free(pr);
    free(s.flags);
    free(s.seen);
    free(dual);
    return rc;
}

void exsol_window_infer(const struct exsol_window_grid *g, const unsigned *state,
                        unsigned char *dual)
{
    for (size_t j = 0; j < g->nt; j++) {
        long a = -1; /* last evaluated temperature at j */
        for (size_t i = 0; i < g->nT; i++) {
            unsigned w = state[i * g->nt + j];
            dual[i * g->nt + j] = 0;
            if (w == EXSOL_WINDOW_UNKNOWN)
                continue;
            dual[i * g->nt + j] = (unsigned char)dual_of(w);
            /* the unknown points since a take the verdict both ends share */
            if (a >= 0 && dual_of(state[(size_t)a * g->nt + j]) == dual_of(w))
                for (size_t k = (size_t)a + 1; k < i; k++)
                    dual[k * g->nt + j] = (unsigned char)dual_of(w);
            a = (long)i;
        }
    }
}

static unsigned word_at(const struct exsol_window_grid *g, const unsigned *state, long i,
                        long j)
{
    if (i < 0 || j < 0 || (size_t)i >= g->nT || (size_t)j >= g->nt)
        return EXSOL_WINDOW_LIMIT_RANGE;
    unsigned w = state[(size_t)i * g->nt + (size_t)j];
    return w == EXSOL_WINDOW_UNKNOWN ? 0 : w;
}

void exsol_window_summarise(const struct exsol_window_grid *g, const unsigned *state,
                            unsigned char *dual, struct exsol_window_summary *s,
                            const struct exsol_window_curves *c)
{
    const size_t nT = g->nT, nt = g->nt;
    memset(s, 0, sizeof *s);
    s->iT_min = s->jt_at_T_min = s->iT_max = s->jt_at_T_max = -1;
    s->jt_min = s->iT_at_t_min = s->jt_max = s->iT_at_t_max = -1;
    exsol_window_infer(g, state, dual);
    for (size_t i = 0; i < nT; i++)
        for (size_t j = 0; j < nt; j++) {
            if (!dual[i * nt + j])
                continue;
            if (s->iT_min < 0)
                s->iT_min = (long)i, s->jt_at_T_min = (long)j;
            if (s->iT_max != (long)i)
                s->iT_max = (long)i, s->jt_at_T_max = (long)j;
            if (s->jt_min < 0 || (long)j < s->jt_min)
                s->jt_min = (long)j, s->iT_at_t_min = (long)i;
            if ((long)j > s->jt_max)
                s->jt_max = (long)j, s->iT_at_t_max = (long)i;
        }
    s->has_window = s->iT_min >= 0;
    if (c) {
        for (size_t j = 0; j < nt; j++) {
            long lo = -1, hi = -1;
            for (size_t i = 0; i < nT; i++)
                if (dual[i * nt + j]) {
                    if (lo < 0)
                        lo = (long)i;
                    hi = (long)i;
                }
            if (c->T_min_at_t)
                c->T_min_at_t[j] = lo;
            if (c->T_max_at_t)
                c->T_max_at_t[j] = hi;
            if (c->limit_low_at_t)
                c->limit_low_at_t[j] = lo < 0 ? 0 : word_at(g, state, lo - 1, (long)j);
            if (c->limit_high_at_t)
                c->limit_high_at_t[j] = hi < 0 ? 0 : word_at(g, state, hi + 1, (long)j);
        }
        for (size_t i = 0; i < nT; i++) {
            long lo = -1, hi = -1;
            for (size_t j = 0; j < nt; j++)
                if (dual[i * nt + j]) {
                    if (lo < 0)
                        lo = (long)j;
                    hi = (long)j;
                }
            if (c->t_min_at_T)
                c->t_min_at_T[i] = lo;
            if (c->t_max_at_T)
                c->t_max_at_T[i] = hi;
        }
    }
    if (!s->has_window) {
        unsigned all = ~0u, any = 0;
        for (size_t k = 0; k < nT * nt; k++)
            if (state[k] != EXSOL_WINDOW_UNKNOWN)
                all &= state[k], any |= state[k];
        s->limit_T_low = all && all != ~0u ? all : any;
        return;
    }
    s->limit_T_low = word_at(g, state, s->iT_min - 1, s->jt_at_T_min);
    s->limit_T_high = word_at(g, state, s->iT_max + 1, s->jt_at_T_max);
    s->limit_t_short = word_at(g, state, s->iT_at_t_min, s->jt_min - 1);
    s->limit_t_long = word_at(g, state, s->iT_at_t_max, s->jt_max + 1);
}

double exsol_window_gas_next(double lo, double hi, double tol)
{
    if (!(lo > 0 && hi > lo && tol > 0) || hi <= lo * (1.0 + tol))
        return 0.0;
    return sqrt(lo * hi);
}
