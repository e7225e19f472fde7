"""The layer rule of docs/architecture.md, read from the code's syntax trees.

An app may use an app of a strictly lower layer only: through an import (module level or inside a
function) or a string reference to a model (`apps.get_model("app", "Model")`,
`apps.get_model("app.Model")`, `ForeignKey("app.Model")`, `to="app.model"` in migrations).
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "dividend"

# Low to high; apps in one layer are siblings and do not use each other.
LAYERS = [
    ["common"],
    ["reference"],
    ["pools"],
    ["audit"],
    ["roster", "missions", "roles"],
    ["secondments", "accounts"],
    ["priorities", "care", "alerts", "careers", "targets", "commitments"],
    ["selection", "reports"],
    ["preparation", "performance"],
    ["accountability"],
    ["site"],
]
LAYER_OF = {app: number for number, apps in enumerate(LAYERS) for app in apps}

MODEL_FIELDS = {"ForeignKey", "OneToOneField", "ManyToManyField"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _string_arg(call: ast.Call, position: int, keyword: str):
    for kw in call.keywords:
        if kw.arg == keyword and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
            return kw.value.value
    if len(call.args) > position and isinstance(call.args[position], ast.Constant):
        value = call.args[position].value
        return value if isinstance(value, str) else None
    return None


def uses(path: Path, module: str | None = None):
    """(line, kind, target module or app label) for every use of Dividend code in one file."""
    module = module or _module_name(path)
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, "import", alias.name
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(node, module, path.name == "__init__.py")
            yield node.lineno, "import", target
            # `from dividend.roster import views` imports the submodule `views`.
            for alias in node.names:
                yield node.lineno, "import", f"{target}.{alias.name}"
        elif isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name == "get_model":
                label = _string_arg(node, 0, "app_label")
                if label:
                    yield node.lineno, "get_model", "dividend." + label.split(".")[0]
            elif name in MODEL_FIELDS:
                target = _string_arg(node, 0, "to")
                if target and "." in target:
                    yield node.lineno, "model reference", "dividend." + target.split(".")[0]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            # import_module("dividend.x.y") or a router given as "dividend.x.api.router"
            if re.fullmatch(r"dividend(\.\w+)+", node.value):
                yield node.lineno, "dotted string", node.value


def app_of(module: str):
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "dividend" and parts[1] in LAYER_OF else None


def app_files(app):
    return sorted((PACKAGE / app).rglob("*.py"))


def violations():
    """Every use of a sibling or higher app, as `file:line app uses ... (kind target)`."""
    found = []
    for app in LAYER_OF:
        for path in app_files(app):
            for line, kind, target in uses(path):
                other = app_of(target)
                if other is None or other == app or LAYER_OF[other] < LAYER_OF[app]:
                    continue
                relation = "sibling" if LAYER_OF[other] == LAYER_OF[app] else "higher"
                found.append(f"{path.relative_to(ROOT)}:{line} {app} uses {relation} app {other} ({kind} {target})")
    return found


def test_a_lower_app_never_uses_a_higher_one():
    assert violations() == []


def test_the_checker_sees_function_level_imports_and_model_strings(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(
        "def f():\n"
        "    from dividend.secondments.models import Secondment\n"
        "    apps.get_model('secondments', 'Secondment')\n"
        "    apps.get_model('missions.Mission')\n"
        "    models.ForeignKey('priorities.PriorityRun', on_delete=None)\n"
        "    migrations.AddField(field=models.ForeignKey(to='site.thing', on_delete=None))\n")
    found = sorted((kind, app_of(target)) for _, kind, target in uses(probe, "dividend.common.probe")
                   if app_of(target))
    assert found == [("get_model", "missions"), ("get_model", "secondments"), ("import", "secondments"),
                     ("import", "secondments"), ("model reference", "priorities"), ("model reference", "site")]


def test_common_imports_no_domain_app():
    used = {app_of(target) for path in app_files("common") for _, _, target in uses(path)}
    assert used - {None, "common"} == set()


def test_priorities_engine_imports_nothing_of_dividend_or_django():
    engine = PACKAGE / "priorities" / "engine"
    outside = [f"{path.relative_to(ROOT)}:{line} {target}" for path in sorted(engine.rglob("*.py"))
               for line, kind, target in uses(path) if kind == "import"
               and (target.split(".")[0] in {"django", "ninja"}
                    or target.startswith("dividend.") and not target.startswith("dividend.priorities.engine"))]
    assert outside == []


def test_selection_engine_imports_nothing_of_dividend_or_django():
    engine = PACKAGE / "selection" / "engine"
    outside = [f"{path.relative_to(ROOT)}:{line} {target}" for path in sorted(engine.rglob("*.py"))
               for line, kind, target in uses(path) if kind == "import"
               and (target.split(".")[0] in {"django", "ninja"}
                    or target.startswith("dividend.") and not target.startswith("dividend.selection.engine"))]
    assert sorted(engine.rglob("*.py")) and outside == []


def test_portfolio_engine_imports_nothing_of_dividend_or_django():
    engine = PACKAGE / "accountability" / "portfolio"
    outside = [f"{path.relative_to(ROOT)}:{line} {target}" for path in sorted(engine.rglob("*.py"))
               for line, kind, target in uses(path) if kind == "import"
               and (target.split(".")[0] in {"django", "ninja"}
                    or target.startswith("dividend.") and not target.startswith("dividend.accountability.portfolio"))]
    assert sorted(engine.rglob("*.py")) and outside == []


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*/api.py")), ids=lambda p: p.parent.name)
def test_api_modules_do_not_import_views(path):
    imported = [(line, target) for line, kind, target in uses(path)
                if kind == "import" and "views" in target.split(".")]
    assert imported == []


def test_the_architecture_document_states_the_same_layers():
    text = (ROOT / "docs" / "architecture.md").read_text()
    documented: dict[int, list[str]] = {}
    for number, app in re.findall(r"^\| (\d+) \| `(\w+)` \|", text, flags=re.MULTILINE):
        documented.setdefault(int(number), []).append(app)
    assert sorted(documented) == list(range(len(LAYERS)))
    assert [documented[number] for number in sorted(documented)] == LAYERS


def test_every_security_exception_is_reviewed_for_both_linters():
    """ruff's S308/S608 and bandit's B308+B703/B608 flag the same calls; CI runs both
    (robustness/static.py), and a line excused for ruff alone failed CI twice."""
    both = {"noqa: S308": "nosec B308 B703", "noqa: S608": "nosec B608"}
    unreviewed = [f"{path.relative_to(ROOT)}:{number}"
                  for path in sorted((ROOT / "dividend").rglob("*.py"))
                  for number, line in enumerate(path.read_text().splitlines(), 1)
                  for ruff, bandit in both.items()
                  if (ruff in line or (ruff == "noqa: S308" and "mark_safe(" in line and "import" not in line))
                  and not (ruff in line and bandit in line)]
    assert unreviewed == []
