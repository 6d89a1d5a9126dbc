"""A small HTTP client for the local OpenSearch cluster (standard library only), and the
mapping fahras's fields get there. Used by the cluster tests and the evaluation."""

import json
import urllib.error
import urllib.request


class OpenSearchError(Exception):
    pass


class Client:
    def __init__(self, url):
        self.url = url.rstrip("/")

    def request(self, method, path, body=None, ndjson=None, timeout=120):
        data = None
        headers = {}
        if ndjson is not None:
            data = ndjson.encode("utf-8")
            headers["Content-Type"] = "application/x-ndjson"
        elif body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                text = response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            raise OpenSearchError(
                f"{method} {path}: HTTP {error.code}: {error.read().decode('utf-8', 'replace')[:2000]}"
            ) from None
        return json.loads(text) if text else {}

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body=body, **kw)

    def delete_index(self, name):
        try:
            self.request("DELETE", "/" + name)
        except OpenSearchError as error:
            if "HTTP 404" not in str(error):
                raise

    def search(self, index, body):
        return self.post(f"/{index}/_search", body)

    def bulk_index(self, index, docs, id_field="id", batch=500, refresh=True):
        """Indexes documents (dicts) in batches; raises on any item that failed."""
        count = 0
        for start in range(0, len(docs), batch):
            lines = []
            for doc in docs[start : start + batch]:
                lines.append(json.dumps({"index": {"_index": index, "_id": doc[id_field]}}))
                lines.append(json.dumps(doc, ensure_ascii=False))
            result = self.request("POST", "/_bulk", ndjson="\n".join(lines) + "\n")
            if result.get("errors"):
                failed = [i for i in result["items"] if i["index"].get("error")]
                raise OpenSearchError(f"bulk: {len(failed)} documents failed, first: {failed[0]}")
            count += len(result["items"])
        if refresh:
            self.post(f"/{index}/_refresh")
        return count


def text_field(analyzer, exact_analyzer=None):
    field = {"type": "text", "analyzer": analyzer}
    if exact_analyzer:
        field["fields"] = {"exact": {"type": "text", "analyzer": exact_analyzer}}
    return field


def article_index(shards=3, replicas=1, analyzer="fahras", exact_analyzer="fahras_exact", analysis=None,
                  search_analyzer=None):
    """Index settings and mappings for articles: title and body stemmed, with exact-form
    subfields, as a fahras archive's fields (src/index.rs)."""
    settings = {"number_of_shards": shards, "number_of_replicas": replicas}
    if analysis:
        settings["analysis"] = analysis
    title = text_field(analyzer, exact_analyzer)
    body = text_field(analyzer, exact_analyzer)
    if search_analyzer:
        title["search_analyzer"] = search_analyzer
        body["search_analyzer"] = search_analyzer
    return {
        "settings": settings,
        "mappings": {
            "properties": {
                "title": title,
                "body": body,
                "date": {"type": "date", "ignore_malformed": True},
                "source": {"type": "keyword"},
                "category": {"type": "keyword"},
            }
        },
    }
