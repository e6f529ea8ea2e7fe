/* Unit tests for the process-window search (exsol/window.h) on synthetic verdict
 * regions: the boundaries it finds equal the brute-force lattice ones, each side
 * carries the reason of the point just outside, a film that never switches has no
 * window and the reason every point shares, no point is evaluated twice, and the
 * search costs at most a fifth of the grid's (T, t) points (counted, never timed). */
#include "check.h"
#include "exsol/error.h"
#include "exsol/window.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { R_COLD = 1, R_HOT = 2, R_LONG = 4, R_NEVER = 8 };

struct synth {
    const struct exsol_window_grid *g;
    size_t nfilm;
    unsigned *hits; /* evaluations per (film, T, t) */
    size_t film0;   /* verdict of film f is that of synthetic film film0 + f */
    size_t calls;
    int sorted; /* every call's points came sorted */
};

/* Film 0: dual between T_low(t) and T_high(t) (both fall with log t), t <= 10 h.
 * Film 1: the same region shifted 100 K up. Film 2: never switches. Film 3: a
 * 15 K pocket (1010-1025 K) between two coarse points that fail for different
 * reasons. */
static unsigned verdict(size_t film, double T, double t)
{
    if (film == 2)
        return R_NEVER | R_COLD;
    if (film == 3)
        return T < 1010.0 ? R_COLD : T > 1025.0 ? R_HOT : 0;
    double shift = film == 1 ? 100.0 : 0.0;
    double lt = log10(t / 3600.0); /* decades of hours */
    double lo = 900.0 - 60.0 * lt + shift, hi = 1150.0 - 90.0 * lt + shift;
    unsigned w = 0;
    if (T < lo)
        w |= R_COLD;
    if (T > hi)
        w |= R_HOT;
    if (t > 36000.0)
        w |= R_LONG;
    return w;
}

static int synth_eval(void *ctx, const struct exsol_window_point *pts, size_t n,
                      unsigned *flags, char *err, size_t errlen)
{
    struct synth *s = ctx;
    (void)err, (void)errlen;
    s->calls++;
    for (size_t k = 0; k < n; k++) {
        const struct exsol_window_point *p = &pts[k];
        if (k > 0) {
            const struct exsol_window_point *q = &pts[k - 1];
            if (p->film < q->film || (p->film == q->film && p->iT < q->iT) ||
                (p->film == q->film && p->iT == q->iT && p->jt <= q->jt))
                s->sorted = 0;
        }
        s->hits[(p->film * s->g->nT + p->iT) * s->g->nt + p->jt]++;
        flags[k] = verdict(s->film0 + p->film, s->g->T_lo + (double)p->iT * s->g->dT,
                           s->g->t_s[p->jt]);
    }
    return 0;
}

/* Brute force on the lattice: the same summary the grid of the chain would give. */
static void brute(const struct exsol_window_grid *g, size_t film,
                  struct exsol_window_summary *s, long *Tmin, long *Tmax, long *tmin)
{
    memset(s, 0, sizeof *s);
    s->iT_min = s->iT_max = s->jt_min = s->jt_max = -1;
    for (size_t j = 0; j < g->nt; j++)
        Tmin[j] = Tmax[j] = -1;
    for (size_t i = 0; i < g->nT; i++) {
        tmin[i] = -1;
        for (size_t j = 0; j < g->nt; j++) {
            if (verdict(film, g->T_lo + (double)i * g->dT, g->t_s[j]) != 0)
                continue;
            if (tmin[i] < 0)
                tmin[i] = (long)j;
            if (Tmin[j] < 0)
                Tmin[j] = (long)i;
            Tmax[j] = (long)i;
            if (s->iT_min < 0)
                s->iT_min = (long)i, s->jt_at_T_min = (long)j;
            if (s->iT_max != (long)i)
                s->iT_max = (long)i, s->jt_at_T_max = (long)j;
            if (s->jt_min < 0 || (long)j < s->jt_min)
                s->jt_min = (long)j, s->iT_at_t_min = (long)i;
            if ((long)j > s->jt_max)
                s->jt_max = (long)j, s->iT_at_t_max = (long)i;
        }
    }
    s->has_window = s->iT_min >= 0;
}

