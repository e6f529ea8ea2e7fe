/* Dual-switching ranking: constraints, constrained non-dominated sorting,
 * crowding distance, score and final order (contract in exsol/rank.h).
 *
 * Why this shape:
 * - Two objectives allow an O(N log N) non-dominated sort (Jensen 2003; the
 *   "efficient non-domination level update" idea): after sorting by objective 1
 *   (descending, objective 2 descending as tie-break), every point that can
 *   dominate p has been seen before p, and p is dominated by front f exactly when
 *   the largest objective 2 seen so far in f is >= p's. Those maxima decrease with
 *   f, so a binary search finds p's front. Runs of identical points are placed
 *   together, so equal points share a front instead of dominating each other.
 * - Constrained domination uses the number of violated constraints as the
 *   violation measure: it is the primary sort key and each violation level gets
 *   its own set of fronts, numbered after the previous level's.
 * - Scores use fixed references (not min/max of the file) so a row's score does
 *   not depend on which other rows were screened with it: shards, pipes and the
 *   merged workflow give the same numbers.
 * - Our own merge sort (stable, deterministic, O(N log N) worst case) instead of
 *   qsort: the order of equal keys is defined (row index) and comparisons can be
 *   counted without global state. */
#include "exsol/rank.h"

#include "exsol/error.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int exsol_rank_params_check(const struct exsol_rank_params *rp, char *err, size_t errlen)
{
    if (!(rp->tolerance_factor_min < rp->tolerance_factor_max))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "tolerance_factor_min must be below tolerance_factor_max");
    if (!(rp->weight_rho >= 0 && rp->weight_mag >= 0 && rp->weight_rho + rp->weight_mag > 0))
        return exsol_seterr(err, errlen, EXSOL_EVALUE,
                            "weights must be >= 0 with a positive sum");
    if (!(rp->log10_rho_ratio_ref > 0 && rp->M_ref_A_m > 0))
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "score references must be > 0");
    if (!(rp->penalty >= 0))
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "penalty must be >= 0");
    if (!(rp->T_anneal_max_K > 0 && rp->t_anneal_max_s > 0 && rp->bartel_tau_max > 0))
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "process and tau limits must be > 0");
    if (isnan(rp->min_log10_rho_ratio))
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "min_log10_rho_ratio is NaN");
    return EXSOL_OK;
}

double exsol_rank_magnetic_objective(double M_A_m, int spm)
{
    if (spm < 0 || isnan(M_A_m))
        return NAN;
    return spm == 1 ? M_A_m : 0.0;
}

/* ---- sorting ------------------------------------------------------------ */

int exsol_rank_sort(size_t n, int (*less)(size_t a, size_t b, const void *ctx), const void *ctx,
                    size_t *perm, size_t *ncompare)
{
    size_t *tmp = NULL, *src = perm, *dst;
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    if (n < 2)
        goto done;
    tmp = malloc(n * sizeof *tmp);
    if (!tmp)
        return EXSOL_ENOMEM;
    dst = tmp;
    /* bottom-up merge sort; stable because ties take the left run first */
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                count++;
                if (less(src[j], src[i], ctx))
                    dst[k++] = src[j++];
                else
                    dst[k++] = src[i++];
            }
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        size_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != perm)
        memcpy(perm, src, n * sizeof *perm);
    free(tmp);
done:
    if (ncompare)
        *ncompare += count;
    return EXSOL_OK;
}

/* ---- non-dominated sorting ---------------------------------------------- */

struct pareto_ctx {
    const double *o1, *o2;
    const int *group;
};

/* group ascending, objective 1 descending, objective 2 descending */
static int pareto_less(size_t a, size_t b, const void *vctx)
{
    const struct pareto_ctx *c = vctx;
    if (c->group && c->group[a] != c->group[b])
        return c->group[a] < c->group[b];
    if (c->o1[a] != c->o1[b])
        return c->o1[a] > c->o1[b];
    return c->o2[a] > c->o2[b];
}

