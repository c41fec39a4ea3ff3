"""The README shows the example plugin whole, and its test command is CI's."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEMO = ROOT / "tests" / "example_plugins" / "memo"


def test_readme_shows_the_example_plugin_as_it_is_on_disk():
    readme = (ROOT / "README.md").read_text()
    for path in (
        MEMO / "__init__.py",
        MEMO / "models.py",
        *sorted((MEMO / "migrations" / "versions").glob("*.py")),
    ):
        assert path.read_text() in readme, f"README shows an outdated {path.relative_to(ROOT)}"


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / "README.md").read_text()
    assert "\nmake test\n" in (ROOT / ".ci" / "run").read_text()