static void test_search(void)
{
    /* 450-1000 C in 5 K steps, 0.1-100 h at 10 % steps: the default ranges */
    double t[80];
    size_t nt = 0;
    for (double x = 360.0; x <= 360000.0 * 1.0000001; x *= 1.1)
        t[nt++] = x;
    struct exsol_window_grid g = {111, 723.15, 5.0, 8, nt, t, 0};
    const size_t nfilm = 3, per = g.nT * g.nt;
    unsigned *state = malloc(nfilm * per * sizeof *state);
    unsigned char *dual = malloc(per);
    struct synth s = {&g, nfilm, calloc(nfilm * per, sizeof(unsigned)), 0, 0, 1};
    struct exsol_window_counts c[3], tot;
    char err[256] = "";
    long *Tmin = malloc(nt * sizeof *Tmin), *Tmax = malloc(nt * sizeof *Tmax),
         *tmin = malloc(g.nT * sizeof *tmin);
    long *cTmin = malloc(nt * sizeof *Tmin), *cTmax = malloc(nt * sizeof *Tmax),
         *ctmin = malloc(g.nT * sizeof *tmin), *ctmax = malloc(g.nT * sizeof *tmin);
    unsigned *llow = malloc(nt * sizeof *llow), *lhigh = malloc(nt * sizeof *lhigh);
    struct exsol_window_curves cv = {cTmin, cTmax, ctmin, ctmax, llow, lhigh};

    CHECK_EQ_INT(
        exsol_window_search(&g, nfilm, synth_eval, &s, state, c, &tot, err, sizeof err), 0);
    CHECK(s.sorted);
    size_t twice = 0;
    for (size_t k = 0; k < nfilm * per; k++)
        twice += s.hits[k] > 1;
    CHECK_EQ_INT(twice, 0);

    for (size_t f = 0; f < 2; f++) {
        struct exsol_window_summary got, want;
        exsol_window_summarise(&g, state + f * per, dual, &got, &cv);
        brute(&g, f, &want, Tmin, Tmax, tmin);
        CHECK(got.has_window && want.has_window);
        CHECK_EQ_INT(got.iT_min, want.iT_min);
        CHECK_EQ_INT(got.jt_at_T_min, want.jt_at_T_min);
        CHECK_EQ_INT(got.iT_max, want.iT_max);
        CHECK_EQ_INT(got.jt_at_T_max, want.jt_at_T_max);
        CHECK_EQ_INT(got.jt_min, want.jt_min);
        CHECK_EQ_INT(got.iT_at_t_min, want.iT_at_t_min);
        CHECK_EQ_INT(got.jt_max, want.jt_max);
        size_t bad = 0;
        for (size_t j = 0; j < nt; j++)
            bad += cTmin[j] != Tmin[j] || cTmax[j] != Tmax[j];
        for (size_t i = 0; i < g.nT; i++)
            bad += ctmin[i] != tmin[i];
        CHECK_EQ_INT(bad, 0);
        /* the limits: cold below, hot above, too long after 10 h */
        CHECK(got.limit_T_low & R_COLD);
        CHECK(got.limit_T_high & (R_HOT | EXSOL_WINDOW_LIMIT_RANGE));
        CHECK(got.limit_t_long & R_LONG);
        CHECK(got.limit_t_short != 0);
        for (size_t j = 0; j < nt; j++)
            if (cTmin[j] > 0)
                CHECK(llow[j] & R_COLD);
        /* a fifth of the grid's points at most */
        CHECK(c[f].points * 5 <= per);
        /* and fewer integrations than the grid's temperatures (one per T) */
        CHECK(c[f].integrations < g.nT);
    }
    /* film 1 is 100 K hotter: its lowest T is 20 lattice steps higher */
    struct exsol_window_summary s0, s1, s2;
    exsol_window_summarise(&g, state, dual, &s0, NULL);
    exsol_window_summarise(&g, state + per, dual, &s1, NULL);
    CHECK_EQ_INT(s1.iT_min - s0.iT_min, 20);

    /* film 2 never switches: no window, the reason all its points share */
    exsol_window_summarise(&g, state + 2 * per, dual, &s2, NULL);
    CHECK(!s2.has_window);
    CHECK_EQ_INT(s2.limit_T_low, R_NEVER | R_COLD);
    /* no boundary to refine: only the coarse scan (15 temperatures) */
    CHECK_EQ_INT(c[2].integrations, 15);
    CHECK_EQ_INT(c[2].points, 15 * nt);
    CHECK_EQ_INT(c[2].rounds, 1);

    CHECK_EQ_INT(tot.points, c[0].points + c[1].points + c[2].points);
    CHECK(tot.integrations <= c[0].integrations + c[1].integrations + c[2].integrations);
    CHECK(tot.rounds == s.calls);

    free(state), free(dual), free(s.hits), free(Tmin), free(Tmax), free(tmin);
    free(cTmin), free(cTmax), free(ctmin), free(ctmax), free(llow), free(lhigh);
}

