#!/usr/bin/env python3
"""Bulk-indexing speed of analysis chains side by side on one node: where fahras_blended's
indexing time goes (docs/opensearch.md, "Speed"), cheaper than the 3-node evaluate.py run.

  flock /work/.bench.lock opensearch/eval/bulk.py --url http://127.0.0.1:9400 \\
      [--articles 10000] [--runs 2] [--chains opensearch/eval/chains.json] NAME ...

The articles evaluate.py bulk-indexes (title and body, the multi-source file first), into
title and body fields analyzed with each named chain of the chains file (a built-in or plugin
analyzer name, or a custom chain), one shard, no replica, refresh off until the end, two bulk
clients of 500 articles a request; which chain goes first turns with the run. Prints each
run's articles/s and the index size, then the median of each chain. To see where the time
goes, record the node with JFR around it (docs/opensearch.md) and sort the samples with
opensearch/eval/jfr_buckets.py.
"""

import argparse
import json
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "cluster"))
from client import Client  # noqa: E402
from chains import chain_mapping  # noqa: E402
from evaluate import ROOT, Evaluation  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:9400")
    parser.add_argument("--data", default=os.path.join(os.path.dirname(ROOT), "shared", "data"))
    parser.add_argument("--chains", default=os.path.join(HERE, "chains.json"))
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("names", nargs="+", help="chains of the chains file")
    args = parser.parse_args()
    chains = json.load(open(args.chains, encoding="utf-8"))
    unknown = [n for n in args.names if n not in chains or n.startswith("_")]
    if unknown:
        raise SystemExit(f"bulk.py: no chain {', '.join(unknown)} in {args.chains}")
    client = Client(args.url)
    docs = Evaluation(SimpleNamespace(url=args.url, data=args.data, bench_articles=args.articles)).bench_articles()
    batches = []
    for start in range(0, len(docs), 500):
        lines = []
        for d in docs[start:start + 500]:
            lines.append(json.dumps({"index": {"_id": d["id"]}}))
            lines.append(json.dumps({"title": d["title"], "body": d["body"]}, ensure_ascii=False))
        batches.append("\n".join(lines) + "\n")
    rates = {n: [] for n in args.names}
    for run in range(args.runs):
        k = run % len(args.names)
        for name in args.names[k:] + args.names[:k]:
            analysis, field = chain_mapping(chains[name])
            client.delete_index("bulk-chain")
            client.put("/bulk-chain", {
                "settings": {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "-1",
                             "analysis": analysis},
                "mappings": {"properties": {"title": field, "body": field}}})

            def send(batch):
                result = client.request("POST", "/bulk-chain/_bulk", ndjson=batch, timeout=600)
                if result.get("errors"):
                    raise RuntimeError(f"bulk with {name} failed: {result['items'][0]}")

            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=2) as pool:
                list(pool.map(send, batches))
            client.post("/bulk-chain/_refresh")
            seconds = time.perf_counter() - started
            store = client.get("/bulk-chain/_stats/store")["_all"]["primaries"]["store"]["size_in_bytes"]
            rates[name].append(len(docs) / seconds)
            print(f"run {run + 1} {name:24} {len(docs) / seconds:7.0f} articles/s, index {store / 1e6:.1f} MB",
                  flush=True)
    client.delete_index("bulk-chain")
    for name in args.names:
        print(f"{name:24} {statistics.median(rates[name]):7.0f} articles/s (median of {args.runs})")


if __name__ == "__main__":
    sys.exit(main())
