#!/usr/bin/env python3
"""Derives the MPI's Han tables from Unicode's Unihan database.

Source: Unicode Unihan database (Unicode 15.0 as packaged by Debian's `unicode-data`, files
/usr/share/unicode/Unihan_Readings.txt.bz2 and Unihan_Variants.txt.bz2), under the Unicode License v3
(https://www.unicode.org/license.txt). Writes into ../ (the module's Tables/ folder):

  han-fold.tsv    traditional (or other non-simplified) character -> its simplified form, from kSimplifiedVariant.
                  A character whose simplified variants include itself (乾 -> 乾 干) is left alone: it is also a
                  simplified character in its own right, and folding it would merge distinct names.
  han-pinyin.tsv  one line per toneless syllable (u-diaeresis written v): the characters whose customary reading
                  (kMandarin) it is, then the characters that have it as another reading (kHanyuPinyin, plus the
                  mainland dictionaries kXHC1983 and kTGHZ2013, which list the readings of simplified characters
                  that kHanyuPinyin, a traditional-character dictionary, lacks: 单 shan).

Only CJK Unified Ideographs (the basic block and extensions A-H) are kept; characters without any reading are
dropped. Run from this folder:  apt-get install unicode-data && python3 derive_unihan.py
"""
import bz2
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

UNIHAN = Path("/usr/share/unicode")
OUT = Path(__file__).resolve().parent.parent
HEADER = "# Derived by tools/derive_unihan.py from the Unicode Unihan database 15.0 (Debian unicode-data)."
LICENCE = "# Unicode License v3, Copyright (c) 1991-2022 Unicode, Inc. https://www.unicode.org/license.txt"
CJK = [(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x323AF)]


def in_cjk(cp):
    return any(lo <= cp <= hi for lo, hi in CJK)


def fields(name):
    with bz2.open(UNIHAN / name, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cp, field, value = line.rstrip("\n").split("\t", 2)
            cp = int(cp[2:], 16)
            if in_cjk(cp):
                yield cp, field, value


def toneless(syllable):
    # Tone marks are combining marks after NFD; u with diaeresis is spelled v, as pinyin input methods do.
    decomposed = unicodedata.normalize("NFD", syllable.lower()).replace("u\u0308", "v")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def readings():
    primary, others = {}, defaultdict(list)
    for cp, field, value in fields("Unihan_Readings.txt.bz2"):
        if field == "kMandarin":
            primary[cp] = toneless(value.split(" ")[0])
            others[cp].extend(toneless(v) for v in value.split(" ")[1:])
        elif field in ("kHanyuPinyin", "kXHC1983", "kTGHZ2013"):
            for entry in value.split(" "):
                others[cp].extend(toneless(v) for v in entry.split(":", 1)[1].split(","))
    by_syllable = defaultdict(lambda: ([], []))
    for cp in sorted(set(primary) | set(others)):
        first = primary.get(cp) or others[cp][0]
        by_syllable[first][0].append(chr(cp))
        for extra in dict.fromkeys(others[cp]):
            if extra != first and re.fullmatch(r"[a-z]+", extra):
                by_syllable[extra][1].append(chr(cp))
    lines = [HEADER, LICENCE, "# syllable\tcharacters whose customary (kMandarin) reading it is\tcharacters with it as another reading"]
    for syllable in sorted(by_syllable):
        main, extra = by_syllable[syllable]
        lines.append(f"{syllable}\t{''.join(main)}\t{''.join(extra)}")
    (OUT / "han-pinyin.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def folding():
    simplified = {}
    for cp, field, value in fields("Unihan_Variants.txt.bz2"):
        if field == "kSimplifiedVariant":
            targets = [int(v[2:].split("<")[0], 16) for v in value.split(" ")]
            if cp not in targets:
                simplified[cp] = targets[0]
    lines = [HEADER, LICENCE, "# pairs of (character, its simplified form), concatenated, many pairs per line"]
    pairs = [chr(a) + chr(b) for a, b in sorted(simplified.items())]
    for i in range(0, len(pairs), 64):
        lines.append("".join(pairs[i:i + 64]))
    (OUT / "han-fold.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    readings()
    folding()
