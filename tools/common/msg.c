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

const char *exsol_msg_prog(void)
{
    return msg_prog;
}
void exsol_msg_set_verbosity(int level)
{
    msg_level = level;
}
int exsol_msg_verbosity(void)
{
    return msg_level;
}

__attribute__((format(printf, 2, 0))) static void vmsg(const char *kind, const char *fmt,
                                                       va_list ap)
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

#include <sys/ioctl.h>

/* Columns of the terminal on stderr: TIOCGWINSZ, else $COLUMNS, else 80. */
static int progress_columns(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *env = getenv("COLUMNS");
    if (env) {
        long c = strtol(env, NULL, 10);
        if (c > 0 && c < 10000)
            return (int)c;
    }
    return 80;
}

/* One refresh of the bar, always shorter than the terminal (a line that reaches the
 * last column wraps, and every later '\r' then starts a new line): the bar shrinks
 * first, then the times go, then the text is cut. Padded with blanks to the same
 * width, so a shorter refresh overwrites a longer one. */
static void progress_draw(exsol_progress *p, double now)
{
    int cols = progress_columns() - 1;
    if (cols > 200)
        cols = 200;
    double frac = p->total ? (double)p->done / (double)p->total : 1.0;
    if (frac > 1.0)
        frac = 1.0;
    double el = now - p->t0;
    double eta = frac > 0 ? el * (1.0 - frac) / frac : 0.0;
    char head[96], count[64], times[64], line[256], bar[40];
    snprintf(head, sizeof head, "%s: %s ", msg_prog, p->label);
    snprintf(count, sizeof count, " %zu/%zu", p->done, p->total);
    snprintf(times, sizeof times, "  %.0fs elapsed, ~%.0fs left", el, eta);
    int fixed = (int)(strlen(head) + strlen(count) + 2); /* the brackets */
    int width = cols - fixed - (int)strlen(times);
    if (width < 10) { /* no room for the times: keep the bar and the count */
        times[0] = '\0';
        width = cols - fixed;
    }
    if (width > 30)
        width = 30;
    if (width < 0)
        width = 0;
    int fill = (int)(frac * width);
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[width] = '\0';
    snprintf(line, sizeof line, "%s[%s]%s%s", head, bar, count, times);
    if (cols < 1)
        cols = 1;
    if ((int)strlen(line) > cols)
        line[cols] = '\0';
    fprintf(stderr, "\r%-*s", cols, line);
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
        fprintf(stderr, "\r%*s\r", progress_columns() - 1, "");
        fflush(stderr);
    }
    free(p);
}
