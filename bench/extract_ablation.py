#!/usr/bin/env python3
"""Each extraction rule and constant of issue 18, one at a time: what it is worth in-sample and
in the 2-fold figure, so a rule that moves only the in-sample figure shows as noise.

usage: extract_ablation.py SCORER GROUND_TRUTH.json EXTRACT_TUNED DATA_HTML_DIR

For every entry of extract_folds.GRID that is not the old extractor's value by default:
- in-sample: F1 on all pages with ibid's defaults, and with that one entry set back to its
  first GRID value (the rule off, or the constant as it was before issue 18);
- 2-fold: the search of extract_folds.py as it runs in the bench, and the same search with that
  entry held at its old value on both halves.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import extract_folds as folds  # noqa: E402


def two_fold(m, truth, ex, halves, ids):
    """Pooled F1 of the 2-fold search over the current folds.GRID."""
    pooled = {}
    for train_name, test_name in (("odd", "even"), ("even", "odd")):
        choice, _ = folds.choose(m, truth, ex[train_name], halves[train_name])
        pred = ex[test_name].run(folds.spec(choice))
        pooled.update({k: pred.get(k, "") for k in halves[test_name]})
    return folds.figures(m, truth, pooled, ids)[0]


def defaults_of(binary):
    """ibid's default value of each tuning entry, as the example binary prints it."""
    out = subprocess.run([binary, "--defaults"], capture_output=True, text=True, check=True)
    return dict(pair.split("=", 1) for pair in out.stdout.strip().split(","))


def main():
    scorer, truth_path, binary, html_dir = sys.argv[1:5]
    m = folds.load_scorer(scorer)
    truth = json.load(open(truth_path))
    ids = sorted(truth)
    halves = {"odd": ids[1::2], "even": ids[0::2]}
    tmp = tempfile.mkdtemp()
    ex = {name: folds.Extractor(binary, folds.half_dir(tmp, html_dir, half, name))
          for name, half in halves.items()}
    ex["all"] = folds.Extractor(binary, html_dir)
    defaults = defaults_of(binary)
    base_in = folds.figures(m, truth, ex["all"].run(""), ids)[0]
    base_2f = two_fold(m, truth, ex, halves, ids)
    print(f"{'entry':16} {'old':>6} {'ibid':>6}   in-sample F1 old -> ibid   2-fold F1 old -> ibid")
    grid = dict(folds.GRID)
    for key, values in grid.items():
        old, now = values[0], defaults[key]
        if float_or(old) == float_or(now):
            continue
        without = folds.figures(m, truth, ex["all"].run(f"{key}={old}"), ids)[0]
        folds.GRID[key] = [old]
        held = two_fold(m, truth, ex, halves, ids)
        folds.GRID[key] = values
        print(f"{key:16} {old:>6} {now:>6}   {without:.4f} -> {base_in:.4f} ({base_in - without:+.4f})"
              f"   {held:.4f} -> {base_2f:.4f} ({base_2f - held:+.4f})")
    for e in ex.values():
        e.close()
    shutil.rmtree(tmp)


def float_or(v):
    """A GRID value compared as a number where it is one ("0.2" == "0.20"), else as a flag."""
    flags = {"on": 1.0, "off": 0.0, "true": 1.0, "false": 0.0}
    try:
        return float(v)
    except ValueError:
        return flags.get(str(v).lower(), v)


if __name__ == "__main__":
    main()
