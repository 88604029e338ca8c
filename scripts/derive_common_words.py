"""Common English words, for telling a word from a model's name ("Listening to music ..." is no
Dethonray Listening M1, "next Spring" no BQEYZ Spring 1).

Source: wordfreq 3.1.1 (Robyn Speer et al., https://github.com/rspeer/wordfreq), data CC BY-SA
4.0: its English list, every all-letter word with a Zipf frequency of at least ``MIN_ZIPF``
(4.0 = ten per million words of running text). wordfreq is not a dependency of earwise: install
it in any environment to re-derive the file.

Run from the repository root: ``python scripts/derive_common_words.py`` (writes
``src/earwise/advice/data/common_words.txt``).
"""

from __future__ import annotations

import re
from pathlib import Path

MIN_ZIPF = 4.0  # Zipf scale: log10 of a frequency per billion words; 4.0 = ten per million
TOP_N = 30_000  # wordfreq's list is ranked; 30,000 reaches well below MIN_ZIPF
OUT = Path(__file__).resolve().parents[1] / "src/earwise/advice/data/common_words.txt"
HEADER = (
    "# Common English words: wordfreq 3.1.1 (Robyn Speer et al.), data CC BY-SA 4.0; all-letter\n"
    f"# words of its English list with a Zipf frequency >= {MIN_ZIPF} (ten per million words).\n"
    "# Written by scripts/derive_common_words.py; one word per line, sorted.\n"
)


def main() -> None:
    from wordfreq import top_n_list, zipf_frequency

    words = sorted(
        w
        for w in top_n_list("en", TOP_N)
        if re.fullmatch(r"[a-z]+", w) and zipf_frequency(w, "en") >= MIN_ZIPF
    )
    OUT.write_text(HEADER + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} words -> {OUT}")


if __name__ == "__main__":
    main()
