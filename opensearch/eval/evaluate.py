#!/usr/bin/env python3
"""fahras's analysis against OpenSearch's built-in `arabic` analyzer, in one run on the local
cluster (scripts/opensearch-cluster start): the figures of docs/opensearch.md.

  opensearch/eval/evaluate.py [--data ../shared/data] [--out target/opensearch-eval]
      [--steps quality,variants,variants-dev,indexing,latency] [--analyzers fahras,arabic,...]

--steps and --analyzers run a part, for quick iterations (`--steps variants-dev --analyzers
fahras`: the large variant dev set with and without the synonyms; `--steps indexing`: bulk
indexing alone); the figures of docs/opensearch.md come from runs of every analyzer.

Quality: each dev collection (eval/arcd; eval/news-titles with its clean and orthographic
queries) is indexed seven times in the same cluster, 3 shards and 1 replica: with `fahras`,
with `fahras_blended` (stopwords out, each word as written and its stem at one position),
with `fahras_blended_lead` (fahras_blended with the first 15 positions of each text counted
twice, searched with fahras_blended), with `arabic`, with `arabic_blended` (the control: the
`arabic` chain with Lucene's keyword_repeat and remove_duplicates around its stemmer, the same
stacking done with built-in filters), and with `arabic_lead` and `arabic_blended_lead` (the
controls of the lead: fahras_lead after those Lucene chains), into one field `contents` (title, line break, text: what the Lucene
baseline of /work/shared/bench/lucene.md indexes) with an unstemmed subfield
`contents.exact` (`fahras_exact`; for `arabic` the same Lucene chain without its stemmer).
Every query runs as the same BM25 `match` query (dfs_query_then_fetch, so the three shards
score with the same statistics) on `contents` alone, and on both fields (scores added, as a
fahras archive searches its stemmed and exact-form fields; the exact field's weight 1, and
0.5 as fahras's own exact_boost): MRR@10, nDCG@10 (binary), Recall@100, as `fahras eval`
computes them; for the one-field query also on the two halves of each query set that the
parity of the MD5 of the query id splits it into.

Spelling variants: the rewritten-headline dev set (scripts/respell_headlines.py, made here
under --out; 34 rewrites) searched on news-titles, and the large dev set
(scripts/respell_corpus.py, --variants-dev: 1,622 rewrites among 41,686 articles, its untuned
families apart), with `fahras`, with `fahras` plus the variant synonyms (`fahras variants
--export` of a fahras archive of the same passages, loaded by a search-time synonym_graph
filter), with `fahras_blended` (no synonyms), with `fahras_lean` (no synonyms, and with the synonyms
exported in its 4-letter stems, `--min-stem-chars 4`, searched by the fahras tokenizer,
fahras_stop and fahras_stem with min_stem_chars 4 unstacked before the synonym_graph) and with
`arabic`: MRR@10 of the rewritten headlines against the same headlines unchanged.

Speed: --bench-articles news articles bulk-indexed into title and body fields analyzed with
`fahras`, `fahras_blended`, `fahras_blended_lead` and `arabic` (3 shards, 1 replica, refresh off until the end),
--index-runs runs of each, the first turning with the run; articles/s and the median of
the runs' ratios to `arabic`, and the same for articles per CPU second of the nodes (the CPU
time their processes used during the run, which other work on a shared machine moves far less
than it moves the wall time). Search latency: every query of both collections on those
three indexes of its collection in turn (which goes first rotates), --query-passes passes
after a warm-up; p50 and p99 of the wall time seen by the client and of OpenSearch's `took`.

BM25 is OpenSearch's default (k1 1.2, b 0.75) and the analyzers have no parameters; the
exact weight 0.5 is fahras's own (chosen in `fahras eval`). `fahras_blended` itself was
chosen among about ten chains on these same sets (docs/opensearch.md says which): its
figures are dev figures, and the halves show whether its lead rests on a few queries.
"""

import argparse
import gzip
import hashlib
import json
import math
import os
import re
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cluster"))
from client import Client  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLUSTER = os.path.join(ROOT, "scripts", "opensearch-cluster")
ANALYZERS = ("fahras", "arabic")
# Quality compares more chains than speed (and the large variant dev set, indexed with the
# speed ones): fahras_blended is what docs/opensearch.md recommends for a one-field mapping,
# arabic_blended its control built from Lucene's parts.
# fahras_blended_lead indexes fahras_blended with the first positions of each text counted
# twice (fahras_lead) and is searched with fahras_blended; arabic_lead and arabic_blended_lead
# are its controls, the same fahras_lead after the Lucene chains (how much of its gain is the
# lead weighting, which any analyzer can have, and how much fahras's analysis).
# fahras_lean is the cheaper one-field analyzer (stems of 4 letters, the exact form stacked on
# suffixed words without a prefix only): fahras_blended's quality at fahras's indexing cost.
QUALITY_ANALYZERS = ("fahras", "fahras_blended", "fahras_blended_lead", "fahras_lean", "arabic",
                     "arabic_blended", "arabic_lead", "arabic_blended_lead")
