#!/usr/bin/env python3
"""nDCG@10 and MRR@10 of a TREC run file on the two halves of a query set.

    fahras eval --passages P.jsonl --queries Q.jsonl --run run.txt
    scripts/halves.py run.txt Q.jsonl

The queries are split by the MD5 of their qid: an even digest is half A (the tuning half),
an odd one half B (kept out of tuning). A ranking weight is chosen on A; B is the figure
that says whether the choice carries over (docs/evaluation.md, "Issue 17").
"""
import collections
import hashlib
import json
import math
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: halves.py RUN_FILE QUERIES.jsonl")
    run_path, queries_path = sys.argv[1:]
    ranked = collections.defaultdict(list)
    with open(run_path, encoding="utf-8") as run:
        for line in run:
            qid, _, doc, _rank, _score, _tag = line.split()
            ranked[qid].append(doc)
    ndcg, mrr, count = [0.0, 0.0], [0.0, 0.0], [0, 0]
    with open(queries_path, encoding="utf-8") as queries:
        for line in queries:
            query = json.loads(line)
            qid = query["qid"]
            half = int(hashlib.md5(qid.encode()).hexdigest(), 16) % 2
            relevant = set(query["relevant"])
            top = ranked[qid][:10]
            count[half] += 1
            # Binary relevance, as fahras eval scores it.
            dcg = sum(1 / math.log2(i + 2) for i, doc in enumerate(top) if doc in relevant)
            ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), 10)))
            if ideal > 0:
                ndcg[half] += dcg / ideal
            first = next((i + 1 for i, doc in enumerate(top) if doc in relevant), None)
            if first is not None:
                mrr[half] += 1 / first
    total = sum(count)
    print(
        "nDCG@10 A %.4f B %.4f all %.4f | MRR@10 A %.4f B %.4f all %.4f | n A %d B %d"
        % (
            ndcg[0] / count[0],
            ndcg[1] / count[1],
            sum(ndcg) / total,
            mrr[0] / count[0],
            mrr[1] / count[1],
            sum(mrr) / total,
            count[0],
            count[1],
        )
    )


if __name__ == "__main__":
    main()