int exsol_rank_pareto(size_t n, const double *obj1, const double *obj2, const int *group,
                      int *front, int *nfronts, size_t *ncompare)
{
    int rc = EXSOL_OK;
    size_t *perm = NULL;
    double *best = NULL; /* best[f]: largest objective 2 in local front f so far */
    size_t count = 0;
    int total = 0;
    if (n == 0)
        goto done;
    perm = malloc(n * sizeof *perm);
    best = malloc(n * sizeof *best);
    if (!perm || !best) {
        rc = EXSOL_ENOMEM;
        goto done;
    }
    struct pareto_ctx ctx = {obj1, obj2, group};
    rc = exsol_rank_sort(n, pareto_less, &ctx, perm, &count);
    if (rc)
        goto done;

    size_t nlocal = 0;
    int offset = 0;
    for (size_t s = 0; s < n;) {
        size_t p = perm[s];
        if (s == 0 || (group && group[p] != group[perm[s - 1]])) {
            offset = total; /* a new violation level starts its own fronts */
            nlocal = 0;
        }
        /* the run of points identical to p (same group and objectives) */
        size_t e = s + 1;
        while (e < n) {
            size_t q = perm[e];
            count++;
            if ((group && group[q] != group[p]) || obj1[q] != obj1[p] || obj2[q] != obj2[p])
                break;
            e++;
        }
        /* first local front whose best objective 2 is below p's: none of its
         * points (nor of any later front) dominates p */
        size_t lo = 0, hi = nlocal;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            count++;
            if (best[mid] < obj2[p])
                hi = mid;
            else
                lo = mid + 1;
        }
        if (lo == nlocal)
            nlocal++;
        best[lo] = obj2[p];
        int f = offset + (int)lo + 1;
        if (f > total)
            total = f;
        for (size_t k = s; k < e; k++)
            front[perm[k]] = f;
        s = e;
    }
done:
    if (nfronts)
        *nfronts = total;
    if (ncompare)
        *ncompare += count;
    free(perm);
    free(best);
    return rc;
}

/* ---- crowding distance -------------------------------------------------- */

struct crowd_ctx {
    const int *front;
    const double *v;
};

static int crowd_less(size_t a, size_t b, const void *vctx)
{
    const struct crowd_ctx *c = vctx;
    if (c->front[a] != c->front[b])
        return c->front[a] < c->front[b];
    return c->v[a] < c->v[b];
}

int exsol_rank_crowding(size_t n, const double *obj1, const double *obj2, const int *front,
                        double *crowding)
{
    size_t *perm;
    if (n == 0)
        return EXSOL_OK;
    perm = malloc(n * sizeof *perm);
    if (!perm)
        return EXSOL_ENOMEM;
    for (size_t i = 0; i < n; i++)
        crowding[i] = 0.0;
    const double *objs[2] = {obj1, obj2};
    for (int m = 0; m < 2; m++) {
        struct crowd_ctx ctx = {front, objs[m]};
        const double *v = objs[m];
        int rc = exsol_rank_sort(n, crowd_less, &ctx, perm, NULL);
        if (rc) {
            free(perm);
            return rc;
        }
        for (size_t s = 0; s < n;) {
            size_t e = s + 1;
            while (e < n && front[perm[e]] == front[perm[s]])
                e++;
            double lo = v[perm[s]], hi = v[perm[e - 1]];
            crowding[perm[s]] = INFINITY;
            crowding[perm[e - 1]] = INFINITY;
            if (hi > lo)
                for (size_t k = s + 1; k + 1 < e; k++)
                    crowding[perm[k]] += (v[perm[k + 1]] - v[perm[k - 1]]) / (hi - lo);
            s = e;
        }
    }
    free(perm);
    return EXSOL_OK;
}

/* ---- the whole ranking -------------------------------------------------- */

static int popcount_constraints(unsigned f)
{
    int c = 0;
    for (f &= EXSOL_RANK_F_CONSTRAINTS; f; f &= f - 1)
        c++;
    return c;
}

