# recall case: parameter annotated `list[Job]` drained front first
# expect: HS102@8 "job = jobs.pop(0)"


def run_all(jobs: list["Job"]) -> int:
    ran = 0
    while jobs:
        job = jobs.pop(0)
        job.run()
        ran += 1
    return ran
