# recall case: `sorted(...)[0]` inside a dict comprehension
# expect: HS304@6 "sorted(times)[0]"


def fastest(results):
    return {name: sorted(times)[0] for name, times in results.items()}
