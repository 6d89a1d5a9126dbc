#!/usr/bin/env python3
"""Analysis chains side by side on a one-node exploration cluster: how the chains of
docs/opensearch.md ("How fahras_blended was chosen", "A skeleton filter") were measured.

  FAHRAS_OPENSEARCH_DIR=/tmp/fahras-os-explore FAHRAS_OPENSEARCH_PORT=9400 \\
      scripts/opensearch-cluster start --nodes 1 --heap 1g
  flock /work/.bench.lock opensearch/eval/chains.py --url http://127.0.0.1:9400 \\
      [--chains opensearch/eval/chains.json] [--variants] [--similarity K1:B ...] [NAME ...]

Each chain of the JSON file (a name → {"analyzer": a built-in name or a custom chain,
"filters": the filters it defines}) indexes each dev collection into one field `contents`
(title, line break, text), one shard, no replica, and is searched with the same BM25 `match`
query as opensearch/eval/evaluate.py: nDCG@10 and MRR@10 on arcd and news-titles. With
--variants also the MRR@10 lost by the rewritten headlines of both variant dev sets (made by
evaluate.py under target/opensearch-eval/ and by scripts/respell_corpus.py under
target/variants-dev/). One shard scores as the 3-shard dfs_query_then_fetch figures do, up to
ties. With --similarity (repeatable) every chain is run again with BM25 at those k1 and b
(the index's default similarity, the same for every chain): whether a lead holds away from
OpenSearch's defaults (k1 1.2, b 0.75). Quality only: nothing here is timed.
"""

import argparse
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "cluster"))
from client import Client  # noqa: E402
from evaluate import ROOT, collapse, mean_scores, read_jsonl, scores  # noqa: E402


def documents(passages):
    return [{"id": p["id"], "contents": (p.get("title") or "") + "\n" + p["text"]} for p in passages]


def chain_mapping(chain):
    """The index analysis settings and the text field mapping of one chain of the chains file:
    a custom analyzer or search analyzer defined under its role's name, a built-in or plugin
    one named as it is, and arabic_stop defined for every chain."""
    analysis = {"filter": {"arabic_stop": {"type": "stop", "stopwords": "_arabic_"}}, "analyzer": {}}
    analysis["filter"].update(chain.get("filters", {}))
    field = {"type": "text"}
    for role in ("analyzer", "search_analyzer"):
        value = chain.get(role)
        if isinstance(value, dict):
            analysis["analyzer"][role] = dict(value, type="custom")
            field[role] = role
        elif value:
            field[role] = value
    return analysis, field


class Chains:
    def __init__(self, client):
        self.client = client

    def index(self, name, chain, docs, similarity=None):
        analysis, field = chain_mapping(chain)
        settings = {"number_of_shards": 1, "number_of_replicas": 0, "analysis": analysis}
        if similarity:
            k1, b = similarity
            settings["similarity"] = {"default": {"type": "BM25", "k1": k1, "b": b}}
        self.client.delete_index(name)
        self.client.put(f"/{name}", {"settings": settings,
                                     "mappings": {"properties": {"contents": field}}})
        self.client.bulk_index(name, docs)

    def rows(self, index, queries):
        def one(q):
            body = {"size": 100, "_source": False, "query": {"match": {"contents": collapse(q["query"])}}}
            hits = self.client.post(f"/{index}/_search", body)["hits"]["hits"]
            return scores([h["_id"] for h in hits], q["relevant"])

        with ThreadPoolExecutor(max_workers=2) as pool:
            return list(pool.map(one, queries))


def mrr(rows, chosen=None):
    chosen = range(len(rows)) if chosen is None else chosen
    chosen = list(chosen)
    return sum(rows[i][0] for i in chosen) / len(chosen)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:9400")
    parser.add_argument("--data", default=os.path.join(os.path.dirname(ROOT), "shared", "data"))
    parser.add_argument("--chains", default=os.path.join(HERE, "chains.json"))
    parser.add_argument("--variants", action="store_true", help="also the two variant dev sets")
    parser.add_argument("--similarity", action="append", default=[], metavar="K1:B",
                        help="also run every chain with BM25 at these k1 and b (repeatable)")
    parser.add_argument("names", nargs="*", help="chains to run (all by default)")
    args = parser.parse_args()
    chains = json.load(open(args.chains, encoding="utf-8"))
    chains = {k: v for k, v in chains.items() if not k.startswith("_")}
    unknown = [n for n in args.names if n not in chains]
    if unknown:
        raise SystemExit(f"chains.py: no chain {', '.join(unknown)} in {args.chains}")
    run = Chains(Client(args.url))
    ev = os.path.join(args.data, "eval")
    sets = {coll: (documents(read_jsonl(os.path.join(ev, coll, "passages.jsonl"))),
                   read_jsonl(os.path.join(ev, coll, "queries.jsonl")))
            for coll in ("arcd", "news-titles")}
    if args.variants:
        clean = {q["qid"]: q for q in sets["news-titles"][1]}
        rewritten = [q for q in read_jsonl(os.path.join(ROOT, "target", "opensearch-eval", "queries-variants.jsonl"))
                     if q.get("variant_class")]
        dev = os.path.join(ROOT, "target", "variants-dev")
        original = {q["qid"][2:]: q for q in read_jsonl(os.path.join(dev, "original.jsonl"))}
        dev_rewritten = read_jsonl(os.path.join(dev, "rewritten.jsonl"))
        dev_docs = documents(read_jsonl(os.path.join(dev, "passages.jsonl")))
    try:
        similarities = [None] + [tuple(float(x) for x in s.split(":")) for s in args.similarity]
    except ValueError:
        raise SystemExit("chains.py: --similarity takes K1:B, two numbers (1.2:0.75)")
    for name, similarity in ((n, sim) for sim in similarities for n in (args.names or chains)):
        chain = chains[name]
        line = [f"{name:24}" + (f" k1 {similarity[0]:g} b {similarity[1]:g}" if similarity else "")]
        for coll, (docs, queries) in sets.items():
            index = f"chains-{coll}"
            run.index(index, chain, docs, similarity)
            m = mean_scores(run.rows(index, queries))
            line.append(f"{coll} nDCG@10 {m['ndcg@10']:.4f} MRR@10 {m['mrr@10']:.4f}")
            if args.variants and coll == "news-titles":
                before = mrr(run.rows(index, [clean[q["qid"]] for q in rewritten]))
                after = mrr(run.rows(index, rewritten))
                line.append(f"34 rewrites {before:.3f} -> {after:.3f} (loss {before - after:+.3f})")
            run.client.delete_index(index)
        if args.variants:
            run.index("chains-variants-dev", chain, dev_docs, similarity)
            before = run.rows("chains-variants-dev", [original[q["qid"][2:]] for q in dev_rewritten])
            after = run.rows("chains-variants-dev", dev_rewritten)
            untuned = [i for i, q in enumerate(dev_rewritten) if q.get("split") == "untuned"]
            line.append(f"1,622 rewrites {mrr(before):.3f} -> {mrr(after):.3f} (loss {mrr(before) - mrr(after):+.3f}), "
                        f"untuned {mrr(before, untuned):.3f} -> {mrr(after, untuned):.3f} "
                        f"(loss {mrr(before, untuned) - mrr(after, untuned):+.3f})")
            run.client.delete_index("chains-variants-dev")
        print(" | ".join(line), flush=True)


if __name__ == "__main__":
    sys.exit(main())
