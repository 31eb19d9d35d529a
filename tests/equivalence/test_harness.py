"""The equivalence harness itself notices differences, so a passing rule test means something."""

import pytest

from ._harness import assert_equivalent, assert_module_equivalent, same_value


def test_detects_different_results():
    with pytest.raises(AssertionError, match="result differs"):
        assert_equivalent("def f(x):\n    return x\n", "def f(x):\n    return x + 1\n", "f", (1,))


def test_detects_result_type():
    with pytest.raises(AssertionError, match="result differs"):
        assert_equivalent("def f(x):\n    return [x]\n", "def f(x):\n    return (x,)\n", "f", (1,))


def test_detects_exception_type():
    with pytest.raises(AssertionError, match="exception differs"):
        assert_equivalent("def f(x):\n    return x[0]\n", "def f(x):\n    return x['a']\n", "f", ([],))


def test_detects_printed_output():
    with pytest.raises(AssertionError, match="printed output"):
        assert_equivalent("def f(x):\n    print(x)\n", "def f(x):\n    pass\n", "f", (1,))


def test_detects_mutated_arguments():
    with pytest.raises(AssertionError, match="arguments after"):
        assert_equivalent("def f(x):\n    x.append(1)\n", "def f(x):\n    pass\n", "f", ([],))


def test_drains_generators():
    with pytest.raises(AssertionError, match="exception differs"):
        assert_equivalent("def f(x):\n    yield 1 / x\n", "def f(x):\n    yield 1\n", "f", (0,))


def test_module_globals():
    with pytest.raises(AssertionError, match="globals differ"):
        assert_module_equivalent("y = x * 2\n", "y = x * 3\n", {"x": 1}, ["y"])
    assert_module_equivalent("y = x * 2\n", "y = x + x\n", {"x": 1}, ["y"])


def test_same_value_nan_and_types():
    assert same_value(float("nan"), float("nan"))
    assert not same_value(1, 1.0)
    assert not same_value(True, 1)
