"""The web page's keystroke-to-preview time (issue 15's 100 ms), measured in the system's Chromium.

    python bench/web_latency.py [--rounds 5]

Starts ``narrator serve``'s application on a free port, opens the clerk's draft of the bundled
workbook (tests/fixtures/atushi-2025.xlsx, last year's figures beside it) at 1366×768, types a
word into a field per round and reads the page's own timing (``window.narratorTiming``: the last
input event and the moment the preview showed the word). Prints each delay, the minimum and the
median. Timings on a shared 2-core machine swing with the load: compare runs made at the same time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.webserver import chromium_browser, free_port  # noqa: E402

from narrator.web import serving  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
WORDS = ["人员减少", "项目调整", "经费压减", "结转增加", "支出压减", "标准提高", "任务增加", "压缩开支"]


def measure(rounds: int) -> list[float]:
    """Milliseconds from the last keystroke to the preview showing it, one per round."""
    import shutil

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium not found (Debian: apt-get install chromium)")
    delays = []
    with tempfile.TemporaryDirectory() as work, serving(free_port(), Path(work)) as site, \
            chromium_browser(chromium) as browser:
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(f"{site}/draft")
        page.set_input_files("#workbook", str(FIXTURES / "atushi-2025.xlsx"))
        page.set_input_files("#prior", str(FIXTURES / "atushi-2024.yaml"))
        page.click("#import")
        page.wait_for_selector("#preview h3")
        for number in range(1, rounds + 1):
            delays.append(keystroke_delay(page, number, WORDS[(number - 1) % len(WORDS)]))
    return delays


def keystroke_delay(page: object, number: int, word: str) -> float:
    """Type ``word`` into field ``number`` of an open draft page; ms from the last keystroke to the
    preview showing it (the page's own timing)."""
    page.wait_for_timeout(400)  # the full preview of the word before has come and gone
    page.locator(f"#field-{number}").click()
    page.keyboard.type(word, delay=20)
    page.wait_for_function("text => document.getElementById('preview').innerText.includes(text)", arg=word)
    timing = page.evaluate("window.narratorTiming")
    return timing["updated"] - timing["lastInput"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    delays = measure(args.rounds)
    print("keystroke to preview: " + ", ".join(f"{d:.0f}" for d in delays) + " ms")
    print(f"min {min(delays):.0f} ms, median {statistics.median(delays):.0f} ms (target: within 100 ms)")


if __name__ == "__main__":
    main()
