# recall case: module-level loop that only appends a transformed value
# expect: HS301@6 "squares.append(i * i)"
N = 1000
squares = []
for i in range(N):
    squares.append(i * i)
print(sum(squares))
