from shapes import loops, recursion


def test_count_paths_on_a_list_grid():
    assert recursion.count_paths([[0, 0, 0], [0, 1, 0], [0, 0, 0]], 0, 0) == 2


def test_hanoi_prints_every_move(capsys):
    recursion.hanoi(3, "a", "c", "b")
    recursion.hanoi(3, "a", "c", "b")
    assert len(capsys.readouterr().out.splitlines()) == 14


def test_ways_follows_the_coins():
    coins = [1, 2]
    assert recursion.ways(4, coins) == 3
    coins.append(4)
    assert recursion.ways(4, coins) == 4


def test_zeros():
    assert loops.zeros("abc") == {"a": 0, "b": 0, "c": 0}


def test_sample_keeps_what_it_drew():
    assert loops.sample(range(3), 5) == [0, 1, 2]


def test_known_rows():
    assert loops.known([(1, 2), (3, 4)], [[1, 2], [5, 6]]) == [[1, 2]]


def test_copy_and_seen():
    assert loops.copy_then_del(iter([1, 2])) == [1, 2]
    assert loops.seen_then_del([1, 1, 2]) == {1, 2}
