"""A second web process of the benchmark (`bench_search.second_process` starts it): on the index
folder and database the benchmark built, it answers searches with the stored passage vectors,
and prints JSON: passages it embedded (none: vectors are the index writer's), the rows of
stored vectors it memory-mapped, its first and later search times and its resident memory
before and after the model is loaded.

    python -m tests.benchmarks.second_process <index folder>
"""

import json
import os
import sys
import time


def resident_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main(folder: str) -> dict:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.benchmarks.settings"
    import django

    django.setup()
    from haystack import connections

    from search import encoders, service, vectors
    from tests.benchmarks import corpus

    connections.connections_info["default"]["PATH"] = folder
    connections["default"].reset_sessions()
    figures = {"resident_mb_without_model": resident_mb()}
    encoder = encoders.get_encoder()
    embedded = []
    if encoder is not None:
        original = encoder.encode_passages
        encoder.encode_passages = lambda texts: embedded.extend(texts) or original(texts)
    queries = corpus.queries(40).search
    times = []
    for query in queries:
        start = time.perf_counter()
        service.search(query, "en")
        times.append((time.perf_counter() - start) * 1000)
    rows = 0
    for name in os.listdir(folder):
        if name.endswith(".vectors.json"):
            dense = vectors.open_dense(folder, name.removesuffix(".vectors.json"))
            rows += len(dense.matrix) if dense is not None else 0
    figures.update(
        model=encoder.name if encoder else None,
        passages_embedded=len(embedded),
        stored_vector_rows=rows,
        first_search_ms=times[0],
        later_searches_p50_ms=sorted(times[1:])[len(times[1:]) // 2],
        resident_mb=resident_mb(),
    )
    return figures


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
