# recall case: module-level `del lst[0]` in a loop
# expect: HS109@7 "del pending[0]"
pending = open("queue.txt").read().split()
done = 0
while pending:
    done += len(pending[0])
    del pending[0]
print(done)
