# recall case: `queue.Queue.get()` in a worker loop
# expect: silent
# why: `queue.Queue` is backed by a deque.
import queue


def worker(q: queue.Queue):
    while True:
        item = q.get()
        if item is None:
            break
        item.run()
        q.task_done()
