#!/usr/bin/python3
"""Writes tests/cli/magnet/input.cdl: a hand-made exsol-reduce output for the
exsol-magnet CLI tests (run with /usr/bin/python3; the CDL is committed, this script
documents how it was made).

Rows (30 nm films, 24 log-spaced radius bins 0.3-15 nm):
  0  Ni seed case: surface lognormal 5 nm (sigma 0.25) at 1100 um-2, buried lognormal
     6 nm (sigma 0.3) holding the rest of 1.84 vol % Ni, all Ni exsolved (z' = 0)
  1  the same particles but dopant Cu (non-magnetic metal)
  2  reduce failed (reduce_status 1)
  3  Ni with a negative bin count (invalid row)
  4  dopant Zn (no data in metals.csv)
  5  undoped host (dopant "none", no particles)
  6  Ni, half exsolved, large (20 nm) buried particles
"""
import csv
import math
import os

# units of the reduce variables from the one source of the schema (libcore/schema)
SCHEMA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "libcore", "schema")
with open(os.path.join(SCHEMA_DIR, "reduce.csv"), newline="") as fp:
    U = {r["name"]: r["units"] for r in csv.DictReader(fp)}

NB = 24
edges = [0.3e-9 * (50.0 ** (i / NB)) for i in range(NB + 1)]
r = [math.sqrt(edges[i] * edges[i + 1]) for i in range(NB)]
w = [edges[i + 1] - edges[i] for i in range(NB)]


def lognormal(N, D0, s):
    out = []
    for i in range(NB):
        a = math.log(2 * edges[i] / D0) / (s * math.sqrt(2))
        b = math.log(2 * edges[i + 1] / D0) / (s * math.sqrt(2))
        out.append(N * 0.5 * (math.erf(b) - math.erf(a)))
    return out


def vol(c):
    return sum(ci * 4 / 3 * math.pi * ri ** 3 for ci, ri in zip(c, r))


L = 30e-9
surf = lognormal(1.1e15, 5e-9, 0.25)
bur1 = lognormal(1.0, 6e-9, 0.3)
k = (0.0184 - vol(surf) / L) / vol(bur1)
bur = [b * k for b in bur1]
bad = list(bur)
bad[10] = -1.0
big = lognormal(1.0, 20e-9, 0.2)
kb = (0.5 * 0.0184 - 0.5 * vol(surf) / L) / vol(big)
big = [b * kb for b in big]
half_surf = [0.5 * s for s in surf]
zero = [0.0] * NB

rows = [
    ("Ni", 2, 0.1, 0, 1.0, 0.0, surf, bur),
    ("Cu", 2, 0.1, 0, 1.0, 0.0, surf, bur),
    ("Ni", 2, 0.1, 1, 0.0, 0.1, zero, zero),
    ("Ni", 2, 0.1, 0, 1.0, 0.0, surf, bad),
    ("Zn", 2, 0.1, 0, 1.0, 0.0, surf, bur),
    ("none", 0, 0.0, 0, 0.0, 0.0, zero, zero),
    ("Ni", 2, 0.1, 0, 0.5, 0.1 * 0.5 / (1 - 0.05), half_surf, big),
]


def fmt(v):
    return ", ".join(repr(float(x)) for x in v)


print("netcdf magnet_input {")
print("dimensions:\n\tcandidate = UNLIMITED ;\n\tradius_bin = %d ;\n\tstrlen8 = 8 ;" % NB)
print("variables:")
print(('\tdouble radius_bin(radius_bin) ;\n\t\tradius_bin:units = "%s" ;\n\t\tradius_bin:long_name = "radius bin centre" ;') % U["radius_bin"])
print(('\tdouble radius_bin_width(radius_bin) ;\n\t\tradius_bin_width:units = "%s" ;') % U["radius_bin_width"])
print('\tchar dopant(candidate, strlen8) ;')
print('\tint dopant_valence(candidate) ;\n\t\tdopant_valence:units = "1" ;')
print('\tdouble dopant_fraction(candidate) ;\n\t\tdopant_fraction:units = "1" ;')
print('\tdouble thickness(candidate) ;\n\t\tthickness:units = "m" ;')
print('\tdouble cap_volume_factor(candidate) ;\n\t\tcap_volume_factor:units = "1" ;')
print(('\tint reduce_status(candidate) ;\n\t\treduce_status:units = "%s" ;') % U["reduce_status"])
print(('\tdouble exsolved_fraction(candidate) ;\n\t\texsolved_fraction:units = "%s" ;') % U["exsolved_fraction"])
print(('\tdouble dopant_fraction_lattice(candidate) ;\n\t\tdopant_fraction_lattice:units = "%s" ;') % U["dopant_fraction_lattice"])
print(('\tdouble surface_size_distribution(candidate, radius_bin) ;\n\t\tsurface_size_distribution:units = "%s" ;') % U["surface_size_distribution"])
print(('\tdouble buried_size_distribution(candidate, radius_bin) ;\n\t\tburied_size_distribution:units = "%s" ;') % U["buried_size_distribution"])
print('\n// global attributes:\n\t\t:Conventions = "CF-1.8" ;\n\t\t:title = "hand-made reduce output for the exsol-magnet tests" ;')
print("data:")
print(" radius_bin = %s ;" % fmt(r))
print(" radius_bin_width = %s ;" % fmt(w))
print(" dopant = %s ;" % ", ".join('"%s"' % x[0] for x in rows))
print(" dopant_valence = %s ;" % ", ".join(str(x[1]) for x in rows))
print(" dopant_fraction = %s ;" % fmt([x[2] for x in rows]))
print(" thickness = %s ;" % fmt([L] * len(rows)))
# full spheres (a cap of contact angle 180 deg): the hand values below assume spheres
print(" cap_volume_factor = %s ;" % fmt([1.0] * len(rows)))
print(" reduce_status = %s ;" % ", ".join(str(x[3]) for x in rows))
print(" exsolved_fraction = %s ;" % fmt([x[4] for x in rows]))
print(" dopant_fraction_lattice = %s ;" % fmt([x[5] for x in rows]))
print(" surface_size_distribution = %s ;" % ",\n  ".join(fmt(x[6]) for x in rows))
print(" buried_size_distribution = %s ;" % ",\n  ".join(fmt(x[7]) for x in rows))
print("}")
