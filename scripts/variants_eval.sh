#!/usr/bin/env bash
# Reproduces the spelling-variant figures of docs/evaluation.md from the shared data.
#
#   scripts/variants_eval.sh [DATA_DIR]     (default: ../shared/data beside the repository)
#
# Builds the rewritten-headline dev set (scripts/respell_headlines.py, into target/variants/:
# derived from the shared data, never committed), then runs `fahras eval` on news-titles with
# the clean headlines, the rewritten ones, and the rewritten ones alone beside their clean
# versions, with spelling variants (default), with other variant weights, and with --exact.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${1:-../shared/data}"
OUT=target/variants
cargo build --release --quiet
FAHRAS=target/release/fahras
python3 scripts/respell_headlines.py --queries "$DATA/eval/news-titles/queries.jsonl" \
    --corpus "$DATA/news" --out "$OUT/queries-variants.jsonl"
python3 - "$OUT" "$DATA/eval/news-titles/queries.jsonl" <<'PY'
import json, sys
out, clean_path = sys.argv[1:]
clean = {}
for line in open(clean_path, encoding="utf-8"):
    q = json.loads(line)
    clean[q["qid"]] = q
with open(f"{out}/rewritten.jsonl", "w", encoding="utf-8") as rewritten, \
        open(f"{out}/rewritten-clean.jsonl", "w", encoding="utf-8") as originals:
    for line in open(f"{out}/queries-variants.jsonl", encoding="utf-8"):
        q = json.loads(line)
        if q["variant_class"]:
            rewritten.write(line)
            originals.write(json.dumps(clean[q["qid"]], ensure_ascii=False) + "\n")
PY

row() {
  local name="$1"; shift
  "$FAHRAS" eval --json --passages "$DATA/eval/news-titles/passages.jsonl" \
      --queries "$DATA/eval/news-titles/queries.jsonl" --queries "$OUT/queries-variants.jsonl" \
      --queries "$OUT/rewritten-clean.jsonl" --queries "$OUT/rewritten.jsonl" "$@" |
  python3 -c '
import json, sys
name, flags = sys.argv[1:]
c, v, sc, sv = (json.loads(l) for l in sys.stdin)
m = lambda d: d["mrr@10"]
print("| %s | `%s` | %.3f | %.3f | %+.3f | %.3f | %.3f | %+.3f | %.3f |" % (
    name, flags or "(defaults)", m(c), m(v), m(v) - m(c), m(sc), m(sv), m(sv) - m(sc), c["ndcg@10"]))
' "$name" "$*"
}

n=$(wc -l < "$OUT/rewritten.jsonl")
echo "| setting | flags | clean MRR@10 (500) | rewritten MRR@10 (500) | loss | clean MRR@10 ($n rewritten) | rewritten MRR@10 ($n) | loss | clean nDCG@10 (500) |"
echo "|---|---|---|---|---|---|---|---|---|"
row "spelling variants" 
row "variant weight 0.5" --variant-weight 0.5
row "variant weight 0.7 (session 9)" --variant-weight 0.7
row "variant weight 1" --variant-weight 1
row "no variants" --exact
