#!/usr/bin/env bash
# Reproduces the ablation table of docs/evaluation.md from the shared evaluation data.
#
#   scripts/ablation.sh [DATA_DIR]      (default: ../shared/data/eval beside the repository)
#
# Every row is one `fahras eval` run with default settings except the flags shown.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${1:-../shared/data/eval}"
cargo build --release --quiet
FAHRAS=target/release/fahras

row() {
  local name="$1"; shift
  local arcd news
  arcd=$("$FAHRAS" eval --json --passages "$DATA/arcd/passages.jsonl" \
      --queries "$DATA/arcd/queries.jsonl" "$@")
  news=$("$FAHRAS" eval --json --passages "$DATA/news-titles/passages.jsonl" \
      --queries "$DATA/news-titles/queries.jsonl" \
      --queries "$DATA/news-titles/queries-orthographic.jsonl" "$@")
  python3 - "$name" "$*" "$arcd" "$news" <<'PY'
import json, sys
name, flags, arcd, news = sys.argv[1:]
a = json.loads(arcd.splitlines()[0])
n, o = (json.loads(l) for l in news.splitlines())
f = lambda d: "%.3f | %.3f | %.3f" % (d["mrr@10"], d["ndcg@10"], d["recall@100"])
print("| %s | `%s` | %s | %s | %.3f | %.3f |" % (name, flags or "(defaults)", f(a), f(n), o["mrr@10"], o["mrr@10"] - n["mrr@10"]))
PY
}

echo "| choice | flags | arcd MRR@10 | arcd nDCG@10 | arcd R@100 | news MRR@10 | news nDCG@10 | news R@100 | news-ortho MRR@10 | ortho − clean |"
echo "|---|---|---|---|---|---|---|---|---|---|"
row "defaults"
row "tantivy's BM25 (k1 1.2, b 0.75)" --k1 1.2 --b 0.75
row "BM25 k1 0.9, b 0.4 (Lucene's news-titles setting)" --k1 0.9 --b 0.4
row "BM25 k1 0.5" --k1 0.5
row "BM25 b 1.0" --b 1.0
row "hamza on carriers folded (ؤ→و, ئ→ي, ء dropped)" --fold-hamza
row "Snowball stemmer instead of light" --stemmer snowball
row "no stemming" --stemmer none
row "no exact-form fields" --exact-boost 0
row "exact-form boost 1" --exact-boost 1
row "stopwords dropped at index time" --index-stopwords
row "query stopwords dropped" --query-stopwords drop
row "query stopwords required" --query-stopwords require
row "no title boost (title counted in the body text only)" --title-boost 0
row "title boost 0.5" --title-boost 0.5
row "title boost 1" --title-boost 1
row "title boost 2" --title-boost 2
row "no lead field" --lead-boost 0
row "lead boost 1" --lead-boost 1
row "no proximity bonus" --proximity-boost 0
row "proximity bonus 1" --proximity-boost 1
row "no partial-match fill" --no-partial
row "rank any-word matches by score (no all-words tier)" --match-any
row "partial matches missing one word first" --coordination
row "all-words tier first (the defaults before session 10)" --all-words-first
row "soft coordination, exponent 0.25" --soft-coordination 0.25
row "soft coordination, exponent 0.5" --soft-coordination 0.5
row "soft coordination, exponent 1 (Lucene's classic coord)" --soft-coordination 1
row "proximity on consecutive words only" --proximity-pairs consecutive
row "proximity on every pair, unscaled" --proximity-pairs all
row "no imperfect-verb expansion" --no-imperfect-prefix
row "session 9 defaults" --all-words-first --proximity-pairs consecutive --no-imperfect-prefix
row "no title-coverage rerank (issue 17)" --title-coverage 0
row "no query-coverage rerank (issue 17)" --query-coverage 0
row "no opening rerank (issue 17)" --opening 0 --definition-opening 0
row "opening rerank for definition questions only (issue 17)" --opening 0
row "general opening only, no definition-question weight (issue 17)" --definition-opening 0