unsigned exsol_rank_row_flags(const struct exsol_rank_params *rp,
                              const struct exsol_rank_input *in, size_t i)
{
    unsigned f = 0;
    if (in->excluded && in->excluded[i])
        f |= EXSOL_RANK_F_STATUS;
    double r = in->log10_rho_ratio[i];
    double M = in->M_300K_reduced_A_m[i];
    int spm = in->spm_300K_reduced[i];
    /* a NaN is missing; ±inf is no measurement either (an inf ratio would rank first and
     * an inf score ruin the order): both exclude the row */
    if (!isfinite(r) || !isfinite(M) || spm < 0 ||
        (in->M_300K_pristine_A_m && !isfinite(in->M_300K_pristine_A_m[i])) ||
        (in->tolerance_factor && !isfinite(in->tolerance_factor[i])) ||
        (in->bartel_tau && !isfinite(in->bartel_tau[i])) ||
        (in->feasible && in->feasible[i] < 0) ||
        (in->T_anneal_K && !isfinite(in->T_anneal_K[i])) ||
        (in->t_anneal_s && !isfinite(in->t_anneal_s[i])) ||
        (in->insulating_pristine && in->insulating_pristine[i] < 0) ||
        (in->metallic_reduced && in->metallic_reduced[i] < 0))
        f |= EXSOL_RANK_F_MISSING;
    if (f)
        return f;
    if (in->feasible && in->feasible[i] != 1)
        f |= EXSOL_RANK_F_FEASIBLE;
    if (in->tolerance_factor && (in->tolerance_factor[i] < rp->tolerance_factor_min ||
                                 in->tolerance_factor[i] > rp->tolerance_factor_max))
        f |= EXSOL_RANK_F_TOLERANCE;
    if (in->bartel_tau && !(in->bartel_tau[i] < rp->bartel_tau_max))
        f |= EXSOL_RANK_F_TAU;
    if (in->T_anneal_K && in->T_anneal_K[i] > rp->T_anneal_max_K)
        f |= EXSOL_RANK_F_T_ANNEAL;
    if (in->t_anneal_s && in->t_anneal_s[i] > rp->t_anneal_max_s)
        f |= EXSOL_RANK_F_TIME;
    if (!(r >= rp->min_log10_rho_ratio))
        f |= EXSOL_RANK_F_RATIO;
    if (in->insulating_pristine && in->insulating_pristine[i] != 1)
        f |= EXSOL_RANK_F_INSULATING;
    if (in->metallic_reduced && in->metallic_reduced[i] != 1)
        f |= EXSOL_RANK_F_METALLIC;
    /* the magnetic contrast is judged once, by magnet (spm_contrast_min) */
    if (spm != 1)
        f |= EXSOL_RANK_F_SPM;
    else if (!(M > 0))
        f |= EXSOL_RANK_F_CONTRAST;
    return f;
}

int exsol_rank_flags_dual(unsigned flags)
{
    return (flags & (EXSOL_RANK_F_CONSTRAINTS | EXSOL_RANK_F_EXCLUDED)) == 0;
}

struct final_ctx {
    const int *front;
    const double *score, *crowd;
};

static int final_less(size_t a, size_t b, const void *vctx)
{
    const struct final_ctx *c = vctx;
    if (c->front[a] != c->front[b])
        return c->front[a] < c->front[b];
    if (c->score[a] != c->score[b])
        return c->score[a] > c->score[b];
    if (c->crowd[a] != c->crowd[b])
        return c->crowd[a] > c->crowd[b];
    return 0; /* stable sort keeps row order */
}

int exsol_rank_run(const struct exsol_rank_params *rp, const struct exsol_rank_input *in,
                   struct exsol_rank_output *out, struct exsol_rank_summary *summary, char *err,
                   size_t errlen)
{
    int rc = exsol_rank_params_check(rp, err, errlen);
    size_t n = in->n, m = 0;
    size_t *idx = NULL, *perm = NULL;
    double *o1 = NULL, *o2 = NULL, *sc = NULL, *cd = NULL;
    int *grp = NULL, *fr = NULL, nfronts = 0;
    struct exsol_rank_summary sum = {0};
    if (rc)
        return rc;
    if (!in->log10_rho_ratio || !in->M_300K_reduced_A_m || !in->spm_300K_reduced)
        return exsol_seterr(err, errlen, EXSOL_EVALUE, "rank input lacks a required column");
    sum.n = n;
    if (n == 0)
        goto done;
    idx = malloc(n * sizeof *idx);
    perm = malloc(n * sizeof *perm);
    o1 = malloc(n * sizeof *o1);
    o2 = malloc(n * sizeof *o2);
    sc = malloc(n * sizeof *sc);
    cd = malloc(n * sizeof *cd);
    grp = malloc(n * sizeof *grp);
    fr = malloc(n * sizeof *fr);
    if (!idx || !perm || !o1 || !o2 || !sc || !cd || !grp || !fr) {
        rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory ranking %zu rows", n);
        goto done;
    }
    double wsum = rp->weight_rho + rp->weight_mag;
    for (size_t i = 0; i < n; i++) {
        unsigned f = exsol_rank_row_flags(rp, in, i);
        out->flags[i] = f;
        out->dual_switch[i] = 0;
        out->pareto_rank[i] = EXSOL_RANK_NONE;
        out->crowding[i] = NAN;
        out->score[i] = NAN;
        out->rank[i] = EXSOL_RANK_NONE;
        if (f & EXSOL_RANK_F_STATUS) {
            sum.n_excluded_status++;
            continue;
        }
        if (f & EXSOL_RANK_F_MISSING) {
            sum.n_excluded_missing++;
            continue;
        }
        int nviol = popcount_constraints(f);
        out->dual_switch[i] = exsol_rank_flags_dual(f);
        sum.n_dual += (size_t)out->dual_switch[i];
        idx[m] = i;
        o1[m] = in->log10_rho_ratio[i];
        o2[m] =
            exsol_rank_magnetic_objective(in->M_300K_reduced_A_m[i], in->spm_300K_reduced[i]);
        grp[m] = nviol;
        sc[m] = (rp->weight_rho * o1[m] / rp->log10_rho_ratio_ref +
                 rp->weight_mag * o2[m] / rp->M_ref_A_m) /
                    wsum -
                rp->penalty * nviol;
        m++;
    }
    sum.n_included = m;
    if (m == 0)
        goto done;
    rc = exsol_rank_pareto(m, o1, o2, grp, fr, &nfronts, NULL);
    if (!rc)
        rc = exsol_rank_crowding(m, o1, o2, fr, cd);
    struct final_ctx fctx = {fr, sc, cd};
    if (!rc)
        rc = exsol_rank_sort(m, final_less, &fctx, perm, NULL);
    if (rc) {
        exsol_seterr(err, errlen, rc, "out of memory ranking %zu rows", n);
        goto done;
    }
    sum.n_fronts = (size_t)nfronts;
    for (size_t k = 0; k < m; k++) {
        size_t j = perm[k], i = idx[j];
        out->pareto_rank[i] = fr[j];
        out->crowding[i] = cd[j];
        out->score[i] = sc[j];
        out->rank[i] = (long)k + 1;
    }
done:
    if (summary)
        *summary = sum;
    free(idx);
    free(perm);
    free(o1);
    free(o2);
    free(sc);
    free(cd);
    free(grp);
    free(fr);
    return rc;
}

