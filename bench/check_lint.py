"""Speed of check, lint and explain on the bundled example: ``python bench/check_lint.py [N]``.

Prints documents per second (CPU time of this process, so other load on the machine does not
count) for: render; check; render + check (the batch path of issue 5);
lint without figures; lint with figures (renders a traced reference); explain.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from layout import pick  # noqa: E402

[check_figures, run_checks] = pick("checks.check", "check_figures", "run_checks")
[explain_figures] = pick("text.explain", "explain_figures")
[load_figures] = pick("intake.figures", "load_figures")
from narrator.lint import lint_text
[render_figures] = pick("text.render", "render_figures")

ROOT = Path(__file__).resolve().parent.parent


def rate(label: str, fn, n: int) -> None:
    fn()  # warm caches (rule sets, templates, lint rules)
    start = time.process_time()
    for _ in range(n):
        fn()
    elapsed = time.process_time() - start
    print(f"{label:<28}{n / elapsed:10.0f} 份/秒   {elapsed / n * 1000:8.3f} 毫秒/份")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    loaded = load_figures(ROOT / "examples" / "atushi-2025.yaml")
    text = render_figures(loaded).text
    rate("render", lambda: render_figures(loaded), n)
    rate("check", lambda: check_figures(loaded), n)
    rate("render + check", lambda: (render_figures(loaded), check_figures(loaded)), n)
    rate("render + check（共用引擎）", lambda: run_checks(render_figures(loaded).engine, loaded), n)
    rate("lint（仅措辞）", lambda: lint_text(text, "a.md"), n)
    rate("lint --figures", lambda: lint_text(text, "a.md", loaded), max(1, n // 4))
    rate("explain", lambda: explain_figures(loaded), max(1, n // 4))


if __name__ == "__main__":
    main()
