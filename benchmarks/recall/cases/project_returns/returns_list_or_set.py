# recall case: helper that returns a list on one path and a set on another
# expect: silent
# why: the type is list | set; a finding would claim a list that may be a set.


def blocked_hosts(config):
    if config.get("legacy"):
        return list(config["hosts"])
    return set(config["hosts"])


def allowed(hosts, config):
    blocked = blocked_hosts(config)
    return [h for h in hosts if h not in blocked]
