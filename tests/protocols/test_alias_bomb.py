"""A YAML alias bomb (under 1 kB, 10^13 items when printed) fails fast with one line.

Since issue 20 (session 8) the loader refuses it while composing (more than MAX_ALIASES
aliases), before anything is built; ``show`` still abridges huge values that get through.
"""

import time

import pytest

from opioidsim.errors import ConfigError
from opioidsim.field_errors import show
from opioidsim.io.config import load_scenario

# A hang guard, not a timing: the bomb expanded would take hours; 10 s leaves a loaded CI
# machine room (a 1 s bound once failed there on a 6 ms load, stop 28).
HANG_GUARD_S = 10.0


def _bomb() -> str:
    levels = ["&a0 [" + ", ".join(["lol"] * 10) + "]"]
    levels += [f"&a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 13)]
    return (
        f"name: [{', '.join(levels)}]\n"
        "subject: {species: human, sex: male, body_weight: 70 kg}\n"
        "duration: 1 d\noutput_interval: 1 h\ndoses: []\n"
    )


def test_an_alias_bomb_in_a_scenario_gives_one_line_within_seconds(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(_bomb())
    assert path.stat().st_size < 1000
    start = time.perf_counter()
    with pytest.raises(
        ConfigError, match=r"bomb\.yaml, line 1: got invalid YAML \(more than 100 aliases\)"
    ):
        load_scenario(path)
    assert time.perf_counter() - start < HANG_GUARD_S


def test_show_abridges_a_huge_value_and_keeps_small_ones_exact():
    nested = ["x"] * 10
    for _ in range(8):
        nested = [nested] * 10
    assert len(show(nested)) <= 60
    assert show({"b": 1, "a": [1, 2]}) == "{'b': 1, 'a': [1, 2]}"
    assert show(None) == "null"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("size: 3\nseed: 2024-13-01\n", r"YAML cannot read \(month must be in 1..12\)"),
        ("size: 3\nseed: 1\nseed: 2\n", r"line 3: got invalid YAML \(key 'seed' given twice"),
        ("size: 3\nseed: 1\nx: " + "[" * 1000 + "]" * 1000 + "\n", r"nested deeper than 32"),
        (_bomb().replace("name:", "size:", 1), r"more than 100 aliases"),
    ],
    ids=["impossible-date", "duplicate-key", "deep-nesting", "alias-bomb"],
)
def test_population_and_trial_files_use_the_same_safe_loader(tmp_path, text, message):
    from opioidsim.population.spec import load_population_spec
    from opioidsim.trials.design import load_trial

    path = tmp_path / "input.yaml"
    path.write_text(text)
    for load in (load_population_spec, load_trial):
        start = time.perf_counter()
        with pytest.raises(ConfigError, match=message):
            load(path)
        assert time.perf_counter() - start < HANG_GUARD_S


def test_input_files_over_the_size_bound_are_refused_before_reading(tmp_path):
    from opioidsim.population.spec import load_population_spec
    from opioidsim.safe_yaml import MAX_INPUT_BYTES
    from opioidsim.trials.design import load_trial

    path = tmp_path / "huge.yaml"
    path.write_text("size: 3\n# " + "x" * MAX_INPUT_BYTES + "\n")
    for load in (load_scenario, load_population_spec, load_trial):
        start = time.perf_counter()
        with pytest.raises(ConfigError, match=r"huge\.yaml: got a file of \d+ bytes; .* at most"):
            load(path)
        assert time.perf_counter() - start < HANG_GUARD_S


def test_a_few_aliases_still_work(tmp_path):
    path = tmp_path / "aliases.yaml"
    path.write_text(
        "subject: &who {species: human, sex: male, body_weight: 70 kg}\n"
        "duration: 1 d\noutput_interval: 1 h\n"
        "doses:\n  - &d {drug: morphine, amount: 5 mg, route: iv, time: 0 h}\n"
        "  - {<<: *d, time: 6 h}\n"
    )
    scenario = load_scenario(path)
    assert len(scenario.doses) == 2
