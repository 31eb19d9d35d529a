"""The time budget holds inside a rule's own walk, not only between the nodes the checker hands
out (issue 19, item 12): a rule whose one visit walks a huge subtree is stopped by the walk
helpers and reported as skipped. No wall-clock figure is asserted: the budget is tiny (spent
before the first look at the clock) or the clock is a stand-in."""

from __future__ import annotations

import threading

import pytest

from hasten.analyzers.checker import check
from hasten.analyzers.config import Config
from hasten.analyzers.rule import Rule
from hasten.analyzers.source import Source
from hasten.analyzers.syntax.tree import CHECK_EVERY, OutOfTime, deadline, walk, walk_same_scope, walk_with_parents

BIG = "".join(f"x{i} = [a, b, c, (d + e) * f]\n" for i in range(400))  # ~8,000 nodes, one module


class WalksEverything(Rule):
    """Visits the module and walks all of it before reporting (a rule doing a lot of work from one
    node). ``swallow``: it wraps its walk in ``except Exception``, as a careless rule might."""

    code = "HS998"
    name = "walks-everything"
    node_types = ("module",)
    swallow = False

    def visit(self, node, ctx) -> None:
        try:
            count = sum(1 for _ in walk(node))
        except Exception:  # noqa: BLE001 - the point of the test
            if not self.swallow:
                raise
            return
        ctx.report(node.children[0], f"walked {count} nodes")


class SwallowsExceptions(WalksEverything):
    code = "HS997"
    swallow = True


def test_a_rule_walking_a_huge_subtree_is_stopped_inside_its_walk():
    source = Source(BIG, "big.py")
    full = check(source, Config(), rules=(WalksEverything(),))
    assert full.complete and len(full.findings) == 1 and not full.notes
    # Before: the checker looked at the clock only between nodes; this rule gets one node (the
    # module), so it ran to the end however small the budget.
    cut = check(source, Config(), rules=(WalksEverything(),), budget=1e-9)
    assert not cut.complete
    assert cut.findings == []
    assert cut.notes == ["big.py: rule HS998 skipped: took longer than 1e-09 s (the time budget); findings are partial"]


def test_a_rule_cannot_swallow_the_budget():
    cut = check(Source(BIG, "big.py"), Config(), rules=(SwallowsExceptions(),), budget=1e-9)
    assert not cut.complete and any("rule HS997 skipped" in note for note in cut.notes)


def test_an_ample_budget_changes_nothing_and_no_deadline_outlives_the_check():
    source = Source(BIG, "big.py")
    assert check(source, Config(), rules=(WalksEverything(),), budget=3600).findings == check(source, Config(), rules=(WalksEverything(),)).findings
    check(source, Config(), rules=(WalksEverything(),), budget=1e-9)
    # After a check whose budget ran out, walks on this thread are unbounded again.
    assert sum(1 for _ in walk(source.tree.root_node)) > CHECK_EVERY


def test_the_walks_look_at_the_clock_every_few_nodes_and_only_on_this_thread():
    root = Source(BIG).tree.root_node
    reads = []

    def clock() -> float:
        reads.append(1)
        return float(len(reads))

    with deadline(3.5, clock):  # the fourth look at the clock is past the deadline
        with pytest.raises(OutOfTime):
            for _ in walk(root):
                pass
        assert len(reads) == 4
        for helper in (walk_same_scope, walk_with_parents):  # the clock is past the deadline now
            with pytest.raises(OutOfTime):
                for _ in helper(root):
                    pass
        # Another thread (the metrics', the model's) has no deadline.
        counted = []
        other = threading.Thread(target=lambda: counted.append(sum(1 for _ in walk(root))))
        other.start()
        other.join()
        assert counted and counted[0] > 4 * CHECK_EVERY
    assert sum(1 for _ in walk(root)) == counted[0]
