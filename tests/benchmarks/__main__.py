"""`make bench`: every benchmark, each printing its own figures (`--help` for the options)."""

import json
import sys

from tests.benchmarks import bench_search, bench_typos

if __name__ == "__main__":
    options = bench_search.parse(sys.argv[1:])
    if options.as_json:
        figures = {"typos": bench_typos.run(bench_typos.make_terms(50_000))}
        figures["search"] = bench_search.run(options)
        print(json.dumps(figures, indent=1))
    else:
        bench_typos.main([])
        print()
        bench_search.run(options)
