#!/usr/bin/env python3
"""2-fold figure for main-text extraction: constants and rule switches chosen on one half of the
pages, scored on the other.

usage: extract_folds.py SCORER GROUND_TRUTH.json EXTRACT_TUNED DATA_HTML_DIR

SCORER is the benchmark's extract-metrics.py (its per-page counts are used, so the figures are
the benchmark's own). EXTRACT_TUNED is the example binary that extracts every page with a given
tuning (examples/extract_tuned.rs).

The pages are split by their sorted ids into odd and even positions. On each half, a hill climb
over GRID starts from the first value of every entry (the extractor without the rule, or the
constant as it was before issue 18); each step tries every single change and takes the one that
raises that half's F1 most, until none does. The chosen tuning then extracts the other half.
The 2-fold figure scores every page with the tuning chosen without it (both directions pooled,
which averages them).
"""
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile

# First value: the start of the search (rule off / old constant). Order matters only for ties.
GRID = {
    "inline_runs": ["off", "on"],
    "prune_comments": ["off", "on"],
    "guard_share": ["2", "0.5", "0.35", "0.65"],
    "anchors": ["off", "on"],
    "climb_share": ["0.85", "0", "0.75", "0.95"],
    "climb_ratio": ["1", "0.85", "1.25"],
    "sibling_links": ["1", "0.33", "0.25", "0.5"],
    "split_parts": ["off", "on"],
    "teaser_articles": ["0", "3", "2", "5"],
    "drop_link_lines": ["off", "on"],
    "keep_inner_h1": ["off", "on"],
    "sibling_share": ["0.2", "0.1", "0.3"],
    "min_paragraph": ["25", "15", "40"],
    "loose_below": ["500", "250", "1000"],
}
STEPS = 20


def load_scorer(path):
    spec = importlib.util.spec_from_file_location("extract_metrics", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class Extractor:
    """The example binary, kept running: one tuning in, every page's text out."""

    def __init__(self, binary, html_dir):
        self.proc = subprocess.Popen([binary, html_dir], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        self.cache = {}

    def run(self, config):
        if config not in self.cache:
            self.proc.stdin.write(config + "\n")
            self.proc.stdin.flush()
            r = json.loads(self.proc.stdout.readline())
            if "error" in r:
                sys.exit(f"extract_tuned: {r['error']}")
            self.cache[config] = r["pred"]
        return self.cache[config]

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def page_file(html_dir, key):
    """The page of `key`: decompressed or as shipped (the extractor reads both)."""
    for name in (key + ".html", key + ".html.gz"):
        if os.path.exists(os.path.join(html_dir, name)):
            return os.path.join(html_dir, name)
    sys.exit(f"no page for {key} in {html_dir}")


def half_dir(tmp, html_dir, half, name):
    """A folder of links to the pages of one half, for an extractor of its own."""
    d = os.path.join(tmp, name)
    os.mkdir(d)
    for k in half:
        f = page_file(html_dir, k)
        os.symlink(os.path.abspath(f), os.path.join(d, os.path.basename(f)))
    return d


def spec(choice):
    return ",".join(f"{k}={v}" for k, v in choice.items())


def figures(m, truth, pred, ids):
    """Benchmark F1, precision, recall over `ids` (averages of per-page P and R)."""
    counts = [m.page_counts(truth[k].get("articleBody", ""), pred.get(k, "")) for k in ids]
    P = [m.prec(*c) for c in counts if c[0] + c[1] > 0]
    R = [m.rec(*c) for c in counts if c[0] + c[2] > 0]
    p = sum(P) / len(P) if P else 0.0
    r = sum(R) / len(R) if R else 0.0
    return (2 * p * r / (p + r) if p + r else 0.0), p, r


def choose(m, truth, ex, train):
    choice = {k: v[0] for k, v in GRID.items()}
    best = figures(m, truth, ex.run(spec(choice)), train)[0]
    for _ in range(STEPS):
        step = None
        for key, values in GRID.items():
            for v in values:
                if v == choice[key]:
                    continue
                trial = dict(choice, **{key: v})
                f = figures(m, truth, ex.run(spec(trial)), train)[0]
                if f > best + 1e-9:
                    best, step = f, trial
        if step is None:
            break
        choice = step
    return choice, best


def main():
    scorer, truth_path, binary, html_dir = sys.argv[1:5]
    m = load_scorer(scorer)
    truth = json.load(open(truth_path))
    ids = sorted(truth)
    halves = {"odd": ids[1::2], "even": ids[0::2]}
    tmp = tempfile.mkdtemp()
    ex = {name: Extractor(binary, half_dir(tmp, html_dir, half, name))
          for name, half in halves.items()}
    pooled = {}
    for train_name, test_name in (("odd", "even"), ("even", "odd")):
        train, test = halves[train_name], halves[test_name]
        choice, train_f1 = choose(m, truth, ex[train_name], train)
        pred = ex[test_name].run(spec(choice))
        f, p, r = figures(m, truth, pred, test)
        d = figures(m, truth, ex[test_name].run(""), test)
        print(f"chosen on {train_name} (F1 {train_f1:.3f} there): {spec(choice)}")
        print(f"  scored on {test_name}: F1={f:.3f} precision={p:.3f} recall={r:.3f}"
              f"  (defaults there: F1={d[0]:.3f})")
        pooled.update({k: pred.get(k, "") for k in test})
    f, p, r = figures(m, truth, pooled, ids)
    print(f"2-fold: pages={len(ids)} F1={f:.3f} precision={p:.3f} recall={r:.3f}")
    for e in ex.values():
        e.close()
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
