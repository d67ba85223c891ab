"""`make bench`: every benchmark, each printing its own figures."""

import sys

from tests.benchmarks import bench_search, bench_typos

if __name__ == "__main__":
    bench_typos.main([])
    bench_search.main(sys.argv[1:])