SPEED_ANALYZERS = ("fahras", "fahras_blended", "fahras_blended_lead", "fahras_lean", "arabic")
# The queries: (fields, weight of contents.exact).
QUERY_MODES = {"1": (1, None), "2": (2, 1.0), "2@0.5": (2, 0.5)}
ARABIC_EXACT_CHAIN = ["lowercase", "decimal_digit", "arabic_stop", "arabic_normalization"]
SYNONYMS = "fahras-synonyms-news-titles.txt"
# fahras_lean's stems keep four letters: its synonyms are exported in those stems (`fahras
# variants --export --min-stem-chars 4`) and searched with the same stems, unstacked (a
# synonym_graph cannot consume stacked tokens; the index side keeps fahras_lean).
LEAN_STEM_CHARS = 4
LEAN_SEARCH_CHAIN = ["fahras_stop", "fahras_stem_lean_search"]
STEPS = ("quality", "variants", "variants-dev", "indexing", "latency")


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def collapse(text):
    return re.sub(r"\s+", " ", text).strip()


def scores(ranked, relevant):
    """MRR@10, nDCG@10 (binary), Recall@100 of one ranking (src/eval.rs)."""
    relevant = set(relevant)
    mrr = 0.0
    dcg = 0.0
    for rank, doc in enumerate(ranked[:10]):
        if doc in relevant:
            if mrr == 0.0:
                mrr = 1.0 / (rank + 1)
            dcg += 1.0 / math.log2(rank + 2)
    ideal = sum(1.0 / math.log2(r + 1) for r in range(1, min(len(relevant), 10) + 1))
    recall100 = len(relevant & set(ranked[:100])) / len(relevant)
    return mrr, dcg / ideal, recall100


def mean_scores(rows):
    n = len(rows)
    return {
        "queries": n,
        "mrr@10": sum(r[0] for r in rows) / n,
        "ndcg@10": sum(r[1] for r in rows) / n,
        "recall@100": sum(r[2] for r in rows) / n,
    }


def nodes_cpu_seconds():
    """The CPU time (user and system) the local cluster's node processes have used: their pid
    files under FAHRAS_OPENSEARCH_DIR, as scripts/opensearch-cluster writes them. Throughput
    on a shared machine swings with what else runs; the CPU an article costs the nodes much
    less (the ratio to `arabic` of articles per CPU second is the steadier speed figure)."""
    state = os.environ.get("FAHRAS_OPENSEARCH_DIR", "/tmp/fahras-opensearch")
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    nodes = [n for n in os.listdir(state) if n.startswith("node-")]
    for node in nodes:
        try:
            with open(os.path.join(state, node, "pid")) as f:
                pid = f.read().strip()
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a stopped node
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def percentile(values, p):
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[k]


