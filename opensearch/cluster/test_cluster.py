#!/usr/bin/env python3
"""Tests on a real local OpenSearch cluster with the fahras plugin (not mocks).

Start the cluster first (scripts/opensearch-cluster start; scripts/test-all does), then:

  opensearch/cluster/test_cluster.py [--url URL]

The sample corpus is indexed with 3 shards and 1 replica; searches written in other spellings
(hamza, ة/ه, diacritics, tatweel, Arabic-Indic digits) must find the articles and highlight
the words as the articles wrote them; a phrase query must match in order; with one node
stopped (the elected cluster manager) every search must still answer, from replicas, with no
article lost; with the node back the cluster must be green again. The tests run in order and
the last line says how many passed and failed.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client import Client, article_index  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLUSTER = os.path.join(ROOT, "scripts", "opensearch-cluster")
INDEX = "fahras-sample"
URL = "http://127.0.0.1:9200"

ARABIC_WORD = re.compile(r"^[\u0621-\u063A\u0641-\u064A]+$")


def load_corpus():
    with open(os.path.join(ROOT, "sample-corpus", "articles.jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def words(text):
    """Whitespace words stripped of surrounding punctuation, Arabic letters only."""
    out = []
    for raw in text.split():
        word = raw.strip(".,،؛:!?؟\"«»()[]-—'")
        if ARABIC_WORD.match(word):
            out.append(word)
    return out


def node_urls():
    base = int(os.environ.get("FAHRAS_OPENSEARCH_PORT", "9200"))
    return {i: f"http://127.0.0.1:{base + i - 1}" for i in (1, 2, 3)}


class ClusterTest(unittest.TestCase):
    """One sequence of steps on one cluster; later steps use what earlier ones found."""

    corpus = []
    client = None
    queries = {}  # name -> (query body, article id that must be found, original word)
    baseline = {}  # name -> hit ids with every node up

    @classmethod
    def setUpClass(cls):
        cls.corpus = load_corpus()
        cls.client = Client(URL)

    # --- helpers -------------------------------------------------------------------------

    def hits(self, body, client=None, index=INDEX):
        result = (client or self.client).search(index, body)
        self.assertEqual(result["_shards"]["failed"], 0, result["_shards"])
        self.assertFalse(result.get("timed_out"), "search timed out")
        return result["hits"]["hits"]

    def article_with(self, predicate):
        for article in self.corpus:
            for word in words(article["body"]):
                if predicate(word):
                    return article, word
        self.fail("no article of the sample corpus has a word for this test")

    def find_and_highlight(self, name, query_text, article, original):
        body = {
            "size": 100,
            "query": {"match": {"body": {"query": query_text, "operator": "and"}}},
            "highlight": {"fields": {"body": {"number_of_fragments": 0}}},
        }
        ClusterTest.queries[name] = (body, article["id"], original)
        hits = self.hits(body)
        by_id = {h["_id"]: h for h in hits}
        self.assertIn(article["id"], by_id, f"{query_text!r} did not find {article['id']} ({original})")
        highlighted = "".join(by_id[article["id"]]["highlight"]["body"])
        marked = re.findall(r"<em>(.*?)</em>", highlighted)
        self.assertIn(original, marked, f"{query_text!r}: marked {marked[:10]}, not the original {original!r}")
        # Everything marked is a slice of the article as written, never the normalized term.
        for m in marked:
            self.assertIn(m, article["body"])

    def wait_health(self, client, nodes, status, timeout=300):
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            try:
                last = client.get(
                    f"/_cluster/health?wait_for_nodes={nodes}&wait_for_status={status}&timeout=5s"
                )
                if not last.get("timed_out"):
                    return last
            except Exception as error:  # a node still starting, a manager being elected
                last = error
            time.sleep(1)
        self.fail(f"cluster not at {nodes} nodes / {status} after {timeout} s: {last}")

    # --- the steps, in order ---------------------------------------------------------------

    def test_1_cluster_has_three_nodes_with_the_plugin(self):
        health = self.wait_health(self.client, 3, "green")
        self.assertEqual(health["number_of_nodes"], 3)
        plugins = self.client.get("/_cat/plugins?format=json&h=name,component,version,description")
        with_plugin = sorted(p["name"] for p in plugins if p["component"] == "analysis-fahras")
        self.assertEqual(with_plugin, ["node-1", "node-2", "node-3"])
        self.assertTrue(all("analyzer version 2" in p["description"] for p in plugins), plugins)

    def test_2_index_the_sample_corpus_3_shards_1_replica(self):
        self.client.delete_index(INDEX)
        self.client.put(f"/{INDEX}", article_index(shards=3, replicas=1))
        docs = [
            {k: a.get(k) for k in ("id", "title", "body", "date", "source", "category")}
            for a in self.corpus
        ]
        self.assertEqual(self.client.bulk_index(INDEX, docs), len(self.corpus))
        self.wait_health(self.client, 3, "green")
        shards = self.client.get(f"/_cat/shards/{INDEX}?format=json")
        self.assertEqual(sum(1 for s in shards if s["prirep"] == "p"), 3)
        self.assertEqual(sum(1 for s in shards if s["prirep"] == "r"), 3)
        self.assertEqual(len({s["node"] for s in shards}), 3, "the copies are on all three nodes")
        count = self.client.get(f"/{INDEX}/_count")["count"]
        self.assertEqual(count, len(self.corpus))

    def test_3_hamza_spelled_otherwise(self):
        article, word = self.article_with(lambda w: w.startswith("أ") and len(w) >= 5)
        self.find_and_highlight("hamza", "ا" + word[1:], article, word)

    def test_3_taa_marbuta_as_heh(self):
        article, word = self.article_with(lambda w: w.endswith("ة") and len(w) >= 5)
        self.find_and_highlight("taa-marbuta", word[:-1] + "ه", article, word)

    def test_3_diacritics_in_the_query(self):
        article, word = self.article_with(lambda w: len(w) >= 5 and "ة" not in w and "أ" not in w)
        voweled = word[0] + "\u064e" + word[1] + "\u064f" + word[2:] + "\u064c"
        self.find_and_highlight("diacritics", voweled, article, word)

    def test_3_tatweel_in_the_query(self):
        article, word = self.article_with(lambda w: len(w) >= 5 and w[1] not in "ادذرزوأإآؤء")
        stretched = word[:2] + "\u0640\u0640\u0640" + word[2:]
        self.find_and_highlight("tatweel", stretched, article, word)

    def test_3_arabic_indic_digits(self):
        for article in self.corpus:
            match = re.search(r"(?<![0-9])(19|20)[0-9]{2}(?![0-9])", article["body"])
            if match:
                break
        else:
            self.fail("no year in the sample corpus")
        year = match.group(0)
        indic = "".join(chr(0x0660 + int(d)) for d in year)
        self.find_and_highlight("digits", indic, article, year)

    def test_4_phrase_query(self):
        # Three words that follow one another in an article, the last with ة written ه.
        for article in self.corpus:
            body_words = article["body"].split()
            for i in range(len(body_words) - 2):
                three = body_words[i : i + 3]
                if all(ARABIC_WORD.match(w) for w in three) and three[2].endswith("ة") and len(set(three)) == 3:
                    break
            else:
                continue
            break
        else:
            self.fail("no three-word phrase ending in ة in the sample corpus")
        phrase = " ".join(three[:2] + [three[2][:-1] + "ه"])
        body = {
            "size": 100,
            "query": {"match_phrase": {"body": phrase}},
            "highlight": {"fields": {"body": {"number_of_fragments": 0}}},
        }
        ClusterTest.queries["phrase"] = (body, article["id"], three[2])
        hits = {h["_id"]: h for h in self.hits(body)}
        self.assertIn(article["id"], hits, f"phrase {phrase!r} did not find {article['id']}")
        marked = re.findall(r"<em>(.*?)</em>", "".join(hits[article["id"]]["highlight"]["body"]))
        for word in three:
            self.assertIn(word, marked)
        # The same words in the reverse order are not that phrase.
        reverse = {"size": 100, "query": {"match_phrase": {"body": " ".join(reversed(three))}}}
        self.assertNotIn(article["id"], {h["_id"] for h in self.hits(reverse)})

    def test_5_record_answers_with_every_node_up(self):
        self.assertGreaterEqual(len(ClusterTest.queries), 6, "the search steps above must have run")
        for name, (body, _, _) in ClusterTest.queries.items():
            ClusterTest.baseline[name] = sorted(h["_id"] for h in self.hits(body))

    def test_6_node_stopped_searches_answer_from_replicas(self):
        self.assertTrue(ClusterTest.baseline, "the answers with every node up must be recorded first")
        manager = self.client.get("/_cat/cluster_manager?format=json")[0]["node"]
        stopped = int(manager.split("-")[1])
        ClusterTest.stopped = stopped
        subprocess.run([CLUSTER, "stop-node", str(stopped)], check=True)
        survivor = Client(node_urls()[1 if stopped != 1 else 2])
        health = self.wait_health(survivor, 2, "yellow")
        self.assertEqual(health["number_of_nodes"], 2)
        # Every search answers, from all three shards, with the same articles.
        for name, (body, must_find, original) in ClusterTest.queries.items():
            ids = sorted(h["_id"] for h in self.hits(body, client=survivor))
            self.assertEqual(ids, ClusterTest.baseline[name], f"{name} answered otherwise with a node down")
            self.assertIn(must_find, ids)
        # No article is lost: all of them are counted and fetched.
        self.assertEqual(survivor.get(f"/{INDEX}/_count")["count"], len(self.corpus))
        every = self.hits({"size": 1000, "query": {"match_all": {}}, "_source": False}, client=survivor)
        self.assertEqual(sorted(h["_id"] for h in every), sorted(a["id"] for a in self.corpus))

    def test_7_node_back_cluster_green(self):
        stopped = getattr(ClusterTest, "stopped", None)
        self.assertIsNotNone(stopped, "a node must have been stopped")
        subprocess.run([CLUSTER, "start-node", str(stopped)], check=True)
        health = self.wait_health(self.client if stopped != 1 else Client(node_urls()[2]), 3, "green")
        self.assertEqual(health["number_of_nodes"], 3)
        self.assertEqual(health["unassigned_shards"], 0)
        for name, (body, _, _) in ClusterTest.queries.items():
            self.assertEqual(sorted(h["_id"] for h in self.hits(body)), ClusterTest.baseline[name])


    def test_8_spelling_variants_through_synonym_graph(self):
        """`fahras variants --export` of a fahras archive of the same articles, loaded by a
        search-time synonym_graph filter: a word finds the articles that spell it otherwise."""
        import shutil
        import tempfile

        fahras = os.environ.get("FAHRAS_BIN", os.path.join(ROOT, "target", "debug", "fahras"))
        work = tempfile.mkdtemp(prefix="fahras-synonyms-")
        self.addCleanup(shutil.rmtree, work, ignore_errors=True)
        corpus = os.path.join(ROOT, "sample-corpus", "articles.jsonl")
        subprocess.run([fahras, "index", "--index", f"{work}/idx", corpus], check=True,
                       stdout=subprocess.DEVNULL)
        synonyms = f"{work}/fahras-synonyms.txt"
        subprocess.run([fahras, "variants", "--index", f"{work}/idx", "--export", synonyms],
                       check=True, stdout=subprocess.DEVNULL)
        installed = subprocess.run([CLUSTER, "install-file", synonyms, "fahras-synonyms.txt"],
                                   check=True, capture_output=True, text=True).stdout.strip()
        self.assertEqual(installed, "analysis/fahras-synonyms.txt")
        rules = {}
        for line in open(synonyms, encoding="utf-8"):
            if line.strip() and not line.startswith("#"):
                left, right = line.strip().split(" => ")
                rules[left] = right.split(", ")[1:]
        self.assertTrue(rules, "the sample archive has spelling variants")

        index = INDEX + "-variants"
        self.client.delete_index(index)
        self.client.put(f"/{index}", variant_index())
        self.client.bulk_index(index, [{k: a.get(k) for k in ("id", "title", "body")} for a in self.corpus])

        # Which articles use which stem, and a word as written for each stem.
        articles_of, word_of = {}, {}
        for article in self.corpus:
            tokens = self.client.post("/_analyze", {"analyzer": "fahras", "text": article["body"]})["tokens"]
            for t in tokens:
                articles_of.setdefault(t["token"], set()).add(article["id"])
                original = article["body"][t["start_offset"]:t["end_offset"]]
                if ARABIC_WORD.match(original):
                    word_of.setdefault(t["token"], original)
        checked = 0
        for stem, variants in sorted(rules.items()):
            if stem not in word_of:
                continue
            for variant in variants:
                others = articles_of.get(variant, set()) - articles_of.get(stem, set())
                if not others:
                    continue
                query = {"size": 200, "query": {"match": {"body": word_of[stem]}},
                         "highlight": {"fields": {"body": {"number_of_fragments": 0}}}}
                with_variants = {h["_id"]: h for h in self.hits(query, index=index)}
                without = {h["_id"] for h in self.hits(query)}
                target = sorted(others)[0]
                self.assertNotIn(target, without, f"{word_of[stem]} finds {target} without variants")
                self.assertIn(target, with_variants, f"{word_of[stem]} ({stem} => {variant}) misses {target}")
                marked = re.findall(r"<em>(.*?)</em>", "".join(with_variants[target]["highlight"]["body"]))
                self.assertTrue(marked, f"nothing highlighted in {target}")
                body = next(a["body"] for a in self.corpus if a["id"] == target)
                for m in marked:
                    self.assertIn(m, body)
                checked += 1
                break
        self.assertGreaterEqual(checked, 3, "at least three words whose variants only the synonyms find")

    def test_9_fahras_blended_one_field_ranks_the_form_typed_first(self):
        """fahras_blended: one field holds each word as written and its stem at one position,
        so both spellings of a stem find both articles, and each ranks the article that writes
        it as typed first (with plain `fahras` the shorter article wins both); stopwords are
        out of the field; the highlighter marks the words as written."""
        index = INDEX + "-blended"
        self.client.delete_index(index)
        self.client.put(f"/{index}", article_index(shards=3, replicas=1, analyzer="fahras_blended",
                                                   exact_analyzer=None))
        analyzed = self.client.post(f"/{index}/_analyze", {"field": "body", "text": "في المدينة"})["tokens"]
        self.assertEqual([(t["token"], t["position"]) for t in analyzed], [("المدينه", 1), ("مدين", 1)])
        docs = [
            # "in the city" and "at the city": one stem (مدين), two forms; the second text is a
            # word shorter (في), which plain BM25 favours.
            {"id": "in-city", "title": "", "body": "التقى الوزير السكان في المدينة أمس"},
            {"id": "at-city", "title": "", "body": "التقى الوزير السكان بالمدينة أمس"},
        ]
        self.client.bulk_index(index, docs)
        for typed, first, other in (("المدينة", "in-city", "at-city"), ("بالمدينة", "at-city", "in-city")):
            body = {"query": {"match": {"body": typed}},
                    "highlight": {"fields": {"body": {"number_of_fragments": 0}}}}
            result = self.client.post(f"/{index}/_search?search_type=dfs_query_then_fetch", body)
            hits = result["hits"]["hits"]
            self.assertEqual([h["_id"] for h in hits], [first, other], f"{typed}: {hits}")
            self.assertGreater(hits[0]["_score"], hits[1]["_score"], typed)
            marked = re.findall(r"<em>(.*?)</em>", "".join(hits[0]["highlight"]["body"]))
            self.assertEqual(marked, [typed])
        stop_only = self.client.post(f"/{index}/_search", {"query": {"match": {"body": "في"}}})
        self.assertEqual(stop_only["hits"]["total"]["value"], 0, "a stopword alone finds nothing")
        self.client.delete_index(index)

    def test_9b_fahras_blended_lead_ranks_the_article_that_opens_with_the_word_first(self):
        """fahras_blended_lead (searched with fahras_blended): the words of a text's first 15
        positions count twice, so of two articles with the same words the one that opens with
        the query word ranks first, where fahras_blended ties them; the query side counts
        each word once; the highlighter marks the word once, as written."""
        filler = ("وقال مسؤولون محليون إن فرق الإنقاذ عملت طوال الليل لانتشال العالقين تحت الأنقاض "
                  "وسط أجواء باردة وأمطار غزيرة")
        docs = [{"id": "opens", "title": "", "body": f"الزلزال ضرب البلدة. {filler}"},
                {"id": "closes", "title": "", "body": f"{filler}. الزلزال ضرب البلدة"}]
        scores = {}
        for analyzer, search in (("fahras_blended", None), ("fahras_blended_lead", "fahras_blended")):
            index = f"{INDEX}-{analyzer.replace('_', '-')}"
            self.client.delete_index(index)
            self.client.put(f"/{index}", article_index(shards=3, replicas=1, analyzer=analyzer,
                                                       exact_analyzer=None, search_analyzer=search))
            self.client.bulk_index(index, docs)
            body = {"query": {"match": {"body": "الزلزال"}},
                    "highlight": {"fields": {"body": {"number_of_fragments": 0}}}}
            hits = self.client.post(f"/{index}/_search?search_type=dfs_query_then_fetch", body)["hits"]["hits"]
            self.assertEqual(len(hits), 2, f"{analyzer}: {hits}")
            scores[analyzer] = {h["_id"]: h["_score"] for h in hits}
            if analyzer == "fahras_blended_lead":
                self.assertEqual(hits[0]["_id"], "opens", hits)
                for h in hits:
                    self.assertEqual(re.findall(r"<em>(.*?)</em>", "".join(h["highlight"]["body"])), ["الزلزال"])
                indexed = self.client.post(f"/{index}/_analyze", {"field": "body", "text": "الزلزال"})["tokens"]
                self.assertEqual([t["token"] for t in indexed], ["الزلزال", "الزلزال", "زلزال", "زلزال"])
                query = self.client.post(f"/{index}/_validate/query?explain=true",
                                         {"query": {"match": {"body": "الزلزال"}}})["explanations"][0]["explanation"]
                self.assertEqual(query.count("الزلزال"), 1, query)
            self.client.delete_index(index)
        self.assertAlmostEqual(scores["fahras_blended"]["opens"], scores["fahras_blended"]["closes"], places=5)
        self.assertGreater(scores["fahras_blended_lead"]["opens"], scores["fahras_blended_lead"]["closes"])


    def test_9c_fahras_lean_stacks_the_suffixed_words_typed(self):
        """fahras_lean: a word whose stem removed a suffix and no prefix is indexed as written
        and as its stem, so each of two suffixed forms of one stem ranks the article that
        writes it first; a word with a prefix is its stem alone; stems keep four letters
        (كتبه is not cut to كتب); the highlighter marks the words as written."""
        index = INDEX + "-lean"
        self.client.delete_index(index)
        self.client.put(f"/{index}", article_index(shards=3, replicas=1, analyzer="fahras_lean",
                                                   exact_analyzer=None))
        analyzed = self.client.post(f"/{index}/_analyze", {"field": "body", "text": "كتابه والكتابه في كتبه"})["tokens"]
        self.assertEqual([(t["token"], t["position"]) for t in analyzed],
                         [("كتابه", 0), ("كتاب", 0), ("كتاب", 1), ("كتبه", 3)])
        docs = [
            {"id": "his", "title": "", "body": "قرأ الطالب كتابه أمس"},
            {"id": "hers", "title": "", "body": "قرأت الطالبة كتابها أمس"},
        ]
        self.client.bulk_index(index, docs)
        for typed, first, other in (("كتابه", "his", "hers"), ("كتابها", "hers", "his")):
            body = {"query": {"match": {"body": typed}},
                    "highlight": {"fields": {"body": {"number_of_fragments": 0}}}}
            result = self.client.post(f"/{index}/_search?search_type=dfs_query_then_fetch", body)
            hits = result["hits"]["hits"]
            self.assertEqual([h["_id"] for h in hits], [first, other], f"{typed}: {hits}")
            self.assertGreater(hits[0]["_score"], hits[1]["_score"], typed)
            marked = re.findall(r"<em>(.*?)</em>", "".join(hits[0]["highlight"]["body"]))
            self.assertEqual(marked, [typed])
        self.client.delete_index(index)

    def test_9d_fahras_lean_finds_other_spellings_through_its_synonyms(self):
        """The variant synonyms with fahras_lean: exported in its 4-letter stems (`fahras
        variants --export --min-stem-chars 4`) and loaded by a search analyzer that stems as it
        does, unstacked (synonym_graph cannot consume stacked tokens), on a fahras_lean field:
        a word finds the articles that spell it otherwise, which fahras_lean alone misses, and
        the highlighter marks them as written."""
        import shutil
        import tempfile

        fahras = os.environ.get("FAHRAS_BIN", os.path.join(ROOT, "target", "debug", "fahras"))
        work = tempfile.mkdtemp(prefix="fahras-synonyms-lean-")
        self.addCleanup(shutil.rmtree, work, ignore_errors=True)
        corpus = os.path.join(ROOT, "sample-corpus", "articles.jsonl")
        subprocess.run([fahras, "index", "--index", f"{work}/idx", corpus], check=True,
                       stdout=subprocess.DEVNULL)
        synonyms = f"{work}/fahras-synonyms-lean.txt"
        subprocess.run([fahras, "variants", "--index", f"{work}/idx", "--export", synonyms,
                        "--min-stem-chars", "4"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([CLUSTER, "install-file", synonyms, "fahras-synonyms-lean.txt"],
                       check=True, stdout=subprocess.DEVNULL)
        rules = {}
        for line in open(synonyms, encoding="utf-8"):
            if line.strip() and not line.startswith("#"):
                left, right = line.strip().split(" => ")
                rules[left] = right.split(", ")[1:]
        self.assertTrue(rules, "the sample archive has spelling variants")

        lean_stem = {"type": "fahras_stem", "min_stem_chars": 4, "stack": "none"}
        index = INDEX + "-lean-variants"
        self.client.delete_index(index)
        self.client.put(f"/{index}", article_index(
            shards=3, replicas=1, analyzer="fahras_lean", exact_analyzer=None,
            search_analyzer="fahras_lean_search",
            analysis={
                "filter": {"fahras_stem_lean_search": lean_stem,
                           "fahras_variants_lean": {"type": "synonym_graph",
                                                    "synonyms_path": "analysis/fahras-synonyms-lean.txt"}},
                "analyzer": {"fahras_lean_search": {
                    "type": "custom", "tokenizer": "fahras",
                    "filter": ["fahras_stop", "fahras_stem_lean_search", "fahras_variants_lean"]}},
            }))
        self.client.bulk_index(index, [{k: a.get(k) for k in ("id", "title", "body")} for a in self.corpus])
        self.addCleanup(self.client.delete_index, index)

        # Which articles use which 4-letter stem, and a word as written for each stem.
        articles_of, word_of = {}, {}
        for article in self.corpus:
            tokens = self.client.post("/_analyze", {"tokenizer": "fahras", "filter": ["fahras_stop", lean_stem],
                                                    "text": article["body"]})["tokens"]
            for t in tokens:
                articles_of.setdefault(t["token"], set()).add(article["id"])
                original = article["body"][t["start_offset"]:t["end_offset"]]
                if ARABIC_WORD.match(original):
                    word_of.setdefault(t["token"], original)
        checked = 0
        for stem, variants in sorted(rules.items()):
            if stem not in word_of:
                continue
            for variant in variants:
                others = articles_of.get(variant, set()) - articles_of.get(stem, set())
                if not others:
                    continue
                match = {"body": word_of[stem]}
                highlight = {"fields": {"body": {"number_of_fragments": 0}}}
                with_variants = {h["_id"]: h for h in self.hits(
                    {"size": 200, "query": {"match": match}, "highlight": highlight}, index=index)}
                without = {h["_id"] for h in self.hits(
                    {"size": 200, "query": {"match": {"body": {"query": word_of[stem], "analyzer": "fahras_lean"}}}},
                    index=index)}
                target = sorted(others)[0]
                self.assertNotIn(target, without, f"{word_of[stem]} finds {target} without variants")
                self.assertIn(target, with_variants, f"{word_of[stem]} ({stem} => {variant}) misses {target}")
                marked = re.findall(r"<em>(.*?)</em>", "".join(with_variants[target]["highlight"]["body"]))
                self.assertTrue(marked, f"nothing highlighted in {target}")
                body = next(a["body"] for a in self.corpus if a["id"] == target)
                for m in marked:
                    self.assertIn(m, body)
                checked += 1
                break
        self.assertGreaterEqual(checked, 3, "at least three words whose variants only the synonyms find")


def variant_index():
    """The sample index again, searched through the exported variant synonyms."""
    return article_index(
        shards=3, replicas=1, search_analyzer="fahras_search",
        analysis={
            "filter": {"fahras_variants": {"type": "synonym_graph",
                                           "synonyms_path": "analysis/fahras-synonyms.txt"}},
            "analyzer": {"fahras_search": {"type": "custom", "tokenizer": "fahras",
                                           "filter": ["fahras_stem", "fahras_variants"]}},
        })


def main():
    global URL
    parser = argparse.ArgumentParser(description="tests on the local OpenSearch cluster")
    parser.add_argument("--url", default=node_urls()[1])
    args, rest = parser.parse_known_args()
    URL = args.url
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(ClusterTest)
    result = unittest.TextTestRunner(verbosity=2, failfast=False).run(suite)
    failed = len(result.failures) + len(result.errors)
    print(f"cluster tests: {result.testsRun - failed} passed, {failed} failed")
    return 0 if result.wasSuccessful() and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
