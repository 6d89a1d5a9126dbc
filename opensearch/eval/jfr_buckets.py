#!/usr/bin/env python3
"""Sorts the CPU samples of a JFR recording of an OpenSearch node into the stages of indexing
(docs/opensearch.md, "Speed": where fahras_blended's indexing time goes).

  jfr print --events jdk.ExecutionSample node.jfr > samples.txt
  opensearch/eval/jfr_buckets.py samples.txt

A sample goes to the first bucket that matches: its top frame in org.fahras (the plugin's
analysis) or in org.apache.lucene.analysis (Lucene's analysis), then a frame anywhere in its
stack of the flush (BlockTreeTermsWriter, flush), of the in-memory inverted index
(TermsHashPerField, FreqProxTermsWriter, BytesRefHash), of stored fields (StoredFields, LZ4),
of JSON parsing, of other analysis; else "other". Also prints the hottest top frames.
"""

import collections
import re
import sys

BUCKETS = [
    ("plugin analysis (self)", lambda top, stack: top.startswith("org.fahras")),
    ("Lucene analysis (self)", lambda top, stack: top.startswith("org.apache.lucene.analysis")),
    ("flush (terms dictionary, postings)", lambda top, stack: "BlockTreeTermsWriter" in stack or "flush" in stack.lower()),
    ("in-memory inverted index", lambda top, stack: any(k in stack for k in ("TermsHashPerField", "FreqProx", "BytesRefHash"))),
    ("stored fields", lambda top, stack: "StoredFields" in stack or "LZ4" in stack),
    ("JSON parsing", lambda top, stack: "Json" in stack or "XContent" in stack),
    ("other analysis", lambda top, stack: "analysis" in stack),
]


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    events = open(sys.argv[1], encoding="utf-8").read().split("jdk.ExecutionSample")[1:]
    buckets = collections.Counter()
    tops = collections.Counter()
    n = 0
    for event in events:
        frames = re.findall(r"^\s+([\w.$<>]+)\(", event, re.M)
        if not frames:
            continue
        n += 1
        stack = " ".join(frames)
        tops[frames[0]] += 1
        buckets[next((name for name, match in BUCKETS if match(frames[0], stack)), "other")] += 1
    print(f"{n} samples")
    for name, count in buckets.most_common():
        print(f"  {count:6d} {count / n:6.1%}  {name}")
    print("hottest top frames:")
    for frame, count in tops.most_common(8):
        print(f"  {count:6d} {count / n:6.1%}  {frame}")


if __name__ == "__main__":
    sys.exit(main())
