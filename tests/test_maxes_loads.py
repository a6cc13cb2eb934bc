"""The one way a %1RM or %TM prescription becomes a client's load: their max, the percentage,
rounded to the plate increment of their unit. Pure functions: no database."""

import pytest

from fitr.maxes.loads import (
    ESTIMATED,
    ONE_RM,
    TRAINING_MAX,
    Max,
    choose_max,
    resolve_load,
    round_to_plates,
)

SQUAT_1RM = Max(ONE_RM, 110, "coach")


def test_a_percentage_of_the_1rm_is_the_load_in_kg_on_2_5_kg_plates():
    load = resolve_load(75, "%1rm", SQUAT_1RM, "kg")
    assert (load.value, load.text, load.kg) == (82.5, "82.5 kg", 82.5)
    assert resolve_load(77, "%1rm", Max(ONE_RM, 100, "coach"), "kg").text == "77.5 kg"  # 77 kg: nearest 2.5


def test_a_client_in_lb_gets_the_load_in_lb_on_5_lb_plates():
    load = resolve_load(75, "%1rm", SQUAT_1RM, "lb")  # 110 kg = 242.5 lb; 75% = 181.9 lb
    assert load.text == "180 lb"
    assert load.kg == pytest.approx(81.65, abs=0.01)  # saved as exactly the 180 lb shown


def test_the_coachs_plate_increments_round_the_load():
    assert resolve_load(77, "%1rm", Max(ONE_RM, 100, "coach"), "kg", plate_kg=1).text == "77 kg"
    assert resolve_load(75, "%1rm", SQUAT_1RM, "lb", plate_lb=2.5).text == "182.5 lb"


def test_halves_round_up_not_to_even():
    assert round_to_plates(83.75, 2.5) == 85
    assert round_to_plates(81.25, 2.5) == 82.5


def test_a_percentage_of_the_training_max_takes_it_as_90_percent_of_a_known_1rm():
    load = resolve_load(80, "%tm", SQUAT_1RM, "kg")  # TM 99 kg; 80% = 79.2 kg
    assert load.text == "80 kg" and load.derived
    assert load.explain() == "80% of your training max (99 kg: 90% of your 1RM, 110 kg)"


def test_a_percentage_of_the_1rm_works_from_a_training_max_alone():
    load = resolve_load(70, "%1rm", Max(TRAINING_MAX, 90, "coach"), "kg")  # 1RM taken as 100 kg
    assert load.text == "70 kg" and load.derived
    direct = resolve_load(80, "%tm", Max(TRAINING_MAX, 90, "coach"), "kg")
    assert direct.text == "72.5 kg" and not direct.derived and direct.explain() == "80% of your training max (90 kg)"


def test_with_no_max_known_the_client_has_the_percentage_and_no_load():
    load = resolve_load(75, "%1rm", None, "kg")
    assert not load.known and load.text == "" and load.kg is None and load.percent_text == "75% 1RM"


def test_a_load_in_kg_or_lb_is_not_a_percentage():
    assert resolve_load(100, "kg", SQUAT_1RM, "kg") is None
    assert resolve_load(None, "%1rm", SQUAT_1RM, "kg") is None


def test_the_estimated_1rm_counts_only_where_the_program_allows_it():
    assert choose_max(None, 116.7, use_estimated=False) is None
    estimated = choose_max(None, 116.7, use_estimated=True)
    assert estimated == Max(ONE_RM, 116.7, ESTIMATED)
    assert resolve_load(75, "%1rm", estimated, "kg").explain() == "75% of your estimated 1RM (116.7 kg)"
    assert choose_max(SQUAT_1RM, 116.7, use_estimated=True) is SQUAT_1RM  # a max set wins
    assert choose_max(None, None, use_estimated=True) is None
