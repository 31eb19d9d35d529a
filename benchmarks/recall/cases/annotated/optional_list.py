# recall case: `Optional[list[str]]` parameter defaulting to None, membership in a loop
# expect: HS101@11 "if tag in skip"
from typing import Optional


def visible_tags(posts, skip: Optional[list[str]] = None):
    skip = skip or []
    count = 0
    for post in posts:
        for tag in post.tags:
            if tag in skip:
                continue
            count += 1
    return count
