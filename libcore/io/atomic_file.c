/* Putting outputs in place (atomic_file.h): the one temporary + fsync + rename
 * helper behind every output, and the text-output API of exsol/outfile.h on top
 * of it.
 *
 * Why it looks the way it does:
 * - The temporary sits in the target's folder (".<name>.tmpXXXXXX"), so the rename
 *   never crosses a file system and is atomic; readers see the old file or the new
 *   one, never half of one.
 * - mkstemp makes 0600 files; a finished output gets 0666 less the umask like any
 *   file the user's shell would create.
 * - The temporary is fsync'ed before the rename: after a crash the name holds the
 *   old file or the complete new one. It is reopened by name because the NetCDF
 *   writer closes its own descriptors (netCDF and HDF5 write by name).
 * - The decision follows links (stat): a target that resolves to something that is
 *   not a regular file cannot be replaced by a rename (as root that would turn
 *   /dev/null into a plain file): it is written directly. A link to a regular file
 *   is kept and the file it leads to replaced; renaming over the link itself is how
 *   `-o /dev/stdout` with stdout on a file replaced the system's /dev/stdout link
 *   with a plain file. Links through /proc's descriptor links (/dev/stdout,
 *   /dev/fd/N) name a file the caller has open: written in place. */
/* realpath() is XSI */
#define _XOPEN_SOURCE 700

#include "atomic_file.h"

#include "exsol/error.h"
#include "exsol/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The file a link to a regular file leads to, as an absolute name (*target
 * malloc'ed), or *target NULL when a link on the way is one of /proc's descriptor
 * links (/dev/stdout -> /proc/self/fd/1): that names a file the caller holds open,
 * which is written in place, not replaced. 0, or -1 (errno) / -2 (memory). */
/* The temporaries that exist right now, for exsol_af_remove_temporaries(), which a
 * signal handler calls: fixed slots (no allocation), each name copied in before its
 * slot is marked used, so a handler only ever sees a whole name. A signal in the
 * short gap between mkstemp and the registration can still leave a temporary. */
#define AF_SLOTS 16
#define AF_NAME_MAX 4096
static char af_names[AF_SLOTS][AF_NAME_MAX];
static volatile sig_atomic_t af_used[AF_SLOTS];

static int af_register(const char *tmp)
{
    size_t n = strlen(tmp);
    if (n >= AF_NAME_MAX)
        return -1;
    for (int i = 0; i < AF_SLOTS; i++)
        if (!af_used[i]) {
            memcpy(af_names[i], tmp, n + 1);
            af_used[i] = 1;
            return i;
        }
    return -1; /* more outputs at once than slots: that one is not cleaned on a signal */
}

static void af_unregister(int slot)
{
    if (slot >= 0 && slot < AF_SLOTS)
        af_used[slot] = 0;
}

int exsol_af_scratch_add(const char *path)
{
    return af_register(path);
}

void exsol_af_scratch_drop(int slot)
{
    af_unregister(slot);
}

void exsol_af_remove_temporaries(void)
{
    for (int i = 0; i < AF_SLOTS; i++)
        if (af_used[i])
            unlink(af_names[i]);
}

static int link_target(const char *path, char **target)
{
    char cur[PATH_MAX], next[PATH_MAX], dir[PATH_MAX];
    *target = NULL;
    if (snprintf(cur, sizeof cur, "%s", path) >= (int)sizeof cur) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (int hop = 0; hop < 40; hop++) {
        struct stat st;
        if (lstat(cur, &st) != 0)
            return -1;
        if (!S_ISLNK(st.st_mode)) {
            *target = realpath(cur, NULL);
            return *target ? 0 : (errno == ENOMEM ? -2 : -1);
        }
        const char *sl = strrchr(cur, '/');
        if (!sl)
            snprintf(dir, sizeof dir, ".");
        else if (sl == cur)
            snprintf(dir, sizeof dir, "/");
        else
            snprintf(dir, sizeof dir, "%.*s", (int)(sl - cur), cur);
        char *real = realpath(dir, NULL);
        int in_proc = real && strncmp(real, "/proc/", 6) == 0;
        free(real);
        if (in_proc)
            return 0;
        ssize_t n = readlink(cur, next, sizeof next - 1);
        if (n < 0)
            return -1;
        next[n] = '\0';
        int w = next[0] == '/' ? snprintf(cur, sizeof cur, "%s", next)
                               : snprintf(cur, sizeof cur, "%s/%s", dir, next);
        if (w < 0 || w >= (int)sizeof cur) {
            errno = ENAMETOOLONG;
            return -1;
        }
    }
    errno = ELOOP;
    return -1;
}