class Evaluation:
    def __init__(self, args):
        self.args = args
        self.client = Client(args.url)
        self.figures = {"opensearch": None, "quality": {}, "variants": {}, "indexing": {}, "latency": {}}

    def log(self, message):
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    # --- indexes ---------------------------------------------------------------------------

    def quality_index(self, name, analyzer, with_variants=False, synonyms=SYNONYMS):
        """One field `contents` analyzed by `analyzer`, with a subfield `exact` of its unstemmed
        form: fahras_exact for fahras; for arabic, the same Lucene chain as the arabic analyzer
        without its stemmer."""
        settings = {"number_of_shards": 3, "number_of_replicas": 1, "refresh_interval": "-1",
                    "analysis": {"filter": {}, "analyzer": {}}}
        analysis = settings["analysis"]
        search_analyzer = {"fahras_blended_lead": "fahras_blended", "arabic_lead": "arabic",
                           "arabic_blended_lead": "arabic_blended"}.get(analyzer)
        if analyzer.startswith("fahras"):
            exact = "fahras_exact"
        else:
            exact = "arabic_exact"
            analysis["filter"]["arabic_stop"] = {"type": "stop", "stopwords": "_arabic_"}
            analysis["analyzer"]["arabic_exact"] = {
                "type": "custom", "tokenizer": "standard", "filter": ARABIC_EXACT_CHAIN}
            blended = ARABIC_EXACT_CHAIN + ["keyword_repeat", "arabic_stem", "remove_duplicates"]
            if analyzer in ("arabic_blended", "arabic_blended_lead"):
                analysis["analyzer"]["arabic_blended"] = {"type": "custom", "tokenizer": "standard", "filter": blended}
            if analyzer == "arabic_lead":
                analysis["analyzer"][analyzer] = {"type": "custom", "tokenizer": "standard",
                                                  "filter": ARABIC_EXACT_CHAIN + ["arabic_stem", "fahras_lead"]}
            if analyzer == "arabic_blended_lead":
                analysis["analyzer"][analyzer] = {"type": "custom", "tokenizer": "standard",
                                                  "filter": blended + ["fahras_lead"]}
        if with_variants and analyzer == "fahras_lean":
            analysis["filter"]["fahras_stem_lean_search"] = {
                "type": "fahras_stem", "min_stem_chars": LEAN_STEM_CHARS, "stack": "none"}
            analysis["filter"]["fahras_variants"] = {
                "type": "synonym_graph", "synonyms_path": f"analysis/{synonyms}"}
            analysis["analyzer"]["fahras_search_variants"] = {
                "type": "custom", "tokenizer": "fahras", "filter": LEAN_SEARCH_CHAIN + ["fahras_variants"]}
        elif with_variants:
            analysis["filter"]["fahras_variants"] = {
                "type": "synonym_graph", "synonyms_path": f"analysis/{synonyms}"}
            analysis["analyzer"]["fahras_search_variants"] = {
                "type": "custom", "tokenizer": "fahras", "filter": ["fahras_stem", "fahras_variants"]}
        field = {"type": "text", "analyzer": analyzer,
                 "fields": {"exact": {"type": "text", "analyzer": exact}}}
        if search_analyzer:
            field["search_analyzer"] = search_analyzer
        self.client.delete_index(name)
        self.client.put(f"/{name}", {"settings": settings, "mappings": {"properties": {"contents": field}}})

    def index_passages(self, name, passages):
        docs = [{"id": p["id"], "contents": (p.get("title") or "") + "\n" + p["text"]} for p in passages]
        self.client.bulk_index(name, docs)
        self.client.put(f"/{name}/_settings", {"index": {"refresh_interval": "1s"}})
        self.client.get(f"/_cluster/health/{name}?wait_for_status=green&timeout=120s")

    def rank(self, index, query, analyzer=None, fields=1, exact_boost=1.0):
        """Ranks by the BM25 match query on `contents`; with fields=2 also on `contents.exact`
        (scores added, as multi_match most_fields does; the exact field's scores times
        exact_boost), the stemmed and the exact-form field of a fahras archive. `analyzer`
        replaces the stemmed field's search analyzer."""
        match = {"query": query}
        if analyzer:
            match["analyzer"] = analyzer
        clause = {"match": {"contents": match}}
        if fields == 2:
            exact = {"query": query}
            if exact_boost != 1.0:
                exact["boost"] = exact_boost
            clause = {"bool": {"should": [clause, {"match": {"contents.exact": exact}}]}}
        started = time.perf_counter()
        result = self.client.request(
            "POST", f"/{index}/_search?search_type=dfs_query_then_fetch",
            body={"size": 100, "_source": False, "query": clause},
        )
        wall = (time.perf_counter() - started) * 1000
        if result["_shards"]["failed"]:
            raise RuntimeError(f"{index}: shards failed: {result['_shards']}")
        return [h["_id"] for h in result["hits"]["hits"]], wall, result["took"]

    def evaluate(self, index, queries, analyzer=None, fields=1, per_query=False, exact_boost=1.0, halves=False):
        """Mean scores over the queries (two at a time: quality does not depend on it); with
        halves, also over each half of the queries (by the parity of the MD5 of the qid)."""
        def one(q):
            ranked, _, _ = self.rank(index, collapse(q["query"]), analyzer, fields, exact_boost)
            return scores(ranked, q["relevant"])

        with ThreadPoolExecutor(max_workers=2) as pool:
            rows = list(pool.map(one, queries))
        if per_query:
            return rows
        result = mean_scores(rows)
        if halves:
            parity = [int(hashlib.md5(q["qid"].encode()).hexdigest(), 16) % 2 for q in queries]
            result["halves"] = {half: mean_scores([r for r, p in zip(rows, parity) if p == bit])
                                for half, bit in (("even", 0), ("odd", 1))}
        return result

    # --- the steps -------------------------------------------------------------------------

    def synonyms_for(self, name, passages, synonyms=SYNONYMS, min_stem_chars=None, reindex=True):
        """`fahras variants --export` of a fahras archive of the passages, on every node; with
        min_stem_chars, in stems of that many letters (fahras_lean's: 4); reindex=False uses
        the archive the last call built."""
        work = os.path.join(self.args.out, f"{name}-archive")
        articles = os.path.join(self.args.out, f"{name}-articles.jsonl")
        if reindex:
            with open(articles, "w", encoding="utf-8") as f:
                for p in passages:
                    f.write(json.dumps({"id": p["id"], "title": p.get("title") or "", "body": p["text"]},
                                       ensure_ascii=False) + "\n")
            done = subprocess.run([self.args.fahras, "index", "--rebuild", "--index", work, articles],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            # Exit 3: indexed, some records skipped (passages without a body).
            if done.returncode not in (0, 3):
                raise SystemExit(f"evaluate: fahras index failed: {done.stderr[-2000:]}")
        path = os.path.join(self.args.out, synonyms)
        extra = ["--min-stem-chars", str(min_stem_chars)] if min_stem_chars else []
        out = subprocess.run([self.args.fahras, "variants", "--index", work, "--export", path, "--json"] + extra,
                             check=True, capture_output=True, text=True)
        rules = json.loads(out.stdout)["rules"]
        subprocess.run([CLUSTER, "install-file", path, synonyms], check=True, stdout=subprocess.DEVNULL)
        self.log(f"variant synonyms of {name}: {rules} rules from {len(passages)} passages")
        return rules

    def variant_queries(self):
        path = os.path.join(self.args.out, "queries-variants.jsonl")
        if not os.path.exists(path):
            self.log("building the rewritten-headline dev set (scripts/respell_headlines.py)")
            subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "respell_headlines.py"),
                            "--queries", os.path.join(self.args.data, "eval", "news-titles", "queries.jsonl"),
                            "--corpus", os.path.join(self.args.data, "news"), "--out", path],
                           check=True, stdout=subprocess.DEVNULL)
        return read_jsonl(path)

    def quality(self):
        collections = {
            "arcd": ["queries.jsonl"],
            "news-titles": ["queries.jsonl", "queries-orthographic.jsonl"],
        }
        self.indexes = {}
        for coll, query_files in collections.items():
            base = os.path.join(self.args.data, "eval", coll)
            passages = read_jsonl(os.path.join(base, "passages.jsonl"))
            if coll == "news-titles":
                self.figures["variants"]["rules"] = self.synonyms_for(coll, passages)
            for analyzer in QUALITY_ANALYZERS:
                name = f"eval-{coll}-{analyzer}"
                self.quality_index(name, analyzer, with_variants=(coll == "news-titles" and analyzer == "fahras"))
                self.index_passages(name, passages)
                self.indexes[(coll, analyzer)] = name
            self.log(f"{coll}: {len(passages)} passages indexed {len(QUALITY_ANALYZERS)} times")
            for qf in query_files:
                queries = read_jsonl(os.path.join(base, qf))
                for mode, (fields, exact_boost) in QUERY_MODES.items():
                    for analyzer in QUALITY_ANALYZERS:
                        result = self.evaluate(self.indexes[(coll, analyzer)], queries, fields=fields,
                                               exact_boost=exact_boost or 1.0, halves=(mode == "1"))
                        self.figures["quality"][f"{coll}/{qf}/{analyzer}/{mode}"] = result
                        self.log(f"{coll} {qf} {analyzer} query={mode}: {result}")
            self.queries_of = getattr(self, "queries_of", {})
            self.queries_of[coll] = read_jsonl(os.path.join(base, query_files[0]))

    def variants(self):
        clean = {q["qid"]: q for q in read_jsonl(os.path.join(self.args.data, "eval", "news-titles", "queries.jsonl"))}
        all_variants = self.variant_queries()
        rewritten = [q for q in all_variants if q.get("variant_class")]
        originals = [clean[q["qid"]] for q in rewritten]
        self.figures["variants"]["rewritten_queries"] = len(rewritten)
        runs = {
            "fahras": (self.indexes.get(("news-titles", "fahras")), None, 1),
            "fahras + variant synonyms": (self.indexes.get(("news-titles", "fahras")), "fahras_search_variants", 1),
            "fahras, two fields + variant synonyms": (
                self.indexes.get(("news-titles", "fahras")), "fahras_search_variants", 2),
            "fahras_blended": (self.indexes.get(("news-titles", "fahras_blended")), None, 1),
            "fahras_blended_lead": (self.indexes.get(("news-titles", "fahras_blended_lead")), None, 1),
            "arabic": (self.indexes.get(("news-titles", "arabic")), None, 1),
        }
        for label, (index, analyzer, fields) in runs.items():
            if index is None:  # an analyzer left out by --analyzers
                continue
            row = {
                "clean (500)": self.evaluate(index, list(clean.values()), analyzer, fields)["mrr@10"],
                "variant set (500)": self.evaluate(index, all_variants, analyzer, fields)["mrr@10"],
                "rewritten, unchanged": self.evaluate(index, originals, analyzer, fields)["mrr@10"],
                "rewritten": self.evaluate(index, rewritten, analyzer, fields)["mrr@10"],
            }
            row["loss"] = row["rewritten, unchanged"] - row["rewritten"]
            self.figures["variants"][label] = row
            self.log(f"variants {label}: {row}")

    def variants_dev(self):
        """The large dev set of scripts/respell_corpus.py: 1,622 headlines of the news corpora
        with one word respelled, searched among the 41,686 articles; the untuned families
        (chosen by a fixed hash, never used for tuning) reported apart."""
        base = self.args.variants_dev
        if not os.path.exists(os.path.join(base, "rewritten.jsonl")):
            raise SystemExit(f"evaluate: no large variant dev set at {base}: run scripts/respell_corpus.py "
                             f"--corpus ../shared/data/news --out {base}")
        passages = read_jsonl(os.path.join(base, "passages.jsonl"))
        original = {q["qid"][2:]: q for q in read_jsonl(os.path.join(base, "original.jsonl"))}
        rewritten = read_jsonl(os.path.join(base, "rewritten.jsonl"))
        synonyms = {"fahras": "fahras-synonyms-variants-dev.txt"}
        rules = self.synonyms_for("variants-dev", passages, synonyms["fahras"])
        lean_rules = None
        if "fahras_lean" in SPEED_ANALYZERS:
            synonyms["fahras_lean"] = "fahras-synonyms-variants-dev-lean.txt"
            lean_rules = self.synonyms_for("variants-dev", passages, synonyms["fahras_lean"],
                                           min_stem_chars=LEAN_STEM_CHARS, reindex=False)
        names = {}
        for analyzer in SPEED_ANALYZERS:
            name = f"eval-variants-dev-{analyzer}"
            self.quality_index(name, analyzer, with_variants=(analyzer in synonyms),
                               synonyms=synonyms.get(analyzer, SYNONYMS))
            self.index_passages(name, passages)
            names[analyzer] = name
        self.log(f"variants-dev: {len(passages)} passages indexed {len(SPEED_ANALYZERS)} times")
        pairs = [(original[q["qid"][2:]], q) for q in rewritten]
        runs = {
            "fahras": (names.get("fahras"), None, 1),
            "fahras + variant synonyms": (names.get("fahras"), "fahras_search_variants", 1),
            "fahras, two fields + variant synonyms": (names.get("fahras"), "fahras_search_variants", 2),
            "fahras_blended": (names.get("fahras_blended"), None, 1),
            "fahras_blended_lead": (names.get("fahras_blended_lead"), None, 1),
            "fahras_lean": (names.get("fahras_lean"), None, 1),
            "fahras_lean + variant synonyms (4-letter stems)": (names.get("fahras_lean"), "fahras_search_variants", 1),
            "arabic": (names.get("arabic"), None, 1),
        }
        result = {"queries": len(pairs), "passages": len(passages), "rules": rules, "lean_rules": lean_rules}
        for label, (index, analyzer, fields) in runs.items():
            if index is None:  # an analyzer left out by --analyzers
                continue
            before = self.evaluate(index, [o for o, _ in pairs], analyzer, fields, per_query=True)
            after = self.evaluate(index, [r for _, r in pairs], analyzer, fields, per_query=True)
            row = {}
            for part in ("all", "untuned"):
                chosen = [i for i, (_, r) in enumerate(pairs) if part == "all" or r.get("split") == "untuned"]
                o = sum(before[i][0] for i in chosen) / len(chosen)
                w = sum(after[i][0] for i in chosen) / len(chosen)
                row[part] = {"queries": len(chosen), "original": o, "rewritten": w, "loss": o - w}
            # Per variant class (rarer spelling, letters, stem, compound), all families.
            for cls in sorted({r.get("variant_class") or "" for _, r in pairs}):
                chosen = [i for i, (_, r) in enumerate(pairs) if (r.get("variant_class") or "") == cls]
                o = sum(before[i][0] for i in chosen) / len(chosen)
                w = sum(after[i][0] for i in chosen) / len(chosen)
                row.setdefault("classes", {})[cls] = {"queries": len(chosen), "original": o, "rewritten": w,
                                                      "loss": o - w}
            result[label] = row
            self.log(f"variants-dev {label}: {row}")
        self.figures["variants_dev"] = result

    def bench_articles(self):
        docs = []
        news = os.path.join(self.args.data, "news")
        files = sorted(n for n in os.listdir(news) if n.endswith(".jsonl.gz"))
        # Most from the multi-source file (every source's writing), as the Lucene baseline did.
        for name in sorted(files, key=lambda n: "multisource" not in n):
            with gzip.open(os.path.join(news, name), "rt", encoding="utf-8") as f:
                for line in f:
                    a = json.loads(line)
                    docs.append({"id": a["id"], "title": a.get("title") or "", "body": a.get("body") or ""})
                    if len(docs) >= self.args.bench_articles:
                        return docs
        return docs

    def indexing(self):
        docs = self.bench_articles()
        batches = []
        for start in range(0, len(docs), 500):
            lines = []
            for d in docs[start:start + 500]:
                lines.append(json.dumps({"index": {"_id": d["id"]}}))
                lines.append(json.dumps(d, ensure_ascii=False))
            batches.append("\n".join(lines) + "\n")
        text_mb = sum(len(d["title"].encode()) + len(d["body"].encode()) for d in docs) / 1e6
        rates = {a: [] for a in SPEED_ANALYZERS}
        cpu_rates = {a: [] for a in SPEED_ANALYZERS}

        def settle():
            # The previous index's merges and deletion finish before the clock starts: at
            # most 30 s, until the nodes use less than a tenth of a core for a second.
            for _ in range(30):
                before = nodes_cpu_seconds()
                time.sleep(1)
                if nodes_cpu_seconds() - before < 0.1:
                    return

        for run in range(self.args.index_runs):
            # Which analyzer goes first turns with the run.
            k = run % len(SPEED_ANALYZERS)
            order = SPEED_ANALYZERS[k:] + SPEED_ANALYZERS[:k]
            for analyzer in order:
                name = f"bench-{analyzer}"
                self.client.delete_index(name)
                field = {"type": "text", "analyzer": analyzer}
                if analyzer == "fahras_blended_lead":
                    field["search_analyzer"] = "fahras_blended"
                self.client.put(f"/{name}", {
                    "settings": {"number_of_shards": 3, "number_of_replicas": 1, "refresh_interval": "-1"},
                    "mappings": {"properties": {"title": field, "body": field}}})
                self.client.get(f"/_cluster/health/{name}?wait_for_status=green&timeout=120s")

                def send(batch, name=name):
                    result = self.client.request("POST", f"/{name}/_bulk", ndjson=batch, timeout=600)
                    if result.get("errors"):
                        raise RuntimeError(f"bulk into {name} failed: {result['items'][0]}")

                settle()
                cpu_before = nodes_cpu_seconds()
                started = time.perf_counter()
                with ThreadPoolExecutor(max_workers=2) as pool:
                    list(pool.map(send, batches))
                self.client.post(f"/{name}/_refresh")
                seconds = time.perf_counter() - started
                cpu = nodes_cpu_seconds() - cpu_before
                count = self.client.get(f"/{name}/_count")["count"]
                if count != len(docs):
                    raise RuntimeError(f"{name}: {count} documents of {len(docs)}")
                rates[analyzer].append(len(docs) / seconds)
                cpu_rates[analyzer].append(len(docs) / cpu)
                self.log(f"indexing run {run + 1} {analyzer}: {len(docs) / seconds:.0f} articles/s, "
                         f"{len(docs) / cpu:.0f} articles per CPU second of the nodes")
        figures = {"articles": len(docs), "text_mb": round(text_mb, 1), "runs": self.args.index_runs,
                   "arabic articles/s": statistics.median(rates["arabic"]), "arabic runs": rates["arabic"],
                   "arabic articles/cpu-s": statistics.median(cpu_rates["arabic"]),
                   "arabic cpu runs": cpu_rates["arabic"]}
        for analyzer in SPEED_ANALYZERS:
            if analyzer == "arabic":
                continue
            ratios = [f / a for f, a in zip(rates[analyzer], rates["arabic"])]
            figures[f"{analyzer} articles/s"] = statistics.median(rates[analyzer])
            figures[f"{analyzer} ratio (median of runs)"] = statistics.median(ratios)
            figures[f"{analyzer} ratios"] = ratios
            figures[f"{analyzer} runs"] = rates[analyzer]
            cpu_ratios = [f / a for f, a in zip(cpu_rates[analyzer], cpu_rates["arabic"])]
            figures[f"{analyzer} articles/cpu-s"] = statistics.median(cpu_rates[analyzer])
            figures[f"{analyzer} cpu ratio (median of runs)"] = statistics.median(cpu_ratios)
            figures[f"{analyzer} cpu ratios"] = cpu_ratios
            figures[f"{analyzer} cpu runs"] = cpu_rates[analyzer]
        self.figures["indexing"] = figures

    def latency(self):
        wall = {a: [] for a in SPEED_ANALYZERS}
        took = {a: [] for a in SPEED_ANALYZERS}
        work = [(coll, collapse(q["query"])) for coll, qs in self.queries_of.items() for q in qs]
        for passage in range(self.args.query_passes + 1):
            for i, (coll, query) in enumerate(work):
                # Which analyzer goes first turns with the query and the pass.
                k = (i + passage) % len(SPEED_ANALYZERS)
                order = SPEED_ANALYZERS[k:] + SPEED_ANALYZERS[:k]
                for analyzer in order:
                    _, w, t = self.rank(self.indexes[(coll, analyzer)], query)
                    if passage > 0:  # pass 0 warms the caches
                        wall[analyzer].append(w)
                        took[analyzer].append(t)
        self.figures["latency"] = {
            a: {"queries": len(wall[a]), "wall p50 ms": percentile(wall[a], 50), "wall p99 ms": percentile(wall[a], 99),
                "took p50 ms": percentile(took[a], 50), "took p99 ms": percentile(took[a], 99)}
            for a in SPEED_ANALYZERS
        }
        self.log(f"latency: {self.figures['latency']}")

    def run(self):
        info = self.client.get("/")
        health = self.client.get("/_cluster/health")
        self.figures["opensearch"] = {"version": info["version"]["number"], "nodes": health["number_of_nodes"]}
        steps = self.args.steps
        if "quality" in steps:
            self.quality()
        if "variants" in steps:
            self.variants()
        if "variants-dev" in steps:
            self.variants_dev()
        if "indexing" in steps:
            self.indexing()
        if "latency" in steps:
            self.latency()
        return self.figures


