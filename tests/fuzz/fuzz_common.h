/* Helpers shared by the on-disk fuzz targets: write the input to a private temp
 * file (tmpfs when there is one) so the path-based open of the tools is exercised. */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char fuzz_dir_made[256];
static void fuzz_rmdir(void)
{
    if (fuzz_dir_made[0])
        rmdir(fuzz_dir_made); /* empty by then: every run unlinks its files */
}

static const char *fuzz_tmpdir(void)
{
    static char dir[256];
    if (!dir[0]) {
        const char *t = getenv("TMPDIR");
        if (access("/dev/shm", W_OK) == 0)
            t = "/dev/shm";
        snprintf(dir, sizeof dir, "%s/exsol-fuzz.%ld", t ? t : "/tmp", (long)getpid());
        if (mkdir(dir, 0700) == 0) {
            memcpy(fuzz_dir_made, dir, sizeof dir);
            atexit(fuzz_rmdir);
        } else if (access(dir, W_OK) != 0) {
            abort();
        }
    }
    return dir;
}

/* Writes data to DIR/name; returns the path (static buffer) or aborts. */
static const char *fuzz_write_file(const char *name, const uint8_t *data, size_t size)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", fuzz_tmpdir(), name);
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        abort();
    return path;
}

static int fuzz_is_hdf5(const uint8_t *data, size_t size)
{
    static const uint8_t sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    for (size_t off = 0; off + 8 <= size; off = off ? off * 2 : 512)
        if (memcmp(data + off, sig, 8) == 0)
            return 1;
    return 0;
}

/* HDF5 images only with EXSOL_FUZZ_HDF5 set: Debian's HDF5 1.10.8 crashes and leaks
 * inside its own code on corrupt images, so those runs use -fork=1 -ignore_crashes=1
 * -detect_leaks=0 (bench/fuzz.sh) and their crashes are counted apart. */
static int fuzz_skip(const uint8_t *data, size_t size)
{
    static int hdf5 = -1;
    if (hdf5 < 0)
        hdf5 = getenv("EXSOL_FUZZ_HDF5") != NULL;
    if (size > ((size_t)1 << 20))
        return 1;
    return hdf5 ? !fuzz_is_hdf5(data, size) : fuzz_is_hdf5(data, size);
}
#endif
