"""Whoosh 2.7.4 hangs on some OR queries with a result limit (whoosh issue #446); the maintained
whoosh3 does not. Run the query in a thread so that a regression fails instead of hanging."""

import threading

from whoosh import query as wq
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage

WORDS = "nose pad glasses frame lens order parcel refund invoice voucher".split()


def test_or_query_with_limit_returns():
    index = RamStorage().create_index(Schema(id=ID(stored=True), text=TEXT))
    writer = index.writer()
    for number in range(3000):
        text = " ".join(WORDS[(number * k) % len(WORDS)] for k in range(1, 7))
        writer.add_document(id=str(number), text=text)
    writer.commit()
    query = wq.Or([wq.Term("text", word) for word in WORDS], scale=0.9)
    found = []

    def search():
        with index.searcher() as searcher:
            for limit in (1, 3, 10, 50):
                found.append(searcher.search(query, limit=limit).scored_length())

    thread = threading.Thread(target=search, daemon=True)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "an OR query with a limit did not return (whoosh #446)"
    assert found == [1, 3, 10, 50]