def markdown(f):
    out = []
    out.append(f"OpenSearch {f['opensearch']['version']}, {f['opensearch']['nodes']} nodes.\n")
    if f["quality"]:
        out.append("| collection | queries | query | analyzer | MRR@10 | nDCG@10 | Recall@100 | nDCG@10 even / odd half |")
        out.append("|---|---|---|---|---|---|---|---|")
    labels = {"1": "contents", "2": "contents + contents.exact", "2@0.5": "contents + 0.5 × contents.exact"}
    for key, r in f["quality"].items():
        coll, qf, analyzer, mode = key.split("/")
        h = r.get("halves")
        halves = f"{h['even']['ndcg@10']:.3f} ({h['even']['queries']}) / {h['odd']['ndcg@10']:.3f} ({h['odd']['queries']})" if h else ""
        out.append(f"| {coll} | {qf} ({r['queries']}) | {labels[mode]} | `{analyzer}` | {r['mrr@10']:.3f} | {r['ndcg@10']:.3f} | {r['recall@100']:.3f} | {halves} |")
    v = f["variants"]
    if "rewritten_queries" in v:
        out.append("")
        out.append(f"Variant dev set: {v['rewritten_queries']} rewritten headlines; {v['rules']} synonym rules.\n")
        out.append("| search | clean MRR@10 (500) | variant set MRR@10 (500) | rewritten, unchanged | rewritten | loss |")
        out.append("|---|---|---|---|---|---|")
        for label, r in v.items():
            if not isinstance(r, dict):
                continue
            out.append(f"| {label} | {r['clean (500)']:.3f} | {r['variant set (500)']:.3f} | {r['rewritten, unchanged']:.3f} | {r['rewritten']:.3f} | {r['loss']:+.3f} |")
    d = f.get("variants_dev")
    if d:
        out.append("")
        out.append(f"Large variant dev set: {d['queries']} rewritten headlines among {d['passages']} articles; "
                   f"{d['rules']} synonym rules"
                   + (f", {d['lean_rules']} in fahras_lean's 4-letter stems" if d.get("lean_rules") else "") + ".\n")
        out.append("| search | all: original → rewritten | loss | untuned: original → rewritten | loss |")
        out.append("|---|---|---|---|---|")
        for label, r in d.items():
            if isinstance(r, dict):
                a, u = r["all"], r["untuned"]
                out.append(f"| {label} | {a['original']:.3f} → {a['rewritten']:.3f} ({a['queries']}) | {a['loss']:+.3f} "
                           f"| {u['original']:.3f} → {u['rewritten']:.3f} ({u['queries']}) | {u['loss']:+.3f} |")
        out.append("")
        out.append("Loss by variant class (all families): "
                   + "; ".join(f"{label}: " + ", ".join(f"{c} {v['loss']:+.3f} ({v['queries']})"
                                                       for c, v in r.get("classes", {}).items())
                               for label, r in d.items() if isinstance(r, dict)))
    i = f.get("indexing")
    if i:
        out.append("")
        parts = [f"`arabic` {i['arabic articles/s']:.0f} articles/s"]
        for a in SPEED_ANALYZERS:
            if a != "arabic":
                parts.append(f"`{a}` {i[a + ' articles/s']:.0f} articles/s, ratio {i[a + ' ratio (median of runs)']:.2f} "
                             f"(runs: {', '.join(f'{x:.2f}' for x in i[a + ' ratios'])})")
        out.append(f"Bulk indexing, {i['articles']} articles ({i['text_mb']} MB of text), {i['runs']} runs each: "
                   + "; ".join(parts) + ".\n")
        parts = [f"`arabic` {i['arabic articles/cpu-s']:.0f}"]
        for a in SPEED_ANALYZERS:
            if a != "arabic":
                parts.append(f"`{a}` {i[a + ' articles/cpu-s']:.0f}, ratio {i[a + ' cpu ratio (median of runs)']:.2f} "
                             f"(runs: {', '.join(f'{x:.2f}' for x in i[a + ' cpu ratios'])})")
        out.append("Articles per CPU second of the nodes: " + "; ".join(parts) + ".\n")
    if not f.get("latency"):
        return "\n".join(out)
    out.append("| analyzer | queries | wall p50 ms | wall p99 ms | took p50 ms | took p99 ms |")
    out.append("|---|---|---|---|---|---|")
    for a, r in f["latency"].items():
        out.append(f"| `{a}` | {r['queries']} | {r['wall p50 ms']:.1f} | {r['wall p99 ms']:.1f} | {r['took p50 ms']} | {r['took p99 ms']} |")
    return "\n".join(out)


