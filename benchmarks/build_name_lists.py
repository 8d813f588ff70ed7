"""Build the word lists that rbp's name finder ships, from two open sources.

    pip download --no-deps names==0.3.0 && tar xzf names-0.3.0.tar.gz
    apt-get download wbritish && dpkg-deb -x wbritish_*.deb wbritish
    python benchmarks/build_name_lists.py names-0.3.0/names wbritish/usr/share/dict/british-english

- US Census Bureau, 1990 census name files (dist.female.first, dist.male.first, dist.all.last),
  as shipped in the `names` package (MIT): works of the US Government, in the public domain.
  Every given name is kept; surnames down to SURNAMES_KEPT by frequency (rarer ones are mostly
  one family each, and many are also English words).
- SCOWL size 50 (Kevin Atkinson; Debian's `wbritish`), whose licence allows use and
  redistribution with its notice (copied into data/SOURCES.md): its lower-case entries tell
  whether a word is ordinary English, its capitalised ones that are in no name list are proper
  nouns that are not people (places, brands, peoples).

Writes src/rbp_journal/privacy/data/census_given_names.txt, census_surnames.txt,
scowl_words.txt and scowl_proper_nouns.txt, one lower-cased word a line, sorted.
"""

from __future__ import annotations

import sys
from pathlib import Path

SURNAMES_KEPT = 20_000
DATA = Path(__file__).resolve().parents[1] / "src" / "rbp_journal" / "privacy" / "data"


def census(path: Path, limit: int | None = None) -> list[str]:
    lines = path.read_text(encoding="ascii").splitlines()[:limit]
    return [line.split()[0].lower() for line in lines if line.strip()]


def main(census_dir: Path, scowl: Path) -> None:
    given = set(census(census_dir / "dist.female.first") + census(census_dir / "dist.male.first"))
    surnames = set(census(census_dir / "dist.all.last", SURNAMES_KEPT))
    words, proper = set(), set()
    for entry in scowl.read_text(encoding="latin-1").splitlines():
        if entry.endswith("'s") or not entry.isalpha():
            continue
        if entry.islower():
            words.add(entry)
        elif entry[0].isupper() and entry[1:].islower():
            proper.add(entry.lower())
    proper -= given | surnames
    for name, items in [
        ("census_given_names", given),
        ("census_surnames", surnames),
        ("scowl_words", words),
        ("scowl_proper_nouns", proper),
    ]:
        (DATA / f"{name}.txt").write_text("\n".join(sorted(items)) + "\n", encoding="utf-8")
        print(f"{name}: {len(items)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
