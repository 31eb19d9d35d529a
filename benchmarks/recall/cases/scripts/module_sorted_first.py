# recall case: `sorted(...)[0]` at module level
# expect: HS304@4 "sorted(nums)[0]"
nums = [int(x) for x in input().split()]
print(sorted(nums)[0], sorted(nums)[-1])