/* ---- reasons ------------------------------------------------------------ */

static void append(char *buf, size_t buflen, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t buflen, size_t *len, const char *fmt, ...)
{
    va_list ap;
    if (*len + 1 >= buflen)
        return;
    if (*len) {
        int w = snprintf(buf + *len, buflen - *len, "; ");
        *len = w > 0 && *len + (size_t)w < buflen ? *len + (size_t)w : buflen - 1;
    }
    va_start(ap, fmt);
    int w = vsnprintf(buf + *len, buflen - *len, fmt, ap);
    va_end(ap);
    *len = w > 0 && *len + (size_t)w < buflen ? *len + (size_t)w : buflen - 1;
}

void exsol_rank_describe(const struct exsol_rank_params *rp, const struct exsol_rank_input *in,
                         size_t i, unsigned flags, char *buf, size_t buflen)
{
    size_t len = 0;
    if (!buf || buflen == 0)
        return;
    buf[0] = '\0';
    if (flags & EXSOL_RANK_F_STATUS) {
        snprintf(buf, buflen, "excluded: a stage failed for this row");
        return;
    }
    if (flags & EXSOL_RANK_F_MISSING) {
        static const char *const names[] = {
            "log10_rho_ratio",  "M_300K_1T_reduced",   "spm_300K_reduced", "M_300K_1T_pristine",
            "tolerance_factor", "bartel_tau",          "feasible",         "T_anneal",
            "t_anneal",         "insulating_pristine", "metallic_reduced"};
        const double nan = NAN;
        const double val[11] = {
            in->log10_rho_ratio[i],
            in->M_300K_reduced_A_m[i],
            in->spm_300K_reduced[i] < 0 ? nan : 0.0,
            in->M_300K_pristine_A_m ? in->M_300K_pristine_A_m[i] : 0.0,
            in->tolerance_factor ? in->tolerance_factor[i] : 0.0,
            in->bartel_tau ? in->bartel_tau[i] : 0.0,
            in->feasible && in->feasible[i] < 0 ? nan : 0.0,
            in->T_anneal_K ? in->T_anneal_K[i] : 0.0,
            in->t_anneal_s ? in->t_anneal_s[i] : 0.0,
            in->insulating_pristine && in->insulating_pristine[i] < 0 ? nan : 0.0,
            in->metallic_reduced && in->metallic_reduced[i] < 0 ? nan : 0.0,
        };
        int w, nmiss = 0, ninf = 0;
        for (int k = 0; k < 11; k++) {
            nmiss += isnan(val[k]);
            ninf += isinf(val[k]);
        }
        w = snprintf(buf, buflen, "excluded:");
        len = w > 0 && (size_t)w < buflen ? (size_t)w : buflen;
        for (int pass = 0; pass < 2; pass++) {
            if ((pass == 0 && !nmiss) || (pass == 1 && !ninf) || len >= buflen)
                continue;
            w = snprintf(buf + len, buflen - len, "%s%s", pass == 1 && nmiss ? ";" : "",
                         pass == 0 ? " missing" : " not finite");
            len = w > 0 && len + (size_t)w < buflen ? len + (size_t)w : buflen;
            for (int k = 0; k < 11 && len < buflen; k++)
                if (pass == 0 ? isnan(val[k]) : isinf(val[k])) {
                    w = pass == 0
                            ? snprintf(buf + len, buflen - len, " %s", names[k])
                            : snprintf(buf + len, buflen - len, " %s (%g)", names[k], val[k]);
                    len = w > 0 && len + (size_t)w < buflen ? len + (size_t)w : buflen;
                }
        }
        return;
    }
    if (!(flags & EXSOL_RANK_F_CONSTRAINTS)) {
        snprintf(buf, buflen, "dual switch");
        return;
    }
    if (flags & EXSOL_RANK_F_FEASIBLE)
        append(buf, buflen, &len, "structure flagged infeasible by gen");
    if (flags & EXSOL_RANK_F_TOLERANCE) {
        double t = in->tolerance_factor[i];
        append(buf, buflen, &len,
               t < rp->tolerance_factor_min ? "tolerance factor %.3f < %.3f"
                                            : "tolerance factor %.3f > %.3f",
               t,
               t < rp->tolerance_factor_min ? rp->tolerance_factor_min
                                            : rp->tolerance_factor_max);
    }
    if (flags & EXSOL_RANK_F_TAU)
        append(buf, buflen, &len, "bartel tau %.3g >= %.3g", in->bartel_tau[i],
               rp->bartel_tau_max);
    if (flags & EXSOL_RANK_F_T_ANNEAL)
        append(buf, buflen, &len, "anneal %.0f C > %.0f C", in->T_anneal_K[i] - 273.15,
               rp->T_anneal_max_K - 273.15);
    if (flags & EXSOL_RANK_F_TIME)
        append(buf, buflen, &len, "anneal %.3g h > %.3g h", in->t_anneal_s[i] / 3600.0,
               rp->t_anneal_max_s / 3600.0);
    if (flags & EXSOL_RANK_F_RATIO)
        append(buf, buflen, &len, "log10 rho ratio %.2f < %.2f", in->log10_rho_ratio[i],
               rp->min_log10_rho_ratio);
    if (flags & EXSOL_RANK_F_INSULATING)
        append(buf, buflen, &len, "pristine film not a compensated insulator");
    if (flags & EXSOL_RANK_F_METALLIC)
        append(buf, buflen, &len, "reduced film not a degenerate metal");
    if (flags & EXSOL_RANK_F_SPM)
        append(buf, buflen, &len, "not superparamagnetic at 300 K");
    if (flags & EXSOL_RANK_F_CONTRAST)
        append(buf, buflen, &len, "no magnetic moment (M(300 K, 1 T) %.3g A/m)",
               in->M_300K_reduced_A_m[i]);
}

