#!/usr/bin/env python3
"""What each analyzer gives the index to write, over the articles evaluate.py bulk-indexes: the
counts behind its indexing speed (docs/opensearch.md, "Speed").

  flock /work/.bench.lock opensearch/eval/postings.py [--url URL] [--articles 5000] [ANALYZER|CHAIN ...]

Each article's title and body go through the `_analyze` API of a running cluster (any node
with the plugin: scripts/opensearch-cluster start), one field value at a time, as the bulk
benchmark indexes them. Per analyzer: tokens (each a position entry to write), stacked tokens
(at the position of the one before), postings (distinct terms of a field of a document: each
one a document entry of a term, written, merged and replicated) and vocabulary (distinct terms
over all the articles: the term dictionary). Nothing here is timed.
"""

import argparse
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "cluster"))
from client import Client  # noqa: E402
from evaluate import ROOT, Evaluation  # noqa: E402


def analyze_request(name, chains):
    """The `_analyze` body for an analyzer name, or for a custom chain of the chains file (its
    tokenizer and filters inline)."""
    chain = chains.get(name, {}).get("analyzer")
    if not isinstance(chain, dict):
        return {"analyzer": chain or name}
    defined = chains[name].get("filters", {})
    return {"tokenizer": chain["tokenizer"], "filter": [defined.get(f, f) for f in chain.get("filter", [])]}


def count(client, analyzer, articles, chains=None):
    request = analyze_request(analyzer, chains or {})

    def one(article):
        fields = []
        for text in (article["title"], article["body"]):
            if text.strip():
                tokens = client.post("/_analyze", dict(request, text=text))["tokens"]
                fields.append([(t["token"], t["position"]) for t in tokens])
        return fields

    with ThreadPoolExecutor(max_workers=2) as pool:
        fields = [f for article in pool.map(one, articles) for f in article]
    return {
        "tokens": sum(len(f) for f in fields),
        "stacked": sum(1 for f in fields for a, b in zip(f, f[1:]) if a[1] == b[1]),
        "postings": sum(len({t for t, _ in f}) for f in fields),
        "vocabulary": len({t for f in fields for t, _ in f}),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:" + os.environ.get("FAHRAS_OPENSEARCH_PORT", "9200"))
    parser.add_argument("--data", default=os.path.join(os.path.dirname(ROOT), "shared", "data"))
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--chains", default=os.path.join(HERE, "chains.json"),
                        help="custom chains named here are analyzed with their tokenizer and filters inline")
    parser.add_argument("analyzers", nargs="*",
                        default=["arabic", "fahras", "fahras_exact", "fahras_blended", "fahras_blended_lead"])
    args = parser.parse_args()
    articles = Evaluation(SimpleNamespace(url=args.url, data=args.data, bench_articles=args.articles)).bench_articles()
    client = Client(args.url)
    chains = json.load(open(args.chains, encoding="utf-8"))
    base = None
    print(f"{len(articles)} articles (title and body), as evaluate.py bulk-indexes them\n")
    print("| analyzer | tokens | stacked | postings | vocabulary |")
    print("|---|---|---|---|---|")
    for analyzer in args.analyzers:
        c = count(client, analyzer, articles, chains)
        base = base or c
        cells = [f"{c[k]:,} ({c[k] / base[k]:.2f})" if base[k] else f"{c[k]:,}" for k in ("tokens", "stacked", "postings", "vocabulary")]
        print(f"| `{analyzer}` | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
