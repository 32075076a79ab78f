"""The generated-code cache cannot be planted: private directory, verified before import."""

import os
import stat
import sys

from opioidsim.engine import compile as compile_module
from opioidsim.engine.compile import _cache_dir, compile_model
from opioidsim.model.default import build_model


def _own_cache(tmp_path, monkeypatch):
    """This test's cache, and empty in-memory caches: a model compiled earlier in this
    process under another cache would otherwise come back with that cache's path (and a
    plant would land in the user's real cache, which other processes read)."""
    monkeypatch.setenv("OPIOIDSIM_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(compile_module, "_COMPILED", {})
    monkeypatch.setattr(compile_module, "_BY_MODEL", {})


def test_a_line_planted_in_a_cached_module_never_runs(tmp_path, monkeypatch):
    _own_cache(tmp_path, monkeypatch)
    model = build_model(["morphine"])
    compiled = compile_model(model)
    path = compiled.source_path
    original = path.read_text(encoding="utf-8")
    marker = tmp_path / "planted-ran"
    path.write_text(original + f"\nopen({str(marker)!r}, 'w').write('x')\n", encoding="utf-8")
    _fresh_process(monkeypatch, path)
    again = compile_model(model)
    assert not marker.exists()
    assert again.source_path.read_text(encoding="utf-8") == original
    assert compiled.source_path.parent == tmp_path / "cache" / "codegen"


def test_the_cache_directory_is_private_even_if_created_world_writable(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    (shared / "codegen").mkdir(parents=True)
    os.chmod(shared, 0o777)
    os.chmod(shared / "codegen", 0o777)
    monkeypatch.setenv("OPIOIDSIM_CACHE", str(shared))
    codegen = _cache_dir()
    for path in (shared, codegen):
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0


def _fresh_process(monkeypatch, path):
    """Empty the in-memory caches, as a new process would start."""
    monkeypatch.setattr(compile_module, "_COMPILED", {})
    monkeypatch.setattr(compile_module, "_BY_MODEL", {})
    monkeypatch.delitem(sys.modules, f"opioidsim_model_{path.stem.rsplit('_', 1)[-1]}")


def test_a_model_compiled_before_is_found_without_generating_its_source(tmp_path, monkeypatch):
    _own_cache(tmp_path, monkeypatch)
    model = build_model(["morphine"])
    first = compile_model(model)
    assert first.source_path.parent == tmp_path / "cache" / "codegen"
    _fresh_process(monkeypatch, first.source_path)

    def no_generation(_model):
        raise AssertionError("the source was generated again")

    monkeypatch.setattr(compile_module, "_generate_source", no_generation)
    again = compile_model(model)
    assert again.source_path == first.source_path
    assert again.jacobian_pattern == first.jacobian_pattern
    assert again.n_derived == first.n_derived


def test_an_edited_module_behind_the_index_is_regenerated_not_imported(tmp_path, monkeypatch):
    _own_cache(tmp_path, monkeypatch)
    model = build_model(["morphine"])
    first = compile_model(model)
    original = first.source_path.read_text(encoding="utf-8")
    marker = tmp_path / "planted-ran"
    first.source_path.write_text(
        original + f"\nopen({str(marker)!r}, 'w').write('x')\n", encoding="utf-8"
    )
    _fresh_process(monkeypatch, first.source_path)
    again = compile_model(model)
    assert not marker.exists()
    assert again.source_path.read_text(encoding="utf-8") == original


def test_a_module_changed_after_its_check_does_not_run(tmp_path, monkeypatch):
    # The text that was verified is what runs, not the file read again.
    _own_cache(tmp_path, monkeypatch)
    model = build_model(["morphine"])
    first = compile_model(model)
    _fresh_process(monkeypatch, first.source_path)
    marker = tmp_path / "planted-ran"
    verified = compile_module._from_index

    def plant_after_check(key):
        found = verified(key)
        text = first.source_path.read_text(encoding="utf-8")
        first.source_path.write_text(
            text + f"\nopen({str(marker)!r}, 'w').write('x')\n", encoding="utf-8"
        )
        return found

    monkeypatch.setattr(compile_module, "_from_index", plant_after_check)
    compile_model(model)
    assert not marker.exists()
