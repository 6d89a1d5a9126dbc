#!/usr/bin/env python3
"""Synonyms files side by side on the large variant dev set: how the table "What the synonyms
file holds, measured" of docs/opensearch.md was made.

  flock /work/.bench.lock opensearch/eval/evaluate.py --steps variants-dev --analyzers fahras
  flock /work/.bench.lock opensearch/eval/synonyms_ab.py FILE ...

evaluate.py leaves the index eval-variants-dev-fahras (the dev set's 41,686 articles, `fahras`
fields) on the cluster. Each FILE is installed on every node (scripts/opensearch-cluster
install-file) and becomes a search analyzer of that index (`fahras` tokenizer, `fahras_stem`,
a synonym_graph of the file; the index is closed and reopened to add them), so every file is
searched against the same index. Printed: MRR@10 of the headlines as written and rewritten,
and the loss, for the tuned and the untuned families and per variant class and edit.
"""

import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "cluster"))
from client import Client  # noqa: E402
from evaluate import CLUSTER, ROOT, Evaluation, read_jsonl  # noqa: E402

INDEX = "eval-variants-dev-fahras"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--url", default="http://127.0.0.1:" + os.environ.get("FAHRAS_OPENSEARCH_PORT", "9200"))
    parser.add_argument("--variants-dev", default=os.path.join(ROOT, "target", "variants-dev"))
    args = parser.parse_args()
    client = Client(args.url)
    analysis = {"filter": {}, "analyzer": {}}
    for i, path in enumerate(args.files):
        name = f"synonyms-ab-{i}-{os.path.basename(path)}"
        subprocess.run([CLUSTER, "install-file", path, name], check=True, stdout=subprocess.DEVNULL)
        analysis["filter"][f"ab_synonyms_{i}"] = {"type": "synonym_graph", "synonyms_path": f"analysis/{name}"}
        analysis["analyzer"][f"ab_{i}"] = {"type": "custom", "tokenizer": "fahras",
                                           "filter": ["fahras_stem", f"ab_synonyms_{i}"]}
    client.post(f"/{INDEX}/_close")
    client.put(f"/{INDEX}/_settings", {"analysis": analysis})
    client.post(f"/{INDEX}/_open")
    client.get(f"/_cluster/health/{INDEX}?wait_for_status=green&timeout=120s")

    evaluation = Evaluation(argparse.Namespace(url=args.url))
    original = {q["qid"][2:]: q for q in read_jsonl(os.path.join(args.variants_dev, "original.jsonl"))}
    rewritten = read_jsonl(os.path.join(args.variants_dev, "rewritten.jsonl"))
    pairs = [(original[q["qid"][2:]], q) for q in rewritten]
    for i, label in enumerate(["no synonyms"] + args.files):
        analyzer = None if i == 0 else f"ab_{i - 1}"
        before = evaluation.evaluate(INDEX, [o for o, _ in pairs], analyzer, per_query=True)
        after = evaluation.evaluate(INDEX, [r for _, r in pairs], analyzer, per_query=True)

        def part(chosen):
            rows = [k for k, (_, r) in enumerate(pairs) if chosen(r)]
            if not rows:
                return "none"
            o = sum(before[k][0] for k in rows) / len(rows)
            w = sum(after[k][0] for k in rows) / len(rows)
            return f"{o:.3f} -> {w:.3f} ({o - w:+.3f}, {len(rows)})"

        print(label)
        for split in ("tuned", "untuned"):
            print(f"  {split}: {part(lambda r: r.get('split') == split)}")
        for cls, edit in sorted({(r["variant_class"], r.get("edit")) for _, r in pairs}):
            print(f"  tuned {cls}/{edit}: "
                  f"{part(lambda r: r.get('split') == 'tuned' and r['variant_class'] == cls and r.get('edit') == edit)}")
        sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
