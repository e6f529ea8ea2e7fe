/* exsol-rank: dual-switching ranking of a screened dataset.
 * Usage text and options only; reading, ranking and both outputs are the rank stage,
 * libcore/stages/rank.c (schema libcore/schema/rank.csv, physics
 * libcore/physics/rank.c). */
#include "exsol/cli.h"
#include "exsol/dataset.h"
#include "exsol/error.h"
#include "exsol/msg.h"
#include "exsol/stage.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_TSV = 2000, OPT_TOP, OPT_COLUMNS, OPT_ALL };

static const char usage_text[] =
    "Usage: exsol-rank [options] [INPUT...]\n"
    "\n"
    "Ranks screened candidates for dual switching: objectives log10_rho_ratio and\n"
    "M_300K_1T_reduced (counted only when spm_300K_reduced = 1), constraints on\n"
    "structure, process window, ratio, transport's insulating_pristine and\n"
    "metallic_reduced, and magnet's spm_300K_reduced (datasets/rank-parameters.csv,\n"
    "override with --set), constrained Pareto rank, crowding distance, score, rank.\n"
    "Rows where any <stage>_status != 0 or a needed value is missing are excluded.\n"
    "INPUT is a NetCDF file from exsol-magnet/exsol-transport ('-' = stdin, default).\n"
    "Several INPUTs (the shards of one screen, in order) are ranked as one screen: the\n"
    "NetCDF output is then their concatenation (as exsol-cat) plus the rank variables.\n"
    "\n"
    "Output: the sorted TSV table goes to stdout unless -o is given, so that\n"
    "  exsol-gen ... | exsol-reduce | exsol-transport | exsol-magnet | exsol-rank > "
    "ranking.tsv\n"
    "works. With -o FILE the input plus the rank variables are written as NetCDF to FILE\n"
    "(-o - : NetCDF on stdout); the table is then written only with --tsv.\n"
    "\n"
    "Options:\n"
    "      --tsv FILE      write the table to FILE ('-' = stdout)\n"
    "      --top K         only the best K ranked rows in the table (0 = all, default)\n"
    "      --columns LIST  table columns, comma separated: any scalar or text variable of\n"
    "                      the input or of the ranking (default:\n"
    "                      " EXSOL_RANK_DEFAULT_COLUMNS ";\n"
    "                      p_H2, p_H2O, thickness and substrate only when they vary)\n"
    "      --all           also list excluded rows, after the ranked ones\n"
    "  -i, --include EXPR  rank only the candidates where EXPR holds (the others are\n"
    "                      excluded, rank_reason says so), e.g. 'T_anneal<900'\n"
    "  -e, --exclude EXPR  rank only the candidates where EXPR does not hold\n"
    "                      EXPR is exsol-table's language (exsol-table --help) over the\n"
    "                      input's variables; to select by the ranking's own results\n"
    "                      (dual_switch, score ...) filter its -o output with exsol-table -i\n"
    "\n"
    "Examples:\n"
    "  exsol-rank screen.nc > ranking.tsv\n"
    "  exsol-rank -o ranking.nc --tsv ranking.tsv --top 10 screen.nc\n"
    "  exsol-rank -i 'T_anneal<900' --columns rank,candidate,formula,score screen.nc\n"
    "\n";
static const struct option rank_opts[] = {{"tsv", required_argument, 0, OPT_TSV},
                                          {"top", required_argument, 0, OPT_TOP},
                                          {"columns", required_argument, 0, OPT_COLUMNS},
                                          {"all", no_argument, 0, OPT_ALL},
                                          {"include", required_argument, 0, 'i'},
                                          {"exclude", required_argument, 0, 'e'},
                                          {0, 0, 0, 0}};

struct args {
    struct exsol_cli cli;
    struct exsol_stage_rank_opts o;
};

static int rank_option(void *ctx, int opt, const char *arg)
{
    struct args *a = ctx;
    char *end;
    switch (opt) {
    case 'o':
        a->o.netcdf = arg; /* and the common option records it too */
        return EXSOL_CLI_NOT_MINE;
    case OPT_TSV:
        a->o.tsv = arg;
        return 0;
    case OPT_TOP:
        errno = 0;
        a->o.top = strtol(arg, &end, 10);
        if (errno || end == arg || *end || a->o.top < 0) {
            exsol_error("--top needs a count >= 0, not '%s'", arg);
            return 2;
        }
        return 0;
    case OPT_COLUMNS:
        a->o.columns = arg;
        return 0;
    case OPT_ALL:
        a->o.all = 1;
        return 0;
    case 'i':
    case 'e':
        *(opt == 'i' ? &a->o.include : &a->o.exclude) = arg;
        if (a->o.include && a->o.exclude) {
            exsol_error("-i and -e exclude each other (use -i '!(EXPR)')");
            return 2;
        }
        return 0;
    default:
        return EXSOL_CLI_NOT_MINE;
    }
}

static const struct exsol_cli_tool tool = {.prog = "exsol-rank",
                                           .stages = "rank",
                                           .usage = usage_text,
                                           .options = rank_opts,
                                           .shortopts = "i:e:",
                                           .option = rank_option,
                                           .flags = EXSOL_CLI_MANY_INPUTS};

int main(int argc, char **argv)
{
    static const char *const stdin_only[] = {"-"};
    struct args a;
    struct exsol_out_opts oo;
    void *ctx = NULL;
    char err[512] = "";
    int rc, code;
    memset(&a, 0, sizeof a);
    a.o.notes = &exsol_cli_notes;
    if (exsol_cli_start(&a.cli, &tool, argc, argv, &a) == EXSOL_CLI_EXIT) {
        code = a.cli.exit_code;
        goto cleanup;
    }
    /* the table goes to stdout unless -o is given */
    if (!a.o.netcdf && !a.o.tsv)
        a.o.tsv = "-";
    if (a.o.netcdf && a.o.tsv && !strcmp(a.o.netcdf, "-") && !strcmp(a.o.tsv, "-")) {
        exsol_error("-o - and --tsv - both want stdout");
        code = 2;
        goto cleanup;
    }
    a.o.inputs = optind < argc ? (const char *const *)argv + optind : stdin_only;
    a.o.ninputs = optind < argc ? (size_t)(argc - optind) : 1;
    exsol_cli_out_opts(&a.cli, argc, argv, &oo, exsol_stage_rank.title);
    rc = exsol_stage_rank.create(&ctx, a.cli.params, NULL, &a.o, err, sizeof err);
    if (!rc)
        rc = exsol_rank_write(ctx, &oo, a.cli.params, err, sizeof err);
    if (rc)
        exsol_error("%s", err[0] ? err : exsol_strerror(rc));
    code = exsol_exit_code(rc);
cleanup:
    exsol_stage_rank.destroy(ctx);
    exsol_cli_release(&a.cli);
    return code;
}
