#!/usr/bin/env python3
"""Diagnose attribution errors by kind, to steer rule work (standard library only).

usage: diagnose.py GOLD.jsonl PRED.jsonl [--show KIND] [--cue WORD] [--limit N]

Pairs each gold attribution with the prediction whose cue overlaps its cue, then sorts
errors into kinds:
  cue-missed      no prediction has a cue on the gold cue
  content         the cue was found but the content words overlap less than half
  source          the content matched but the source span does not overlap
  false-cue       a prediction whose cue overlaps no gold cue
Counts per kind and per cue word; --show KIND lists examples with both spans.
Uses score.py from ../shared/eval for tokenisation and offsets.
"""
import argparse, collections, json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "shared", "eval"))
import score  # noqa: E402


def words(text, spans):
    return " ".join(text[s:e] for s, e in spans).replace("\n", " ")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gold"); ap.add_argument("pred")
    ap.add_argument("--show", help="kind to list examples of")
    ap.add_argument("--cue", help="only gold/pred cues equal to this word (lower case)")
    ap.add_argument("--limit", type=int, default=30)
    ap.add_argument("--direct", action="store_true", help="only gold direct quotations")
    a = ap.parse_args()
    preds = {str(d["id"]): d for d in score.load(a.pred)}
    kinds = collections.Counter()
    by_cue = collections.defaultdict(collections.Counter)
    shown = 0
    for gd in score.load(a.gold):
        text = gd["text"]
        toks = [(m.start(), m.end()) for m in score.WORD.finditer(text)]
        graw = [{k: [tuple(s) for s in x.get(k) or []] for k in ("source", "cue", "content")} for x in gd["attributions"]]
        praw = score.pred_attributions(preds.get(str(gd["id"]), {}), text, "sourcecheck")
        G = [{k: score.tokens(x[k], toks) for k in x} for x in graw]
        P = [{k: score.tokens(x[k], toks) for k in x} for x in praw]
        used = set()
        for i, g in enumerate(G):
            cue = words(text, graw[i]["cue"]).lower().strip() or "(none)"
            if a.cue and cue != a.cue:
                continue
            if a.direct and not score.is_direct(text, graw[i]["content"]):
                continue
            cands = [j for j, p in enumerate(P) if g["cue"] & p["cue"]]
            if not cands:
                kind = "cue-missed"
                j = None
            else:
                j = max(cands, key=lambda j: score.jaccard(g["content"], P[j]["content"]))
                used.add(j)
                if score.jaccard(g["content"], P[j]["content"]) < 0.5:
                    kind = "content"
                elif not (g["source"] & P[j]["source"]) and (g["source"] or P[j]["source"]):
                    kind = "source"
                else:
                    kind = "ok"
            kinds[kind] += 1
            by_cue[kind][cue] += 1
            if a.show == kind and shown < a.limit:
                shown += 1
                print(f"[{kind}] {gd['id']} cue={cue!r}")
                print(f"   gold source: {words(text, graw[i]['source'])!r}")
                print(f"   gold content: {words(text, graw[i]['content'])[:300]!r}")
                if j is not None:
                    print(f"   pred source: {words(text, praw[j]['source'])!r}")
                    print(f"   pred content: {words(text, praw[j]['content'])[:300]!r}")
        for j, p in enumerate(P):
            if j in used or any(p["cue"] & g["cue"] for g in G):
                continue
            cue = words(text, praw[j]["cue"]).lower().strip()
            if a.cue and cue != a.cue:
                continue
            kinds["false-cue"] += 1
            by_cue["false-cue"][cue] += 1
            if a.show == "false-cue" and shown < a.limit:
                shown += 1
                lo = max(0, min(s for s, _ in praw[j]["content"] or [(0, 0)]) - 80)
                print(f"[false-cue] {gd['id']} cue={cue!r} source={words(text, praw[j]['source'])!r}")
                print(f"   pred content: {words(text, praw[j]['content'])[:300]!r}")
    print("kinds:", dict(kinds))
    for k in ("cue-missed", "content", "source", "false-cue"):
        print(f"{k}: " + ", ".join(f"{c} {n}" for c, n in by_cue[k].most_common(25)))


if __name__ == "__main__":
    main()


def precision_by_cue(gold_path, pred_path, min_count=15):
    """Per predicted cue word: predictions matched to a gold relation (majority) vs not."""
    preds = {str(d["id"]): d for d in score.load(pred_path)}
    tp, fp = collections.Counter(), collections.Counter()
    for gd in score.load(gold_path):
        text = gd["text"]
        toks = [(m.start(), m.end()) for m in score.WORD.finditer(text)]
        G = [{k: score.tokens([tuple(s) for s in x.get(k) or []], toks) for k in ("source", "cue", "content")} for x in gd["attributions"]]
        praw = score.pred_attributions(preds.get(str(gd["id"]), {}), text, "sourcecheck")
        P = [{k: score.tokens(x[k], toks) for k in x} for x in praw]
        matched = {j for i, j in score.match(G, P, 0.5) if score.jaccard(G[i]["source"], P[j]["source"]) > 0 or not (G[i]["source"] or P[j]["source"])}
        for j, p in enumerate(praw):
            cue = words(text, p["cue"]).lower().strip()
            (tp if j in matched else fp)[cue] += 1
    rows = sorted(set(tp) | set(fp), key=lambda c: -(tp[c] + fp[c]))
    for c in rows:
        n = tp[c] + fp[c]
        if n >= min_count:
            print(f"{c:20} {n:6} precision {100 * tp[c] / n:5.1f}")
