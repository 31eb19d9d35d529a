# recall case: helper returning a dict, used with `in` in a loop
# expect: silent
# why: dict membership is a hash lookup.


def index_by_id(rows):
    return {r.id: r for r in rows}


def matched(ids, rows):
    index = index_by_id(rows)
    return [i for i in ids if i in index]
