#!/usr/bin/env python3
"""Figures a CI user cares about, from `ibid judge` output on WiCE-style files.

usage: wice_stats.py findings GOLD.jsonl PRED.jsonl
           per-finding false-alarm rate on supported claims and precision, and the severity
           trade-off (share of supported claims failed against share of not fully supported
           claims caught, for fail_on = error, warning, note)
       wice_stats.py tokens TOKENS.jsonl PRED.jsonl
           on sub-claims annotated with their unsupported tokens: share judged supported, and for
           each finding that names a piece of the claim, the share of those pieces that fall
           inside the annotated unsupported tokens

A finding's severity is the one `ibid judge` prints; output without severities (older builds)
uses the severities ibid shipped before they were measured (BEFORE below).
"""
import json
import sys

# the severities before issue 13, for scoring output of older builds
BEFORE = {
    "quote-mismatch": "error",
    "number-mismatch": "error",
    "date-mismatch": "error",
    "name-missing": "warning",
    "claim-unsupported": "error",
    "claim-partially-supported": "warning",
    "claim-unverifiable": "warning",
}
RANK = {"note": 0, "warning": 1, "error": 2}
# findings that name a piece of the claim (the first quoted string of their message)
PIECES = ["number-mismatch", "date-mismatch", "name-missing", "quote-mismatch"]


def load(path):
    with open(path) as f:
        return {str(r["id"]): r for r in map(json.loads, filter(str.strip, f))}


def severity(f):
    return f.get("severity") or BEFORE.get(f["code"], "warning")


def findings_table(gold, pred):
    rows = [(g["label"], pred.get(i, {})) for i, g in gold.items()]
    sup = [p for l, p in rows if l == "supported"]
    nfs = [p for l, p in rows if l != "supported"]
    base = len(nfs) / len(rows)
    codes = sorted({f["code"] for _, p in rows for f in p.get("findings", [])})
    print(f"per finding (claims with it; {len(sup)} supported, {len(nfs)} not fully supported; "
          f"base rate of a flag being right {base:.2f}):")
    print(f"  {'code':<27}{'severity':>9}{'false alarms':>14}{'caught':>9}{'precision':>11}{'n':>5}")
    for c in codes:
        has = lambda p: any(f["code"] == c for f in p.get("findings", []))
        fa = sum(map(has, sup))
        tp = sum(map(has, nfs))
        sev = next(severity(f) for _, p in rows for f in p.get("findings", []) if f["code"] == c)
        prec = tp / (tp + fa) if tp + fa else float("nan")
        print(f"  {c:<27}{sev:>9}{fa / len(sup):>13.1%}{tp / len(nfs):>9.1%}{prec:>11.2f}{tp + fa:>5}")
    print("severity trade-off (a claim fails when it has a finding at or above fail_on):")
    print(f"  {'fail_on':<9}{'supported failed':>18}{'not fully supported caught':>28}{'precision':>11}")
    for level in ["error", "warning", "note"]:
        fails = lambda p: any(RANK[severity(f)] >= RANK[level] for f in p.get("findings", []))
        fa, tp = sum(map(fails, sup)), sum(map(fails, nfs))
        prec = tp / (tp + fa) if tp + fa else float("nan")
        print(f"  {level:<9}{fa / len(sup):>17.1%} ({fa:>3}){tp / len(nfs):>20.1%} ({tp:>3}){prec:>11.2f}")


def token_spans(claim, tokens):
    """Character spans of the annotated tokens in the claim (tokens are found in order)."""
    spans, at = [], 0
    for t in tokens:
        p = claim.find(t, at)
        if p < 0:
            spans.append(None)
            continue
        spans.append((p, p + len(t)))
        at = p + len(t)
    return spans


def flagged_piece(message):
    """The claim piece a finding names: the first double-quoted string of its message."""
    a = message.find('"')
    b = message.find('"', a + 1) if a >= 0 else -1
    return message[a + 1:b] if a >= 0 and b > a else None


def tokens_table(data, pred):
    n = len(data)
    sup = sum(1 for i in data if pred.get(i, {}).get("verdict") == "supported")
    print(f"partially supported sub-claims judged supported: {sup}/{n} = {sup / n:.1%} (target <= 20%)")
    print("findings that name a claim piece: share inside the annotated unsupported tokens "
          "(inside: every token of the piece unsupported; touching: at least one):")
    for code in PIECES:
        inside = touching = total = 0
        for i, r in data.items():
            spans = token_spans(r["claim"], r["claim_tokens"])
            for f in pred.get(i, {}).get("findings", []):
                if f["code"] != code:
                    continue
                piece = flagged_piece(f.get("message", ""))
                p = r["claim"].find(piece) if piece else -1
                if p < 0:
                    continue
                q = p + len(piece)
                marks = [u for s, u in zip(spans, r["unsupported"])
                         if s and s[0] < q and p < s[1] and r["claim"][s[0]:s[1]].strip(".,;:'\"()")]
                total += 1
                inside += bool(marks) and all(marks)
                touching += any(marks)
        if total:
            print(f"  {code:<17} {total:>4} pieces   inside {inside / total:>6.1%}   touching {touching / total:>6.1%}")
        else:
            print(f"  {code:<17}    0 pieces")


def main():
    mode, data, pred = sys.argv[1], load(sys.argv[2]), load(sys.argv[3])
    if mode == "findings":
        findings_table(data, pred)
    elif mode == "tokens":
        tokens_table(data, pred)
    else:
        sys.exit(f"unknown mode {mode!r}: expected findings or tokens")


if __name__ == "__main__":
    main()
