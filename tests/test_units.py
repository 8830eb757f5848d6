"""Unit algebra: what products and quotients give, and how suffixes scale."""

from alvh_rules.lang import units as u


def test_percent_of_a_quantity_is_that_quantity() -> None:
    assert u.PERCENT * u.DOLLARS == u.DOLLARS
    assert u.DOLLARS * u.PERCENT == u.DOLLARS


def test_percent_of_a_percent_stays_a_percent() -> None:
    assert u.PERCENT * u.PERCENT == u.PERCENT
    assert u.PERCENT * u.NUMBER == u.PERCENT


def test_ratio_of_like_quantities_is_a_plain_number() -> None:
    assert u.DOLLARS_PER_VOL_POINT / u.DOLLARS_PER_VOL_POINT == u.NUMBER
    assert u.PERCENT / u.PERCENT == u.NUMBER
    assert u.PERCENT / u.NUMBER == u.PERCENT


def test_vega_per_theta_is_days_per_vol_point() -> None:
    ratio = u.DOLLARS_PER_VOL_POINT / u.DOLLARS_PER_DAY
    assert ratio.exponents == (0, 0, -1, 1, 0)
    assert str(ratio) == "d/vp"


def test_delta_and_vega_differ() -> None:
    assert u.DOLLARS_PER_POINT != u.DOLLARS_PER_VOL_POINT


def test_suffix_scales() -> None:
    assert u.SUFFIXES["%"].scale == 0.01
    assert u.SUFFIXES["bp"].scale == 0.0001
    assert u.SUFFIXES["bp"].unit == u.SUFFIXES["%"].unit


def test_named_units_round_trip_through_format() -> None:
    for name, unit in u.NAMED_UNITS.items():
        assert u.parse_unit(name) == unit
        assert u.format_unit(unit) == name


def test_a_ratio_scales_a_quantity_and_is_plain_beside_a_number() -> None:
    assert u.RATIO * u.DOLLARS_PER_VOL_POINT == u.DOLLARS_PER_VOL_POINT
    assert u.RATIO * u.NUMBER == u.RATIO
    assert u.RATIO / u.RATIO == u.NUMBER
    assert u.compatible(u.RATIO, u.NUMBER)
    assert not u.compatible(u.RATIO, u.PERCENT)
    assert u.SUFFIXES["x"].unit == u.RATIO


def test_a_bare_number_takes_only_units_without_a_second_reading() -> None:
    for unit in (u.NUMBER, u.DAYS, u.DELTA_POINTS, u.POINTS, u.VOL_POINTS):
        assert u.may_take(unit), unit
    for unit in (u.PERCENT, u.RATIO, u.DOLLARS, u.DOLLARS_PER_VOL_POINT, u.DOLLARS_PER_DAY):
        assert not u.may_take(unit), unit


def test_the_fix_names_both_readings_of_a_bare_percent() -> None:
    assert u.bare_number_fix(12, u.PERCENT) == "12% or 0.12%"
    assert u.bare_number_fix(1, u.PERCENT) == "1% or 100%"
    assert u.bare_number_fix(-180, u.DOLLARS_PER_VOL_POINT) == "-180$/vp"
    assert u.bare_number_fix(12, u.RATIO) == "12x"


def test_the_fix_writes_numbers_as_a_trader_does() -> None:
    # `given capital = 1000000` was told "write 1e+06$"
    assert u.bare_number_fix(1_000_000, u.parse_unit("$")) == "1000000$"
    assert u.bare_number_fix(0.12, u.PERCENT) == "0.12% or 12%"
    assert u.bare_number_fix(2.5, u.parse_unit("x")) == "2.5x"
