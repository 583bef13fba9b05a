from helpers import Neglect


def test_version_prints_package_version(neglect: Neglect) -> None:
    from neglect_cli import __version__

    ran = neglect("--version")
    assert ran.exit_code == 0
    assert __version__ in ran.stdout


def test_shipped_tools_are_listed(neglect: Neglect) -> None:
    ran = neglect("tools", "list", "--format", "json")
    assert ran.exit_code == 0
    assert "neglect-core" in ran.stdout and "neglect-screening" in ran.stdout
