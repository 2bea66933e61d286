"""Line numbers of TOML keys, which tomllib does not give but error messages need."""

from scheduler.imports.toml_lines import TomlLines, key_path_text

TEXT = """\
name = "x"  # a comment with [brackets] and = signs
[horizon]
days = 7
[[sites]]
id = "a"
note = '''several
lines'''
shifts = [
  { id = "early", start = "07:00", hours = 8 },
  { id = "late",
    start = "15:00", hours = 8 },
]
[sites.rules]
min_rest_hours = 11
[[sites]]
rules.max_consecutive_days = 5
extra_holidays = [2027-03-18, 2027-03-19]
"""


def test_keys_of_tables_and_array_tables():
    lines = TomlLines(TEXT)
    assert lines.line_of(("horizon", "days")) == 3
    assert lines.line_of(("sites", 0, "id")) == 5
    assert lines.line_of(("sites", 0, "rules", "min_rest_hours")) == 14
    assert lines.line_of(("sites", 1, "rules", "max_consecutive_days")) == 16
    assert lines.line_of(("sites", 1, "extra_holidays", 1)) == 17


def test_inline_tables_over_several_lines():
    lines = TomlLines(TEXT)
    assert lines.line_of(("sites", 0, "shifts", 0, "hours")) == 9
    assert lines.line_of(("sites", 0, "shifts", 1, "id")) == 10
    assert lines.line_of(("sites", 0, "shifts", 1, "start")) == 11


def test_missing_key_falls_back_to_its_table():
    assert TomlLines(TEXT).line_of(("sites", 1, "timezone")) == 15
    assert TomlLines(TEXT).line_of(("nowhere",)) is None


def test_key_path_text():
    assert key_path_text(("sites", 2, "shifts", 0, "hours")) == "sites[2].shifts[0].hours"
