#!/usr/bin/env python3
"""Plots the precision/recall-per-threshold CSV written by the MPI bench as a PNG (one panel per dataset).

Usage: /usr/bin/python3 plot_thresholds.py mpi-thresholds.csv mpi-thresholds.png   (needs Debian's python3-matplotlib)
"""
import csv
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)


def main(source, target):
    series = defaultdict(list)
    with open(source, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            series[row["dataset"]].append(row)
    fig, axes = plt.subplots(2, (len(series) + 1) // 2, figsize=(4 * ((len(series) + 1) // 2), 7), squeeze=False)
    for ax, (name, rows) in zip(axes.flat, series.items()):
        t = [float(r["threshold"]) for r in rows]
        for column, label, style in (("precision", "precision", "-"), ("recall", "recall", "-"),
                                     ("pair_precision", "pair precision", ":"), ("pair_recall", "pair recall", ":")):
            ax.plot(t, [float(r[column]) for r in rows], style, label=label)
        ax.set_title(name, fontsize=10)
        ax.set_xlabel("link threshold (match probability)")
        ax.set_ylim(0.98, 1.0005)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(series):]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=8, loc="lower left")
    fig.suptitle("MPI pairwise precision and recall per threshold (solid: after clustering; dotted: per pair)")
    fig.tight_layout()
    fig.savefig(target, dpi=90)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
