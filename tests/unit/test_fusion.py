"""Rank fusion: what a reader expects from combining two result lists."""
from app.semantic.fusion import rrf


def test_an_item_found_by_both_lists_outranks_one_found_by_a_single_list():
    assert rrf([["a", "b", "c"], ["c", "d"]])[0] == "c"


def test_items_found_by_only_one_list_keep_their_relative_order():
    fused = rrf([["a", "b", "c"], ["x", "y"]])
    assert fused.index("a") < fused.index("b") < fused.index("c")
    assert fused.index("x") < fused.index("y")
    assert sorted(fused) == ["a", "b", "c", "x", "y"]


def test_equal_ranks_in_two_lists_alternate_starting_with_the_first_list():
    assert rrf([["a", "b"], ["x", "y"]]) == ["a", "x", "b", "y"]


def test_a_weight_of_zero_leaves_the_first_ranking_unchanged_and_appends_the_rest():
    assert rrf([["a", "b", "c"], ["c", "z"]], weights=[1.0, 0.0]) == ["a", "b", "c", "z"]


def test_a_heavier_second_list_wins_ties_of_rank():
    assert rrf([["a"], ["x"]], weights=[1.0, 2.0]) == ["x", "a"]


def test_empty_rankings_give_nothing():
    assert rrf([[], []]) == []
