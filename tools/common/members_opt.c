/* The ensemble options that exsol-ensemble and exsol-window share (cli.h): --members,
 * --seed and --ensemble (a member TSV or exsol-fit's posterior, exsol_members_load),
 * their checks, and the member set they ask for. */
#include "exsol/cli.h"
#include "exsol/error.h"
#include "exsol/fit.h"
#include "exsol/members.h"
#include "exsol/msg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int exsol_cli_whole(const char *opt, const char *arg, unsigned long long lo,
                    unsigned long long hi, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (!arg[0] || *end || errno || arg[0] == '-' || v < lo || v > hi) {
        exsol_error("%s needs a whole number from %llu to %llu, not '%s'", opt, lo, hi, arg);
        return 2;
    }
    *out = v;
    return 0;
}

void exsol_cli_members_init(struct exsol_cli_members *mo)
{
    mo->members = 64;
    mo->seed = 1;
    mo->drawn_opts = 0;
    mo->ensemble = NULL;
}

int exsol_cli_members_option(struct exsol_cli_members *mo, int opt, const char *arg)
{
    switch (opt) {
    case EXSOL_CLI_OPT_MEMBERS:
        mo->drawn_opts = 1;
        return exsol_cli_whole("--members", arg, 1, 1000000, &mo->members);
    case EXSOL_CLI_OPT_SEED:
        mo->drawn_opts = 1;
        return exsol_cli_whole("--seed", arg, 0, ~0ULL, &mo->seed);
    case EXSOL_CLI_OPT_ENSEMBLE:
        mo->ensemble = arg;
        return 0;
    default:
        return EXSOL_CLI_NOT_MINE;
    }
}

int exsol_cli_members_check(const struct exsol_cli_members *mo)
{
    if (mo->ensemble && mo->drawn_opts) {
        exsol_error("--ensemble takes the members from its file: no --members or --seed");
        return 2;
    }
    return 0;
}

int exsol_cli_members_load(const struct exsol_cli_members *mo, const exsol_params *p,
                           exsol_members **m, char *desc, size_t desclen, char *err,
                           size_t errlen)
{
    if (desc && desclen) {
        if (mo->ensemble)
            snprintf(desc, desclen, "the members of %s", mo->ensemble);
        else
            snprintf(desc, desclen,
                     "%llu members drawn from the priors (Latin hypercube, seed %llu)",
                     mo->members, mo->seed);
    }
    return mo->ensemble ? exsol_members_load(mo->ensemble, p, m, err, errlen)
                        : exsol_members_draw(p, (size_t)mo->members, mo->seed, m, err, errlen);
}

int exsol_cli_members_saltelli(const struct exsol_cli_members *mo, const exsol_params *p,
                               const char *list, struct exsol_members **m, char *err,
                               size_t errlen)
{
    char buf[4096];
    const char *names[256];
    size_t nn = 0;
    if (list) {
        if (snprintf(buf, sizeof buf, "%s", list) >= (int)sizeof buf)
            return exsol_seterr(err, errlen, EXSOL_EUSAGE, "--sobol-params is too long");
        for (char *s = buf, *c; s && *s; s = c ? c + 1 : NULL) {
            if ((c = strchr(s, ',')) != NULL)
                *c = '\0';
            if (*s && nn < sizeof names / sizeof names[0])
                names[nn++] = s;
        }
        if (nn == 0)
            return exsol_seterr(err, errlen, EXSOL_EUSAGE, "--sobol-params names no parameter");
    }
    return exsol_members_saltelli(p, (size_t)mo->members, mo->seed, names, nn, m, err, errlen);
}
