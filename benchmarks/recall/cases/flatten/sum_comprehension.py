# recall case: `sum([...], [])` flattening per-post tags
# expect: HS104@6 "sum([p.tags for p in posts], [])"


def all_tags(posts):
    return sum([p.tags for p in posts], [])
