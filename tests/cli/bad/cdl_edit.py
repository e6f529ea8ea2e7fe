#!/usr/bin/env python3
"""Edit the CDL text of an exsol file (ncdump output) for the bad-input catalogue.

Usage: cdl_edit.py IN.cdl OUT.cdl EDIT...   where EDIT is one of
  decl:VAR:NEW DECLARATION       replace the declaration line of VAR (keeps attributes)
  data:VAR:VALUES                replace the data of VAR (text after 'VAR =', no ';')
  att:VAR:NAME:VALUE             set (or add) attribute NAME of VAR to the CDL VALUE
  delatt:VAR:NAME                drop attribute NAME of VAR
  delvar:VAR                     drop VAR, its attributes and its data
  dim:NAME:NEW                   replace the line of dimension NAME by 'NEW ;'
  sub:OLD:NEW                    plain text replacement (first match)
  suball:OLD:NEW                 plain text replacement everywhere
Standard library only: the test machines have no python netCDF4."""
import re
import sys


def var_decl_re(var):
    return re.compile(r"^\t(\w+) " + re.escape(var) + r"(\([^)]*\))? ;\n", re.M)


def main():
    src, dst, edits = sys.argv[1], sys.argv[2], sys.argv[3:]
    text = open(src).read()
    head, data = text.split("\ndata:\n", 1)
    for e in edits:
        kind, rest = e.split(":", 1)
        if kind == "decl":
            var, new = rest.split(":", 1)
            head, n = var_decl_re(var).subn("\t" + new + " ;\n", head, count=1)
            assert n == 1, e
        elif kind == "data":
            var, vals = rest.split(":", 1)
            data, n = re.subn(r"(?ms)^ " + re.escape(var) + r" =.*? ;\n",
                              lambda m: " " + var + " = " + vals + " ;\n", data, count=1)
            assert n == 1, e
        elif kind in ("att", "delatt"):
            if kind == "att":
                var, name, val = rest.split(":", 2)
            else:
                (var, name), val = rest.split(":", 1), None
            pat = re.compile(r"^\t\t" + re.escape(var) + ":" + re.escape(name) + r" = .*? ;\n", re.M | re.S)
            line = "" if val is None else "\t\t%s:%s = %s ;\n" % (var, name, val)
            if pat.search(head):
                head = pat.sub(lambda m: line, head, count=1)
            else:
                m = var_decl_re(var).search(head)
                assert m, e
                head = head[:m.end()] + line + head[m.end():]
        elif kind == "delvar":
            var = rest
            m = var_decl_re(var).search(head)
            assert m, e
            end = m.end()
            while head.startswith("\t\t" + var + ":", end):
                end = head.index(" ;\n", end) + 3
            head = head[:m.start()] + head[end:]
            data = re.sub(r"(?ms)^ " + re.escape(var) + r" =.*? ;\n\n?", "", data, count=1)
        elif kind == "dim":
            name, new = rest.split(":", 1)
            head, n = re.subn(r"^\t" + re.escape(name) + r" = [^\n]*\n", "\t" + new + " ;\n", head,
                              count=1, flags=re.M)
            assert n == 1, e
        elif kind == "suball":
            old, new = rest.split(":", 1)
            assert old in head, e
            head, data = head.replace(old, new), data.replace(old, new)
        elif kind == "sub":
            old, new = rest.split(":", 1)
            assert old in head + data, e
            if old in head:
                head = head.replace(old, new, 1)
            else:
                data = data.replace(old, new, 1)
        else:
            sys.exit("cdl_edit.py: unknown edit " + e)
    open(dst, "w").write(head + "\ndata:\n" + data)


if __name__ == "__main__":
    main()
