"""The Qt-free layers stay Qt-free when imported for real."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

QT_FREE = [
    "voiceprint_studio.api",
    "voiceprint_studio.audio",
    "voiceprint_studio.local",
    "voiceprint_studio.transfer",
]


@pytest.mark.parametrize("module", QT_FREE)
def test_layer_imports_without_qt(module: str) -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        f"pkg = importlib.import_module({module!r})\n"
        "for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "    if not info.name.endswith('__main__'):\n"
        "        importlib.import_module(info.name)\n"
        "qt = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(qt))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "", f"{module} pulled in Qt: {out.stdout.strip()}"


def test_command_line_does_not_import_qt() -> None:
    code = (
        "import sys\n"
        "from voiceprint_studio import main\n"
        "try:\n"
        "    main.main(['--version'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('PySide6' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.splitlines()[-1] == "False"
    assert "voiceprint-studio" in out.stdout


def test_api_records_and_errors_load_without_the_http_stack() -> None:
    code = (
        "import sys\n"
        "from voiceprint_studio.api import ApiError, AudioUpload, VoiceprintGroup\n"
        "from voiceprint_studio.api.errors import NotFoundError\n"
        "print(sorted(m for m in ('httpx', 'stamina', 'orjson') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


def test_offline_backend_lists_without_numpy(tmp_path: Path) -> None:
    code = (
        "import sys, httpx\n"
        "from voiceprint_studio.local.app import create_app\n"
        f"app = create_app({str(tmp_path)!r}, 't')\n"
        "c = httpx.Client(transport=httpx.WSGITransport(app=app), base_url='http://localhost',\n"
        "                 headers={'Authorization': 'Bearer t'})\n"
        "assert c.get('/v1/audio/voiceprint_groups').json()['code'] == 0\n"
        "app.close()\n"
        "print(sorted(m for m in ('numpy', 'soundfile') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


def _import_cycles(package: str) -> list[list[str]]:
    """Groups of modules of ``package`` that import each other (Tarjan's SCCs > 1)."""
    import grimp

    graph = grimp.build_graph(package, cache_dir=None)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return cycles


def test_no_import_cycles() -> None:
    # Imports under TYPE_CHECKING count too: a cycle there is a tangle a reader must untie.
    assert _import_cycles("voiceprint_studio") == []
