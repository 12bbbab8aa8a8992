"""Reached calls: inner methods get the inputs their module's own working calls pass."""

from __future__ import annotations

from collections.abc import Callable

from guarded import Guarded

EVALUATOR = '''
import ast


class Evaluator:
    def eval(self, expr: str):
        """Evaluate a comparison of numbers.

        >>> Evaluator().eval("1 < 2 < 3")
        True
        >>> Evaluator().eval("3 > 2 > 2")
        False
        """
        return self.visit(ast.parse(expr.strip(), mode="eval").body)

    def visit(self, node):
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Compare):
            return self.compare(node)
        raise ValueError("unsupported expression")

    def compare(self, node):
        left = self.visit(node.left)
        for op, comparator in zip(node.ops, node.comparators):
            right = self.visit(comparator)
            if isinstance(op, ast.Lt):
                ok = left < right
            elif isinstance(op, ast.Gt):
                ok = left > right
            else:
                raise ValueError("unsupported comparison")
            if not ok:
                return False
            left = right
        return True
'''


def test_a_method_reached_only_through_another_gets_what_that_one_passes(
    guarded: Callable[[str, str], Guarded],
) -> None:
    # simpleeval's SimpleEval._eval_compare(node): only eval() builds an ast.Compare, so
    # every guessed node ({} or 'hello') raised and the method had no test.
    project = guarded("evaluator", EVALUATOR)
    text = project.guard_text()
    section = text.split("# --- Evaluator.compare ", 1)[1].split("# --- ", 1)[0]
    assert "# recorded while other targets' working calls ran" in section
    assert "DATA['Evaluator.compare/real-1']" in section  # both comparisons, as eval() built them
    # guards: a chain compared only at its first link
    project.assert_caught("            left = right\n", "            return True\n")
