"""Every problem the priority engine writes can be said in the reader's language (issue 9): its message
is an `errors.Text` (template marked with `gettext_noop`, parameters kept), never English text written
out as a string literal or an f-string, which the app could not translate."""

import ast
from pathlib import Path

from dividend.priorities import engine
from dividend.priorities.engine.errors import Text
from dividend.priorities.engine.expressions import FormulaError, parse_formula

ENGINE = Path(engine.__file__).parent
# Calls that carry a problem's message, and the position of the message among their arguments.
MESSAGE_ARGUMENT = {"err": 2, "Problem": 2, "RowProblem": 1, "FormulaError": 0, "fail": 3, "_need": 2}
COLLECTED_IN = {"problems", "reasons"}  # lists of messages: problems.append(...), reasons.append(...)


def written_out(node) -> bool:
    """A message written as English text, in either branch: a string literal of words (not a keyword of
    the formula language such as "'or'") or an f-string with a letter outside its fields (not f"{name}()")."""
    if isinstance(node, ast.IfExp):
        return written_out(node.body) or written_out(node.orelse)
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(part, ast.Constant) and any(c.isalpha() for c in part.value) for part in node.values)
    return (isinstance(node, ast.Constant) and isinstance(node.value, str) and any(c.isalpha() for c in node.value)
            and " " in node.value.strip())


def english_messages(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in MESSAGE_ARGUMENT and len(node.args) > MESSAGE_ARGUMENT[name]:
            message = node.args[MESSAGE_ARGUMENT[name]]
        elif (name == "append" and isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
              and func.value.id in COLLECTED_IN and node.args):
            message = node.args[0]
        else:
            continue
        if written_out(message):
            found.append((node.lineno, f"line {node.lineno}: {ast.unparse(message)[:80]}"))
    return [text for _, text in sorted(found)]


def test_no_problem_of_the_engine_is_written_out_in_english():
    found = {path.name: english_messages(path.read_text()) for path in sorted(ENGINE.glob("*.py"))}
    assert {name: lines for name, lines in found.items() if lines} == {}


def test_the_check_finds_a_message_written_out():
    assert english_messages('self.err(path, where, f"{key} is missing")\n'
                            'problems.append(Problem(p, 1, "no countries to rank"))\n'
                            'raise FormulaError("empty formula" if x else Text("y"), 1)\n'
                            'self.err(path, where, Text(gettext_noop("fine")))\n') == [
        "line 1: f'{key} is missing'", "line 2: 'no countries to rank'", "line 3: 'empty formula' if x else Text('y')"]


def test_a_formula_error_keeps_its_parts_and_reads_the_same_in_english():
    try:
        parse_formula("a > 1", {"a"})
    except FormulaError as error:
        assert str(error) == ("comparison '>' with a value that may be missing (a); test it first, e.g. "
                              "not is_missing(a) and ... at position 3")
        assert isinstance(error.message, Text) and error.message.template == "%(message)s at position %(position)s"
        assert error.message.params["message"].params["hint"].template == (
            "; test it first, e.g. not is_missing(%(name)s) and ...")
    else:
        raise AssertionError("not refused")
