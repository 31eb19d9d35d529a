# recall case: loop that only appends a transformed, filtered value
# expect: HS301@9 "result.append(n * n)"


def odd_squares(numbers):
    result = []
    for n in numbers:
        if n % 2:
            result.append(n * n)
    return result
