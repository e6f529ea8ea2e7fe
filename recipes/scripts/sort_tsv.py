#!/usr/bin/env python3
"""Sort a TSV table (header line first) by one integer column, ascending:
   sort_tsv.py COLUMN IN.tsv OUT.tsv
The probabilistic screen's ranking_P.tsv is exsol-ensemble's table sorted by rank_P.
Exit 2 with one line on stderr when the column is missing or not a whole number."""
import os
import sys


def main(argv):
    if len(argv) != 4:
        sys.stderr.write("usage: sort_tsv.py COLUMN IN.tsv OUT.tsv\n")
        return 2
    col, src, dst = argv[1:]
    with open(src, encoding="utf-8") as f:
        lines = f.read().splitlines()
    if not lines:
        sys.stderr.write("sort_tsv.py: %s is empty\n" % src)
        return 2
    head = lines[0].split("\t")
    if col not in head:
        sys.stderr.write("sort_tsv.py: %s has no column %s\n" % (src, col))
        return 2
    k = head.index(col)
    try:
        rows = sorted(lines[1:], key=lambda l: int(l.split("\t")[k]))
    except (ValueError, IndexError):
        sys.stderr.write("sort_tsv.py: column %s of %s is not a whole number\n" % (col, src))
        return 2
    tmp = dst + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join([lines[0]] + rows) + "\n")
    os.replace(tmp, dst)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