int exsol_af_begin(struct exsol_af *af, const char *path, char *err, size_t errlen)
{
    int rc = EXSOL_OK;
    memset(af, 0, sizeof *af);
    af->fd = -1;
    af->slot = -1;
    if (!path || strcmp(path, "-") == 0) {
        af->mode = EXSOL_AF_STDOUT;
        return EXSOL_OK;
    }
    if (!(af->path = strdup(path)))
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    struct stat sb, lsb;
    if (lstat(path, &lsb) == 0) {
        if (stat(path, &sb) != 0) {
            rc = exsol_seterr(err, errlen, EXSOL_EUSAGE,
                              "output '%s' is a link that leads nowhere (%s)", path,
                              strerror(errno));
            goto fail;
        }
        if (S_ISDIR(sb.st_mode)) {
            rc = exsol_seterr(err, errlen, EXSOL_EUSAGE, "output '%s' is a directory", path);
            goto fail;
        }
        if (!S_ISREG(sb.st_mode)) {
            af->mode = EXSOL_AF_INPLACE;
            return EXSOL_OK;
        }
        if (S_ISLNK(lsb.st_mode)) {
            int r = link_target(path, &af->target);
            if (r < 0) {
                rc = exsol_seterr(err, errlen, r == -2 ? EXSOL_ENOMEM : EXSOL_EIO,
                                  "cannot follow the link '%s': %s", path,
                                  r == -2 ? "out of memory" : strerror(errno));
                goto fail;
            }
            if (!af->target) {
                af->mode = EXSOL_AF_INPLACE; /* a descriptor of the caller's */
                return EXSOL_OK;
            }
        }
    }
    if (!af->target && !(af->target = strdup(path))) {
        rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        goto fail;
    }
    const char *target = af->target;
    const char *slash = strrchr(target, '/');
    size_t dirlen = slash ? (size_t)(slash - target) + 1 : 0;
    const char *base = target + dirlen;
    if (!*base) {
        rc = exsol_seterr(err, errlen, EXSOL_EUSAGE, "output '%s' is a directory", path);
        goto fail;
    }
    size_t len = strlen(target) + 16;
    if (!(af->tmp = malloc(len))) {
        rc = exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
        goto fail;
    }
    snprintf(af->tmp, len, "%.*s.%s.tmpXXXXXX", (int)dirlen, target, base);
    int fd = mkstemp(af->tmp);
    if (fd < 0) {
        rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot create a file next to '%s': %s", path,
                          strerror(errno));
        free(af->tmp);
        af->tmp = NULL;
        goto fail;
    }
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) {
        /* not fatal: the file stays private */
    }
    af->fd = fd;
    af->mode = EXSOL_AF_TEMP;
    af->slot = af_register(af->tmp);
    return EXSOL_OK;
fail:
    exsol_af_release(af);
    return rc;
}

int exsol_af_sync(struct exsol_af *af, char *err, size_t errlen)
{
    int rc = EXSOL_OK;
    if (af->mode != EXSOL_AF_TEMP || !af->tmp || af->synced)
        return EXSOL_OK;
    if (af->fd >= 0) {
        close(af->fd);
        af->fd = -1;
    }
    int fd = open(af->tmp, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0)
        rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot write '%s': %s", af->path,
                          strerror(errno));
    if (fd >= 0)
        close(fd);
    af->synced = rc == EXSOL_OK;
    return rc;
}

