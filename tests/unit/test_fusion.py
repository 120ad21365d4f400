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


def test_a_vietnamese_question_without_diacritics_is_told_from_english_and_accented_text():
    from app.semantic.language import unaccented_vietnamese

    assert unaccented_vietnamese("xu phat dang tin sai su that tren mang xa hoi")
    assert unaccented_vietnamese("Nguoi lao dong duoc nghi bao nhieu ngay?")
    assert not unaccented_vietnamese("xử phạt đăng tin sai sự thật")
    assert not unaccented_vietnamese("What are the fines for posting fake news online?")
    assert not unaccented_vietnamese("Quelles sanctions pour les fausses informations ?")
    assert not unaccented_vietnamese("1079/QĐ-TTg")
    assert not unaccented_vietnamese("")


def test_convex_fusion_keeps_a_strong_lexical_first_hit_against_a_weak_vector_signal():
    from app.semantic.fusion import convex

    lexical = {"a": 30.0, "b": 12.0, "c": 11.0}
    vector = {"c": 0.93, "b": 0.92, "z": 0.91}
    assert convex(lexical, vector, 0.3)[0] == "a"
    assert convex(lexical, vector, 0.3).index("c") < convex(lexical, vector, 0.3).index("b")
    assert convex({}, vector, 0.3) == ["c", "b", "z"]  # nothing lexical: the nearest first
