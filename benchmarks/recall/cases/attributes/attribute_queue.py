# recall case: work queue kept in `self.pending = []`, drained with `pop(0)`
# expect: HS102@15 "job = self.pending.pop(0)"


class Worker:
    def __init__(self):
        self.pending = []

    def submit(self, job):
        self.pending.append(job)

    def run(self):
        done = 0
        while self.pending:
            job = self.pending.pop(0)
            job()
            done += 1
        return done
