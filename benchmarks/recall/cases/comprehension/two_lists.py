# recall case: one loop filling two lists
# expect: silent
# why: splitting into two comprehensions would iterate twice; not the rule's pattern.


def split_even_odd(nums):
    even, odd = [], []
    for n in nums:
        if n % 2:
            odd.append(n * 3)
        else:
            even.append(n // 2)
    return even, odd
