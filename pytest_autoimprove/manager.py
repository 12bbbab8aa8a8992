"""The hook manager outside pytest, and the registration of our built-in plugins.

Inside ``pytest --autoimprove`` the hooks live in pytest's own plugin manager, so a
conftest.py can implement them. The standalone ``autoimprove-guard`` CLI has no
pytest session, so it builds a manager of its own with the same specs, the same
built-ins and the same ``pytest_autoimprove`` entry point group. Built-in proposers
and generators are registered like any third-party plugin (and can be overridden
like one).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from pytest_autoimprove.generators.catalog import GoalFamily

#: Third-party proposers and generators register under this entry point group.
ENTRY_POINT_GROUP = "pytest_autoimprove"
#: The built-in plugins, in the order they are asked (later registered = asked first).
BUILTIN_PLUGINS: tuple[str, ...] = (
    "pytest_autoimprove.proposers.command",
    "pytest_autoimprove.proposers.agent",
    "pytest_autoimprove.proposers.tune",
    "pytest_autoimprove.loop.executors",
    "pytest_autoimprove.generators.performance",
    "pytest_autoimprove.generators.quality",
    "pytest_autoimprove.generators.footprint",
)


def register_builtins(manager: pluggy.PluginManager) -> None:
    """Register the built-in plugins and third-party entry points once."""
    for name in BUILTIN_PLUGINS:
        if manager.get_plugin(name) is None and not manager.is_blocked(name):
            manager.register(importlib.import_module(name), name=name)
    manager.load_setuptools_entrypoints(ENTRY_POINT_GROUP)


def standalone_manager() -> pluggy.PluginManager:
    """A manager for the CLI: our specs, built-ins and entry points, checked for typos."""
    from pytest_autoimprove import hookspec

    manager = pluggy.PluginManager("pytest")
    manager.add_hookspecs(hookspec)
    register_builtins(manager)
    check_names(manager)
    return manager


def check_names(manager: pluggy.PluginManager) -> None:
    """Fail loudly on a misspelled ``pytest_autoimprove_*`` hook in any plugin.

    pluggy's ``check_pending`` would also reject the ordinary pytest hooks a
    dual-purpose plugin implements, so only our own prefix is checked here.
    """
    from pytest_autoimprove import hookspec

    known = {name for name in vars(hookspec) if name.startswith("pytest_autoimprove_")}
    for plugin in manager.get_plugins():
        for name in dir(plugin):
            if name.startswith("pytest_autoimprove_") and name not in known:
                where = manager.get_name(plugin) or repr(plugin)
                raise pluggy.PluginValidationError(
                    plugin,
                    f"unknown hook {name!r} in plugin {where!r}; known hooks: "
                    + ", ".join(sorted(known)),
                )


def plugin_families(hook: Any | None = None) -> tuple[GoalFamily, ...]:
    """The goal families plugins declare (``pytest_autoimprove_goal_families``).

    :param hook: a plugin manager's ``hook`` (pytest's, inside ``pytest --autoimprove``);
        by default the CLI's manager, which loads the ``pytest_autoimprove`` entry points.
    """
    from pytest_autoimprove.generators.catalog import BUILTIN_FAMILIES

    if hook is None:
        hook = standalone_manager().hook
    builtin = {family.kind for family in BUILTIN_FAMILIES}
    found: dict[str, GoalFamily] = {}
    for answer in hook.pytest_autoimprove_goal_families():
        for family in answer or ():
            if family.kind not in builtin:
                found.setdefault(family.kind, family)
    return tuple(found.values())
