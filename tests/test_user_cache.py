"""The private per-user cache: pint's parsed unit definitions beside the generated code."""

import stat

from opioidsim import units


def test_pint_definitions_are_cached_in_a_private_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("OPIOIDSIM_CACHE", str(tmp_path / "cache"))
    registry = units.make_registry()
    assert registry("70 kg").to("g").magnitude == 70_000
    folder = tmp_path / "cache" / "pint"
    assert any(p.suffix == ".pickle" for p in folder.iterdir())
    assert not folder.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO)


def test_a_corrupt_definitions_cache_never_stops_the_package_loading(tmp_path, monkeypatch):
    # A truncated pickle (full disk, killed process) made pint raise on import.
    monkeypatch.setenv("OPIOIDSIM_CACHE", str(tmp_path / "cache"))
    units.make_registry()
    folder = tmp_path / "cache" / "pint"
    for entry in folder.iterdir():
        if not entry.name.startswith("."):
            entry.write_bytes(b"garbage")
    registry = units.make_registry()
    assert registry("1 h").to("min").magnitude == 60
    # The unreadable entries are gone; the next process writes the cache again.
    assert not any(p.read_bytes() == b"garbage" for p in folder.iterdir() if p.is_file())
    units.make_registry()
    assert any(p.suffix == ".pickle" for p in folder.iterdir())


def test_no_home_directory_does_not_stop_the_package_loading(tmp_path, monkeypatch):
    # Containers run with a random uid: no HOME and no passwd entry, so Path.home() raises.
    import pwd

    def no_entry(uid):
        raise KeyError(uid)

    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.setattr(pwd, "getpwuid", no_entry)
    monkeypatch.setenv("OPIOIDSIM_CACHE", str(tmp_path / "cache"))
    assert units.make_registry()("2 L").to("mL").magnitude == 2000
    monkeypatch.delenv("OPIOIDSIM_CACHE")
    assert units.make_registry()("2 L").to("mL").magnitude == 2000  # the temp-dir fallback