/* A window at the edge of the range is closed there by the range. */
static void test_range_edge(void)
{
    double t[3] = {3600.0, 7200.0, 14400.0};
    struct exsol_window_grid g = {21, 950.0, 5.0, 4, 3, t, 0}; /* 950-1050 K: all dual */
    unsigned state[21 * 3];
    unsigned char dual[21 * 3];
    unsigned hits[21 * 3] = {0};
    struct synth s = {&g, 1, hits, 0, 0, 1};
    char err[128];
    struct exsol_window_summary sm;
    CHECK_EQ_INT(exsol_window_search(&g, 1, synth_eval, &s, state, NULL, NULL, err, sizeof err),
                 0);
    exsol_window_summarise(&g, state, dual, &sm, NULL);
    CHECK(sm.has_window);
    CHECK_EQ_INT(sm.iT_min, 0);
    CHECK_EQ_INT(sm.jt_min, 0);
    CHECK_EQ_INT(sm.limit_T_low, EXSOL_WINDOW_LIMIT_RANGE);
    CHECK_EQ_INT(sm.limit_t_short, EXSOL_WINDOW_LIMIT_RANGE);
    CHECK_EQ_INT(sm.limit_t_long, EXSOL_WINDOW_LIMIT_RANGE);
}

/* A pocket between two failing coarse points: missed when only a change of dual
 * switch starts a bisection, found when a change of reason does too. */
static void test_pocket(void)
{
    double t[2] = {3600.0, 7200.0};
    enum { NT = 111 };
    unsigned state[NT * 2], hits[NT * 2];
    unsigned char dual[NT * 2];
    char err[128];
    struct exsol_window_summary sm;
    for (int refine = 0; refine < 2; refine++) {
        struct exsol_window_grid g = {NT, 723.15, 5.0, 8, 2, t, refine ? R_COLD | R_HOT : 0u};
        struct synth s = {&g, 1, hits, 3, 0, 1};
        memset(hits, 0, sizeof hits);
        CHECK_EQ_INT(
            exsol_window_search(&g, 1, synth_eval, &s, state, NULL, NULL, err, sizeof err), 0);
        exsol_window_summarise(&g, state, dual, &sm, NULL);
        if (!refine) {
            CHECK(!sm.has_window);
        } else {
            CHECK(sm.has_window);
            CHECK_CLOSE(g.T_lo + (double)sm.iT_min * g.dT, 1013.15, 0, 1e-9);
            CHECK_CLOSE(g.T_lo + (double)sm.iT_max * g.dT, 1023.15, 0, 1e-9);
            CHECK(sm.limit_T_low == R_COLD && sm.limit_T_high == R_HOT);
        }
    }
}

static int fail_eval(void *ctx, const struct exsol_window_point *pts, size_t n, unsigned *flags,
                     char *err, size_t errlen)
{
    (void)ctx, (void)pts, (void)n, (void)flags;
    return exsol_seterr(err, errlen, EXSOL_EIO, "disk gone");
}

static void test_errors(void)
{
    double t[2] = {10.0, 20.0}, tbad[2] = {20.0, 10.0};
    unsigned state[4 * 2];
    char err[128];
    struct exsol_window_grid g = {4, 700.0, 5.0, 2, 2, t, 0};
    struct exsol_window_grid one = {1, 700.0, 5.0, 1, 2, t, 0};
    struct exsol_window_grid odd = {4, 700.0, 5.0, 3, 2, t, 0};
    struct exsol_window_grid desc = {4, 700.0, 5.0, 2, 2, tbad, 0};
    CHECK_EQ_INT(exsol_window_grid_check(&g, err, sizeof err), 0);
    CHECK_EQ_INT(exsol_window_grid_check(&one, err, sizeof err), EXSOL_EVALUE);
    CHECK_EQ_INT(exsol_window_grid_check(&odd, err, sizeof err), EXSOL_EVALUE);
    CHECK_EQ_INT(exsol_window_grid_check(&desc, err, sizeof err), EXSOL_EVALUE);
    CHECK_EQ_INT(
        exsol_window_search(&g, 1, fail_eval, NULL, state, NULL, NULL, err, sizeof err),
        EXSOL_EIO);
    CHECK(strstr(err, "disk gone") != NULL);
}

int main(void)
{
    test_search();
    test_range_edge();
    test_pocket();
    test_errors();
    return check_report("test_window");
}
