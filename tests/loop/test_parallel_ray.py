"""``backend: ray`` on a real local Ray cluster (a head and two worker nodes), no mock.

The same scripted run as on the local backend must end with the same statuses; a
change a node returns is re-checked by the driver. Skipped only when Ray is not
installed (``pip install 'pytest-autoimprove[ray]'``; CI installs it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from toyrepo import ToyRepo, git, run_loop

ray = pytest.importorskip(
    "ray", reason="Ray is not installed: pip install 'pytest-autoimprove[ray]'"
)

from ray.cluster_utils import Cluster  # noqa: E402

BENCH_AB = """\
import extra
import mod

print(f"SCORE: {mod.VALUE + extra.BONUS}")
"""
#: improve (kept), improve2 made on the baseline but judged after 1 was kept (conflict),
#: then a broken change, nothing, a worse one, one outside the scope, another part's.
PLAN = ["improve", "sleep:3:improve2", "break", "noop", "worse", "outside", "sleep:1:improve_b"]
EXPECTED = {
    1: "kept",
    2: "conflict",
    3: "failed",
    4: "no-op",
    5: "discarded",
    6: "out-of-scope",
    7: "kept",
}


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """A head (no CPUs: it only schedules) and two worker nodes of two CPUs each."""
    cluster = Cluster(
        initialize_head=True,
        head_node_args={"num_cpus": 0, "include_dashboard": False},
    )
    for _ in range(2):
        cluster.add_node(num_cpus=2)
    cluster.wait_for_nodes()
    ray.init(address=cluster.address, log_to_driver=False)
    try:
        yield cluster
    finally:
        ray.shutdown()
        cluster.shutdown()


def statuses(repo: ToyRepo) -> dict[int, str]:
    return {int(str(r["number"])): str(r["status"]) for r in repo.records()}


def scripted(toy: Callable[..., ToyRepo], backend: str) -> ToyRepo:
    repo = toy(
        rounds=len(PLAN),
        plan=PLAN,
        agent_extra=f"workers: 2\nbackend: {backend}",
        bench=BENCH_AB,
        files={"extra.py": "BONUS = 0\n"},
        change="scope: mod.py, extra.py",
    )
    code, out = run_loop(repo)
    assert code == 0, out
    return repo


@pytest.mark.slow(seconds=30)
def test_the_scripted_run_ends_the_same_on_ray_as_locally(
    cluster: Any, toy: Callable[..., ToyRepo], tmp_path_factory: pytest.TempPathFactory
) -> None:
    on_ray = scripted(toy, "ray")
    assert statuses(on_ray) == EXPECTED, on_ray.records()
    # The proposals ran on the worker nodes, not in the driver's process.
    nodes = {n["NodeID"] for n in ray.nodes() if n["Alive"] and n["Resources"].get("CPU")}
    assert len(nodes) == 2
    kept = [r for r in on_ray.records() if r["status"] == "kept"]
    assert all("confirmed on the measuring node" in str(r["reason"]) for r in kept)
    branch = str(on_ray.journal()[0]["branch"])
    assert "VALUE = 11" in git(on_ray.root, "show", f"{branch}:mod.py")
    assert "BONUS = 1" in git(on_ray.root, "show", f"{branch}:extra.py")

    from toyrepo import make_repo

    local = make_repo(
        tmp_path_factory.mktemp("local"),
        rounds=len(PLAN),
        plan=PLAN,
        agent_extra="workers: 2",
        bench=BENCH_AB,
        files={"extra.py": "BONUS = 0\n"},
        change="scope: mod.py, extra.py",
    )
    code, out = run_loop(local)
    assert code == 0, out
    assert statuses(local) == EXPECTED


def test_the_driver_re_checks_what_a_node_returns(toy: Callable[..., ToyRepo]) -> None:
    """A node that says its change is fine is not believed: the returned tree is checked
    against the protected paths and the scope by the driver itself."""
    from types import SimpleNamespace

    from pytest_autoimprove import repo as gitrepo
    from pytest_autoimprove.config import load_config
    from pytest_autoimprove.loop.ray_backend import _static_problem

    toy_repo = toy(rounds=1)
    root = toy_repo.root
    base = git(root, "rev-parse", "HEAD").strip()
    attempts = SimpleNamespace(root=root, worktree=root, config=load_config(root))

    def tree_with(path: str, text: str) -> str:
        (root / path).write_text(text)
        git(root, "add", "-A")
        tree = git(root, "write-tree").strip()
        git(root, "reset", "-q", "--hard", base)
        return tree

    guard_file = "tests/autoimprove_guard/test_guard.py"
    assert _static_problem(attempts, base, tree_with(guard_file, "x = 1\n")) == (  # type: ignore[arg-type]
        "tampered",
        f"touched {guard_file}",
    )
    assert _static_problem(attempts, base, tree_with("README.md", "x\n")) == (  # type: ignore[arg-type]
        "out-of-scope",
        "touched README.md",
    )
    assert _static_problem(attempts, base, tree_with("mod.py", "VALUE = 3\n")) is None  # type: ignore[arg-type]
    assert gitrepo.resolve(root, "HEAD") == base
