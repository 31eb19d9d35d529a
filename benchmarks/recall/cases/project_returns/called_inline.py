# recall case: a project function returning a list, queue drained with `pop(0)`
# expect: HS102@13 "task = tasks.pop(0)"


def pending_tasks(db):
    rows = db.fetch("select * from tasks where done = 0")
    return [r for r in rows if not r.blocked]


def drain(db, handle):
    tasks = pending_tasks(db)
    while tasks:
        task = tasks.pop(0)
        handle(task)
