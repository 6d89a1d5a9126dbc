#!/usr/bin/env bash
# The spelling-variant figures of docs/evaluation.md on the large dev set: MRR@10 of each
# rewritten headline against the same headline as written, per failure class, the tuned and
# untuned families apart, with spelling variants (the default) and with --exact.
#
#   scripts/variants_dev_eval.sh [DATA_DIR] [-- extra fahras eval flags]
#
# DATA_DIR defaults to ../shared/data beside the repository. Builds target/variants-dev/ with
# scripts/respell_corpus.py when it is missing (derived from the shared data: never committed;
# delete the directory to mine it again), then indexes the 41,686 news articles once per
# setting. A full evaluation: run it under the bench lock where several people share a
# machine (`flock /work/.bench.lock scripts/variants_dev_eval.sh`). About 10 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=../shared/data
if [[ $# -gt 0 && "$1" != "--" ]]; then DATA="$1"; shift; fi
[[ "${1:-}" == "--" ]] && shift
OUT=target/variants-dev
cargo build --release --quiet
FAHRAS=target/release/fahras
if [[ ! -s "$OUT/rewritten.jsonl" ]]; then
  python3 scripts/respell_corpus.py --corpus "$DATA/news" --out "$OUT" --fahras "$FAHRAS"
fi

for setting in variants exact; do
  flags=()
  [[ $setting == exact ]] && flags=(--exact)
  "$FAHRAS" eval --json --passages "$OUT/passages.jsonl" --queries "$OUT/original.jsonl" \
      --queries "$OUT/rewritten.jsonl" --run "$OUT/run-$setting.txt" "${flags[@]}" "$@" \
      > "$OUT/eval-$setting.json"
done

python3 - "$OUT" <<'PY'
import collections, json, sys
out = sys.argv[1]
meta = [json.loads(l) for l in open(f"{out}/rewritten.jsonl", encoding="utf-8")]

def reciprocal_ranks(path):
    rr = collections.defaultdict(float)
    for line in open(path):
        qid, _, doc, rank, _, _ = line.split()
        if int(rank) <= 10 and doc == qid[2:] and not rr[qid]:
            rr[qid] = 1.0 / int(rank)
    return rr

runs = {s: reciprocal_ranks(f"{out}/run-{s}.txt") for s in ("variants", "exact")}
groups = collections.defaultdict(list)
for q in meta:
    doc = q["relevant"][0]
    for cls in ("all", q["variant_class"]):
        for part in ("all", q["split"]):
            groups[(cls, part)].append(doc)
families = collections.defaultdict(set)
for q in meta:
    for cls in ("all", q["variant_class"]):
        for part in ("all", q["split"]):
            families[(cls, part)].add(q["family"])

order = ["all", "compound", "stem", "rarer", "letters"]
print("| class | part | queries | families | variants: original → rewritten | loss "
      "| --exact: original → rewritten | loss |")
print("|---|---|---|---|---|---|---|---|")
for cls in order:
    for part in ("all", "tuned", "untuned"):
        docs = groups.get((cls, part))
        if not docs:
            continue
        cells = []
        for s in ("variants", "exact"):
            rr = runs[s]
            o = sum(rr["o-" + d] for d in docs) / len(docs)
            r = sum(rr["r-" + d] for d in docs) / len(docs)
            cells += [f"{o:.3f} → {r:.3f}", f"{r - o:+.3f}"]
        print(f"| {cls} | {part} | {len(docs)} | {len(families[(cls, part)])} | " + " | ".join(cells) + " |")
for s in ("variants", "exact"):
    reports = [json.loads(l) for l in open(f"{out}/eval-{s}.json")]
    ms = sum(r["query_ms_mean"] * r["n"] for r in reports) / sum(r["n"] for r in reports)
    print(f"\n{s}: indexing {reports[0]['index_s']:.0f} s, mean query {ms:.1f} ms", end="")
print()
PY
