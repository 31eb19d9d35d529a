"""Small, well-tested queries over tree-sitter-python trees that rules share.

Rules bail out on doubt, so these helpers answer conservatively: when a question cannot be
answered from the tree (a name bound in an unusual way, a call we cannot see into), they say
"unknown" in a way that makes the caller skip the case. Import each helper from its module:

- ``tree``: walking a tree (iteratively: deep nesting raises no RecursionError), enclosing scopes
  and statements, parentheses.
- ``calls``: the callee and arguments of a call; methods and builtins that change or only read.
- ``scope``: names a scope binds, uses of a name, the values a name is bound to.
- ``mutation``: whether code may change an object.
- ``imports``: imports, module aliases and builtins a name surely refers to.
- ``values``: what an expression certainly evaluates to (list, set, dict, str, int).
- ``annotations``: the container kind a type annotation names (``Optional[list[str]]`` → list).
- ``facts``: what kind of value a name or ``self.x`` can hold where it is read, and where that
  knowledge comes from (annotation, bindings, class attributes, same-file returns, stdlib calls).
- ``sizes``: evidence that a collection or a loop's iterable can be large (parameters, input,
  comprehensions and loop fills over such data), and data known to be fixed.
- ``cold``: code that rarely runs (demos, pretty-printers, prompting ``input("...")`` loops,
  tkinter modules).
- ``loops``: enclosing loops, whether a loop really repeats, hoisting, plain ``for`` loops.
- ``control``: ``try``/``with``, error paths, ``__main__`` guards, recursion.
- ``comments``: comments in a range, keeping them in a fix.
- ``edits``: statement shapes that fixes rewrite.
"""
