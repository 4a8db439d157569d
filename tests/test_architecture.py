"""The shape of the code, checked like behaviour: layers point one way (import-linter),
modules stay small and functions simple (radon), Celery tasks live in each app's tasks.py."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from radon.complexity import cc_visit

ROOT = Path(__file__).resolve().parent.parent
APPS = ("config", "outbox", "vendors", "markets", "shop", "payments", "reports", "cms", "api")
MAX_LINES = 300
MAX_COMPLEXITY = 12


def app_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--config",
         str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree, env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=120,
    )


def test_no_module_is_longer_than_300_lines():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in app_modules()
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_no_function_is_more_complex_than_12():
    complex_ = {
        f"{path.relative_to(ROOT)}:{block.name}": block.complexity
        for path in app_modules()
        for block in cc_visit(path.read_text())
        if block.complexity > MAX_COMPLEXITY
    }
    assert complex_ == {}


def test_celery_tasks_live_in_each_apps_tasks_module():
    elsewhere = []
    for path in app_modules():
        if path.name == "tasks.py" or path.parent.name == "config":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and any(
                "shared_task" in ast.unparse(decorator) for decorator in node.decorator_list
            ):
                elsewhere.append(f"{path.relative_to(ROOT)}:{node.name}")
    assert elsewhere == []


@pytest.fixture(scope="module")
def source_copy(tmp_path_factory) -> Path:
    """The apps' Python sources and the contracts, copied so a probe can be added."""
    tree = tmp_path_factory.mktemp("source")
    for app in APPS:
        shutil.copytree(ROOT / app, tree / app,
                        ignore=shutil.ignore_patterns("__pycache__", "templates", "static"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def test_the_layers_hold(source_copy):
    result = lint_imports(source_copy)

    assert result.returncode == 0, result.stdout


def test_a_shop_module_importing_a_page_breaks_the_layers(source_copy):
    probe = source_copy / "shop" / "probe.py"
    probe.write_text("from cms.models import MarketPage  # noqa: F401\n")
    try:
        result = lint_imports(source_copy)
    finally:
        probe.unlink()

    assert result.returncode != 0
    assert "shop.probe -> cms.models" in result.stdout
