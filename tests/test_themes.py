"""Theme files: the bundled ones build real Textual themes; broken user files are reported, not fatal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tui.config import themes
from tui.config.themes import ThemeProblem, ThemeSpec

BUNDLED_NAMES = {"seqedit-dark", "seqedit-light", "seqedit-high-contrast", "seqedit-ansi"}


def _user_dir() -> Path:
    folder = themes.user_theme_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write(folder: Path, file_name: str, text: str) -> Path:
    path = folder / file_name
    path.write_text(text, encoding="utf-8")
    return path


def _generated(spec: ThemeSpec) -> dict[str, str]:
    theme = themes.to_textual_theme(spec)
    colours = theme.to_color_system().generate()
    colours.update(theme.variables)
    return colours


# --- the bundled files -----------------------------------------------------------------------


def test_the_four_bundled_themes_load_without_problems() -> None:
    specs, problems = themes.load_all(user=[])
    assert problems == []
    assert {spec.name for spec in specs} == BUNDLED_NAMES
    assert all(spec.origin == "bundled" for spec in specs)


def test_bundled_files_come_from_the_checkout_in_an_editable_install() -> None:
    names = {path.name for path in themes.bundled_theme_files()}
    assert names == {f"{name}.toml" for name in BUNDLED_NAMES}
    assert "README.md" not in names


@pytest.mark.parametrize("file", themes.bundled_theme_files(), ids=lambda path: path.name)
def test_every_bundled_file_builds_a_textual_theme_that_an_app_accepts(file) -> None:
    from textual.app import App
    from textual.theme import Theme

    spec = themes.load_theme_file(file, origin="bundled")
    assert isinstance(spec, ThemeSpec), spec
    theme = themes.to_textual_theme(spec)
    assert isinstance(theme, Theme) and theme.name == spec.name == file.name.removesuffix(".toml")
    app = App()
    app.register_theme(theme)
    app.theme = theme.name
    variables = app.get_css_variables()
    for name in themes.SEMANTIC_VARIABLES:
        assert variables[name] == spec.variables[name], name


@pytest.mark.parametrize("name", sorted(BUNDLED_NAMES))
def test_bundled_themes_define_every_semantic_variable(name: str) -> None:
    spec = next(spec for spec in themes.load_all(user=[])[0] if spec.name == name)
    assert set(themes.SEMANTIC_VARIABLES) <= set(spec.variables)


@pytest.mark.parametrize(
    ("name", "minimum"), [("seqedit-dark", 4.5), ("seqedit-light", 4.5), ("seqedit-high-contrast", 7.0)]
)
def test_text_colours_are_readable_on_the_background(name: str, minimum: float) -> None:
    spec = next(spec for spec in themes.load_all(user=[])[0] if spec.name == name)
    background = spec.background
    assert background is not None
    low = {}
    for variable in themes.SEMANTIC_VARIABLES:
        if variable.endswith("-background"):
            continue
        ratio = themes.contrast_ratio(spec.variables[variable], background)
        if ratio < minimum:
            low[variable] = round(ratio, 2)
    for variable in ("diff-add", "diff-remove"):
        ratio = themes.contrast_ratio(spec.variables[variable], spec.variables[f"{variable}-background"])
        if ratio < minimum:
            low[f"{variable} on its background"] = round(ratio, 2)
    for key in ("foreground", "primary", "error", "warning", "success"):
        ratio = themes.contrast_ratio(getattr(spec, key), background)
        if ratio < minimum:
            low[key] = round(ratio, 2)
    assert low == {}, f"{name}: below {minimum}:1 → {low}"


def test_high_contrast_keeps_textual_text_colours_at_aaa_on_every_surface() -> None:
    from textual.color import Color

    spec = next(spec for spec in themes.load_all(user=[])[0] if spec.name == "seqedit-high-contrast")
    colours = _generated(spec)
    low = {}
    for text_key in (
        "foreground",
        "text-primary",
        "text-error",
        "text-warning",
        "text-success",
        "footer-key-foreground",
    ):
        for surface_key in ("background", "surface", "panel"):
            text = Color.parse(colours[text_key]).hex[:7]
            surface = Color.parse(colours[surface_key]).hex[:7]
            ratio = themes.contrast_ratio(text, surface)
            if ratio < 7:
                low[f"{text_key} on {surface_key}"] = round(ratio, 2)
    cursor = themes.contrast_ratio(colours["block-cursor-foreground"], colours["block-cursor-background"])
    assert low == {} and cursor >= 7, (low, cursor)


def test_the_ansi_theme_mirrors_textuals_ansi_dark() -> None:
    from textual.theme import BUILTIN_THEMES

    spec = next(spec for spec in themes.load_all(user=[])[0] if spec.name == "seqedit-ansi")
    theme = themes.to_textual_theme(spec)
    reference = BUILTIN_THEMES["ansi-dark"]
    assert theme.ansi is True and theme.dark is True
    for key in (
        "primary",
        "secondary",
        "warning",
        "error",
        "success",
        "foreground",
        "background",
        "surface",
        "panel",
        "boost",
    ):
        assert getattr(theme, key).startswith("ansi_"), key
        assert getattr(theme, key) == getattr(reference, key), key
    for key, value in reference.variables.items():
        assert theme.variables[key] == value, key
    generated = theme.to_color_system().generate()
    assert generated["background"] == "ansi_default"
    assert all(value.startswith("ansi_") for name, value in theme.variables.items() if not name.endswith("style"))


# --- user themes -----------------------------------------------------------------------------

GOOD_USER_THEME = """
name = "my-theme"
primary = "#336699"
background = "#101010"
[variables]
merge-tag = "crimson"
diff-add-background = "#00ff00 20%"
"""


def test_user_files_are_read_from_the_data_dir_themes_folder(tmp_path: Path) -> None:
    folder = _user_dir()
    _write(folder, "mine.toml", GOOD_USER_THEME)
    _write(folder, "notes.txt", "not a theme")
    assert [path.name for path in themes.user_theme_files()] == ["mine.toml"]
    specs, problems = themes.load_all()
    assert problems == []
    mine = next(spec for spec in specs if spec.name == "my-theme")
    assert mine.origin == "user" and mine.source == str(folder / "mine.toml")
    assert {spec.name for spec in specs} == BUNDLED_NAMES | {"my-theme"}
    built, build_problems = themes.textual_themes(specs)
    assert build_problems == []
    assert {theme.name for theme in built} == BUNDLED_NAMES | {"my-theme"}


def test_no_user_folder_means_no_user_themes() -> None:
    assert not themes.user_theme_dir().exists()
    assert themes.user_theme_files() == []


BROKEN_FILES = {
    "syntax.toml": ('name = "x"\nprimary = "#fff', None, "not valid TOML"),
    "no-name.toml": ('primary = "#ffffff"', "name", "missing"),
    "bad-name.toml": ('name = "Has Spaces"\nprimary = "#fff"', "name", "lowercase"),
    "no-primary.toml": ('name = "no-primary"', "primary", "missing"),
    "bad-hex.toml": ('name = "bad-hex"\nprimary = "#12345"', "primary", "not a colour"),
    "bad-ansi.toml": ('name = "bad-ansi"\nprimary = "ansi_purple"', "primary", "not an ANSI colour"),
    "typo.toml": ('name = "typo"\nprimary = "#fff"\nbackgound = "#000"', "backgound", "unknown key"),
    "not-bool.toml": ('name = "not-bool"\nprimary = "#fff"\ndark = "yes"', "dark", "true or false"),
    "spread.toml": ('name = "spread"\nprimary = "#fff"\nluminosity_spread = 3', "luminosity_spread", "from 0 to 1"),
    "var-type.toml": (
        'name = "var-type"\nprimary = "#fff"\n[variables]\nmerge-tag = 3',
        "variables.merge-tag",
        "string",
    ),
    "var-css.toml": (
        'name = "var-css"\nprimary = "#fff"\n[variables]\nmerge-tag = "red; } * { display: none"',
        "variables.merge-tag",
        "single plain CSS value",
    ),
    "var-ref.toml": (
        'name = "var-ref"\nprimary = "#fff"\n[variables]\nmerge-tag = "$accent"',
        "variables.merge-tag",
        "single plain CSS value",
    ),
    "var-style.toml": (
        'name = "var-style"\nprimary = "#fff"\n[variables]\nlink-style = "sparkly"',
        "variables.link-style",
        "text style",
    ),
    "binary.toml": (b"\xff\xfe\x00", None, "not UTF-8"),
}


@pytest.mark.parametrize("file_name", sorted(BROKEN_FILES))
def test_a_broken_user_theme_is_reported_naming_file_and_key_and_skipped(file_name: str) -> None:
    text, key, words = BROKEN_FILES[file_name]
    folder = _user_dir()
    path = folder / file_name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    _write(folder, "zz-good.toml", GOOD_USER_THEME)

    specs, problems = themes.load_all()

    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.source == str(path)
    assert problem.key == key
    assert words in problem.message
    message = str(problem)
    assert message.startswith(str(path)) and (key is None or f": {key}:" in message)
    assert "\n" not in message
    names = {spec.name for spec in specs}
    assert "my-theme" in names and names >= BUNDLED_NAMES
    assert file_name.removesuffix(".toml") not in names


def test_a_colour_name_textual_does_not_know_is_caught_when_building() -> None:
    folder = _user_dir()
    path = _write(folder, "odd.toml", 'name = "odd"\nprimary = "blurple"\n')
    specs, problems = themes.load_all()
    assert problems == []
    built, build_problems = themes.textual_themes(specs)
    assert [str(problem) for problem in build_problems] == [f"{path}: primary: 'blurple' is not a colour Textual knows"]
    assert "odd" not in {theme.name for theme in built}
    assert {theme.name for theme in built} >= BUNDLED_NAMES


def test_a_bad_variable_colour_is_caught_when_building() -> None:
    folder = _user_dir()
    _write(folder, "odd.toml", 'name = "odd"\nprimary = "#fff"\n[variables]\nmerge-tag = "blurple 50%"\n')
    specs, _ = themes.load_all()
    _, build_problems = themes.textual_themes(specs)
    assert [(problem.key, "blurple" in problem.message) for problem in build_problems] == [
        ("variables.merge-tag", True)
    ]


def test_hostile_text_in_a_file_name_or_value_is_made_harmless(tmp_path: Path) -> None:
    folder = _user_dir()
    _write(folder, "evil\x1b[31m.toml", 'name = "evil"\nprimary = "\\u001b]52;c;aGk=\\u0007"\n')
    _, problems = themes.load_all()
    assert len(problems) == 1
    message = str(problems[0])
    assert "\x1b" not in message and "\x07" not in message
    assert problems[0].key == "primary"


def test_a_user_theme_with_a_bundled_name_replaces_the_bundled_one() -> None:
    folder = _user_dir()
    _write(folder, "my-dark.toml", 'name = "seqedit-dark"\nprimary = "#ff00ff"\n')
    specs, problems = themes.load_all()
    assert problems == []
    dark = [spec for spec in specs if spec.name == "seqedit-dark"]
    assert len(dark) == 1 and dark[0].primary == "#ff00ff" and dark[0].origin == "user"
    others = {spec.name: spec.origin for spec in specs if spec.name != "seqedit-dark"}
    assert others == {"seqedit-light": "bundled", "seqedit-high-contrast": "bundled", "seqedit-ansi": "bundled"}


def test_two_user_files_with_one_name_keep_the_first_and_report_the_second() -> None:
    folder = _user_dir()
    _write(folder, "a.toml", 'name = "twin"\nprimary = "#111111"\n')
    second = _write(folder, "b.toml", 'name = "twin"\nprimary = "#222222"\n')
    specs, problems = themes.load_all()
    assert [spec.primary for spec in specs if spec.name == "twin"] == ["#111111"]
    assert len(problems) == 1 and problems[0].source == str(second) and problems[0].key == "name"
    assert "a.toml" in problems[0].message


def test_a_user_theme_cannot_take_a_textual_builtin_name() -> None:
    folder = _user_dir()
    _write(folder, "nord.toml", 'name = "nord"\nprimary = "#ff0000"\n')
    specs, problems = themes.load_all()
    assert problems == []
    built, build_problems = themes.textual_themes(specs)
    assert len(build_problems) == 1 and build_problems[0].key == "name" and "built-in" in build_problems[0].message
    assert "nord" not in {theme.name for theme in built}


def test_an_unreadable_user_folder_entry_is_reported(tmp_path: Path) -> None:
    folder = _user_dir()
    (folder / "dir.toml").mkdir()
    target = _write(folder, "link-target-missing.toml", "")
    target.unlink()
    (folder / "dangling.toml").symlink_to(tmp_path / "nowhere.toml")
    specs, problems = themes.load_all()
    assert {spec.name for spec in specs} == BUNDLED_NAMES
    # A directory named *.toml is not a theme file; a dangling link is not a file either.
    assert problems == []


def test_an_unreadable_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    missing = tmp_path / "gone.toml"
    result = themes.load_theme_file(missing)
    assert isinstance(result, ThemeProblem) and "cannot be read" in result.message


# --- semantic defaults and the pure-module rule ----------------------------------------------


@pytest.mark.parametrize("builtin", ["textual-dark", "textual-light", "nord", "ansi-dark"])
def test_semantic_defaults_let_app_css_use_our_variables_under_textual_builtins(builtin: str) -> None:
    from textual.app import App
    from textual.theme import BUILTIN_THEMES

    class Probe(App):
        CSS = "Screen { color: $merge-tag; background: $diff-add-background; }"

        def get_theme_variable_defaults(self) -> dict[str, str]:
            return themes.semantic_defaults(self.current_theme.to_color_system().generate())

    app = Probe()
    app.theme = builtin
    variables = app.get_css_variables()
    defaults = themes.semantic_defaults(BUILTIN_THEMES[builtin].to_color_system().generate())
    assert set(themes.SEMANTIC_VARIABLES) == set(defaults)
    for name in themes.SEMANTIC_VARIABLES:
        assert variables[name] == defaults[name]
    app.stylesheet.set_variables(variables)
    app.stylesheet.add_source(Probe.CSS, read_from=("probe", "css"))
    app.stylesheet.parse()  # raises StylesheetParseError if $merge-tag did not resolve


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert themes.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert themes.contrast_ratio("#fff", "#fff") == pytest.approx(1.0)
    assert themes.contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    with pytest.raises(ValueError):
        themes.contrast_ratio("ansi_red", "#000")


def test_the_themes_module_does_not_import_textual() -> None:
    code = (
        "import sys, tui.config.themes as t; t.load_all(); "
        "print([m for m in sys.modules if m == 'textual' or m.startswith('textual.')])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_an_unusable_data_dir_is_reported_not_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("SEQEDIT_DATA_DIR", str(blocker / "data"))
    specs, problems = themes.load_all()
    assert {spec.name for spec in specs} == BUNDLED_NAMES
    assert len(problems) == 1 and "cannot be read" in problems[0].message
    assert str(blocker) in problems[0].source
