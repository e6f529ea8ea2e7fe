/* Messages and progress for the tools. Everything goes to stderr; stdout carries
 * data only. */
#include "exsol/msg.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *msg_prog = "exsol";
static int msg_level = EXSOL_NORMAL;

void exsol_msg_init(const char *prog)
{
    if (prog) {
        const char *slash = strrchr(prog, '/');
        msg_prog = slash ? slash + 1 : prog;
    }
}

const char *exsol_msg_prog(void) { return msg_prog; }
void exsol_msg_set_verbosity(int level) { msg_level = level; }
int exsol_msg_verbosity(void) { return msg_level; }

__attribute__((format(printf, 2, 0))) static void vmsg(const char *kind, const char *fmt, va_list ap)
{
    char line[2048];
    vsnprintf(line, sizeof line, fmt, ap);
    if (kind)
        fprintf(stderr, "%s: %s: %s\n", msg_prog, kind, line);
    else
        fprintf(stderr, "%s: %s\n", msg_prog, line);
}

void exsol_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg("error", fmt, ap);
    va_end(ap);
}

void exsol_warn(const char *fmt, ...)
{
    if (msg_level < EXSOL_NORMAL)
        return;
    va_list ap;
    va_start(ap, fmt);
    vmsg("warning", fmt, ap);
    va_end(ap);
}

void exsol_info(const char *fmt, ...)
{
    if (msg_level < EXSOL_NORMAL)
        return;
    va_list ap;
    va_start(ap, fmt);
    vmsg(NULL, fmt, ap);
    va_end(ap);
}

void exsol_debug(const char *fmt, ...)
{
    if (msg_level < EXSOL_VERBOSE)
        return;
    va_list ap;
    va_start(ap, fmt);
    vmsg("debug", fmt, ap);
    va_end(ap);
}

double exsol_wtime(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

struct exsol_progress {
    char label[32];
    size_t total, done;
    double t0, last_draw;
    int enabled, drawn;
};

exsol_progress *exsol_progress_create(const char *label, size_t total)
{
    exsol_progress *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    snprintf(p->label, sizeof p->label, "%s", label ? label : "");
    p->total = total;
    p->t0 = exsol_wtime();
    p->enabled = msg_level >= EXSOL_NORMAL && isatty(STDERR_FILENO);
    return p;
}

static void progress_draw(exsol_progress *p, double now)
{
    const int width = 30;
    double frac = p->total ? (double)p->done / (double)p->total : 1.0;
    if (frac > 1.0)
        frac = 1.0;
    int fill = (int)(frac * width);
    char bar[64];
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[width] = '\0';
    double el = now - p->t0;
    double eta = frac > 0 ? el * (1.0 - frac) / frac : 0.0;
    fprintf(stderr, "\r%s: %s [%s] %zu/%zu  %.0fs elapsed, ~%.0fs left ", msg_prog, p->label,
            bar, p->done, p->total, el, eta);
    fflush(stderr);
    p->drawn = 1;
}

void exsol_progress_tick(exsol_progress *p, size_t done_delta)
{
    if (!p)
        return;
#ifdef _OPENMP
#pragma omp critical(exsol_progress)
#endif
    {
        p->done += done_delta;
        if (p->enabled) {
            double now = exsol_wtime();
            if (now - p->t0 > 0.5 && now - p->last_draw > 0.2) {
                p->last_draw = now;
                progress_draw(p, now);
            }
        }
    }
}

void exsol_progress_destroy(exsol_progress *p)
{
    if (!p)
        return;
    if (p->drawn) {
        fprintf(stderr, "\r%*s\r", 100, "");
        fflush(stderr);
    }
    free(p);
}