def main():
    global QUALITY_ANALYZERS, SPEED_ANALYZERS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:" + os.environ.get("FAHRAS_OPENSEARCH_PORT", "9200"))
    parser.add_argument("--data", default=os.path.join(os.path.dirname(ROOT), "shared", "data"))
    parser.add_argument("--fahras", default=os.path.join(ROOT, "target", "debug", "fahras"))
    parser.add_argument("--out", default=os.path.join(ROOT, "target", "opensearch-eval"))
    # Enough articles and runs that a run lasts several seconds and the median of the ratios
    # holds on a shared machine (3 runs of 10,000 gave ratios from 0.60 to 0.94 for one pair).
    parser.add_argument("--bench-articles", type=int, default=20000)
    parser.add_argument("--index-runs", type=int, default=5)
    parser.add_argument("--query-passes", type=int, default=2)
    parser.add_argument("--variants-dev", default=os.path.join(ROOT, "target", "variants-dev"),
                        help="the large variant dev set (scripts/respell_corpus.py --out DIR)")
    parser.add_argument("--steps", default=",".join(STEPS),
                        help=f"the steps to run, comma-separated (all: {','.join(STEPS)}); variants and "
                             "latency search the quality step's indexes, so they need it")
    parser.add_argument("--analyzers", default=None,
                        help="only these analyzers, comma-separated (quick iterations; the figures of "
                             "docs/opensearch.md come from a run of all); indexing needs fahras and arabic")
    args = parser.parse_args()
    args.steps = set(args.steps.split(","))
    unknown = args.steps - set(STEPS)
    if unknown:
        parser.error(f"unknown steps: {', '.join(sorted(unknown))} (known: {', '.join(STEPS)})")
    if ("variants" in args.steps or "latency" in args.steps) and "quality" not in args.steps:
        parser.error("--steps: variants and latency search the quality step's indexes: add quality")
    if args.analyzers:
        chosen = args.analyzers.split(",")
        unknown = set(chosen) - set(QUALITY_ANALYZERS)
        if unknown:
            parser.error(f"unknown analyzers: {', '.join(sorted(unknown))}")
        QUALITY_ANALYZERS = tuple(a for a in QUALITY_ANALYZERS if a in chosen)
        SPEED_ANALYZERS = tuple(a for a in SPEED_ANALYZERS if a in chosen)
        if "indexing" in args.steps and not {"fahras", "arabic"} <= set(SPEED_ANALYZERS):
            parser.error("--analyzers: the indexing step compares fahras with arabic: list both")
    os.makedirs(args.out, exist_ok=True)
    figures = Evaluation(args).run()
    with open(os.path.join(args.out, "figures.json"), "w", encoding="utf-8") as f:
        json.dump(figures, f, ensure_ascii=False, indent=2)
    print(markdown(figures))


if __name__ == "__main__":
    sys.exit(main())