/* a worse than b on objective m: NaN is worse than every number */
static int worse(double a, double b)
{
    return isnan(a) ? !isnan(b) : !isnan(b) && a < b;
}

/* b dominates a: no worse on any objective, better on one */
static int dominates(size_t k, const double *const *obj, size_t b, size_t a)
{
    int better = 0;
    for (size_t m = 0; m < k; m++) {
        if (worse(obj[m][b], obj[m][a]))
            return 0;
        better |= worse(obj[m][a], obj[m][b]);
    }
    return better;
}

int exsol_rank_pareto_k(size_t n, size_t k, const double *const *obj, int *front)
{
    size_t *left = malloc((n ? n : 1) * sizeof *left), nleft = n;
    unsigned char *mark = malloc(n ? n : 1);
    if (!left || !mark) {
        free(left), free(mark);
        return EXSOL_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        left[i] = i;
    for (int f = 1; nleft > 0; f++) {
        for (size_t a = 0; a < nleft; a++) {
            mark[a] = 1;
            for (size_t b = 0; b < nleft && mark[a]; b++)
                if (b != a && dominates(k, obj, left[b], left[a]))
                    mark[a] = 0;
        }
        size_t keep = 0;
        for (size_t a = 0; a < nleft; a++)
            if (mark[a])
                front[left[a]] = f;
            else
                left[keep++] = left[a];
        nleft = keep;
    }
    free(left), free(mark);
    return EXSOL_OK;
}