int exsol_af_commit(struct exsol_af *af, char *err, size_t errlen)
{
    int rc = exsol_af_sync(af, err, errlen);
    if (af->mode != EXSOL_AF_TEMP || !af->tmp || rc != EXSOL_OK)
        return rc;
    if (rename(af->tmp, af->target) != 0)
        return exsol_seterr(err, errlen, EXSOL_EIO, "cannot rename '%s' to '%s': %s", af->tmp,
                            af->target, strerror(errno));
    af_unregister(af->slot);
    af->slot = -1;
    free(af->tmp);
    af->tmp = NULL; /* nothing left to remove */
    return EXSOL_OK;
}

void exsol_af_release(struct exsol_af *af)
{
    if (!af)
        return;
    if (af->mode == EXSOL_AF_TEMP && af->fd >= 0)
        close(af->fd);
    if (af->tmp)
        unlink(af->tmp);
    if (af->tmp)
        af_unregister(af->slot);
    free(af->tmp);
    free(af->target);
    free(af->path);
    memset(af, 0, sizeof *af);
    af->fd = -1;
    af->slot = -1;
}

/* ---- text outputs (exsol/outfile.h) ------------------------------------ */

struct exsol_outfile {
    struct exsol_af af;
    FILE *fp;
    int finished; /* exsol_outfile_finish done: only the rename is left */
};

int exsol_outfile_open(const char *path, exsol_outfile **out, FILE **fp, char *err,
                       size_t errlen)
{
    int rc;
    *out = NULL;
    *fp = NULL;
    exsol_outfile *f = calloc(1, sizeof *f);
    if (!f)
        return exsol_seterr(err, errlen, EXSOL_ENOMEM, "out of memory");
    if ((rc = exsol_af_begin(&f->af, path, err, errlen)) != EXSOL_OK) {
        free(f);
        return rc;
    }
    switch (f->af.mode) {
    case EXSOL_AF_STDOUT:
        f->fp = stdout;
        break;
    case EXSOL_AF_INPLACE:
        if (!(f->fp = fopen(path, "w"))) {
            rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot open '%s': %s", path,
                              strerror(errno));
            goto fail;
        }
        break;
    case EXSOL_AF_TEMP:
        if (!(f->fp = fdopen(f->af.fd, "w"))) {
            rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot write '%s': %s", f->af.tmp,
                              strerror(errno));
            goto fail;
        }
        f->af.fd = -1; /* the stream owns it now */
        break;
    }
    *out = f;
    *fp = f->fp;
    return EXSOL_OK;
fail:
    exsol_outfile_abort(f);
    return rc;
}

int exsol_outfile_finish(exsol_outfile *f, char *err, size_t errlen)
{
    int rc = EXSOL_OK;
    const char *name = f->af.path ? f->af.path : "stdout";
    if (f->finished)
        return EXSOL_OK;
    if (f->fp == stdout) {
        if (fflush(stdout) != 0 || ferror(stdout))
            rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot write to stdout: %s",
                              strerror(errno));
        f->fp = NULL;
    } else {
        int bad = ferror(f->fp);
        int closed = fclose(f->fp);
        f->fp = NULL;
        if (bad || closed != 0)
            rc = exsol_seterr(err, errlen, EXSOL_EIO, "cannot write '%s': %s", name,
                              strerror(errno ? errno : EIO));
        else
            rc = exsol_af_sync(&f->af, err, errlen);
    }
    f->finished = rc == EXSOL_OK;
    return rc;
}

int exsol_outfile_commit(exsol_outfile *f, char *err, size_t errlen)
{
    int rc = exsol_outfile_finish(f, err, errlen);
    if (rc == EXSOL_OK)
        rc = exsol_af_commit(&f->af, err, errlen);
    exsol_outfile_abort(f);
    return rc;
}

void exsol_outfile_abort(exsol_outfile *f)
{
    if (!f)
        return;
    if (f->fp && f->fp != stdout)
        fclose(f->fp);
    exsol_af_release(&f->af);
    free(f);
}
