#!/usr/bin/env python3
"""How large actgrad's --symbolic derivatives are next to sympy's simplified ones.

For each typical formula below (the formula as actgrad takes it, and the same function for
sympy), both derivatives are measured the same way: the printed formula is parsed by Python's
ast and every operator (binary, unary, comparison), call, index and transpose counts 1; names,
numbers and constants count 0 (src/symbolic/size.ts counts actgrad's own parse identically).

sympy gets the same vocabulary as actgrad: functions it lacks (sigmoid, softplus, relu) are
sympy Functions whose derivative is the usual one (σ' = σ(1 − σ), softplus' = σ, relu' =
Heaviside), so that both may keep a call as a call; then sympy.simplify(sympy.diff(f, x)).

Run after `npm run build` (it calls the built library):

    python3 scripts/symbolic-size.py            # the table
    python3 scripts/symbolic-size.py --write    # also refresh __tests__/symbolic/fixtures/sizes.json

The jest suite __tests__/symbolic/size.test.ts reads that fixture and fails when an actgrad
formula is larger than sympy's.
"""
import ast
import json
import os
import subprocess
import sys

import sympy
from sympy import Function, Heaviside, cos, exp, log, sin, sqrt, tanh

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURE = os.path.join(ROOT, '__tests__', 'symbolic', 'fixtures', 'sizes.json')


class sigmoid(Function):
    def fdiff(self, argindex=1):
        return sigmoid(self.args[0]) * (1 - sigmoid(self.args[0]))


class softplus(Function):
    def fdiff(self, argindex=1):
        return sigmoid(self.args[0])


class relu(Function):
    def fdiff(self, argindex=1):
        return Heaviside(self.args[0])


x, y, z, w, b, w1, w2 = sympy.symbols('x y z w b w1 w2')

# (actgrad's formula, its bindings, the same function for sympy, the names to differentiate by)
CASES = [
    ('torch.sigmoid(w*x + b)', {'w': 0.5, 'x': 2, 'b': 0.1}, sigmoid(w * x + b), ['w', 'b']),
    ('F.mse_loss(w*x + b, y)', {'w': 0.5, 'x': 2, 'b': 0.1, 'y': 1}, (w * x + b - y) ** 2, ['w', 'b']),
    ('torch.tanh(x)**2', {'x': 0.3}, tanh(x) ** 2, ['x']),
    ('torch.log(1 + torch.exp(x))', {'x': 0.3}, log(1 + exp(x)), ['x']),
    ('x**3 - 2*x', {'x': 1.5}, x**3 - 2 * x, ['x']),
    ('F.binary_cross_entropy(torch.sigmoid(z), y)', {'z': 0.3, 'y': 1}, -(y * log(sigmoid(z)) + (1 - y) * log(1 - sigmoid(z))), ['z']),
    ('x*torch.sigmoid(x)', {'x': 0.3}, x * sigmoid(x), ['x']),
    ('F.softplus(w*x)', {'w': 0.5, 'x': 2}, softplus(w * x), ['w']),
    ('torch.exp(-x**2/2)', {'x': 0.5}, exp(-x**2 / 2), ['x']),
    ('1/(1 + torch.exp(-x))', {'x': 0.5}, 1 / (1 + exp(-x)), ['x']),
    ('torch.tanh(w*x + b)', {'w': 0.5, 'x': 2, 'b': 0.1}, tanh(w * x + b), ['w']),
    ('torch.relu(w*x + b)**2', {'w': 0.5, 'x': 2, 'b': 0.1}, relu(w * x + b) ** 2, ['w']),
    ('torch.sigmoid(w2*torch.tanh(w1*x))', {'w1': 0.5, 'w2': -1.5, 'x': 2}, sigmoid(w2 * tanh(w1 * x)), ['w1', 'w2']),
    ('torch.log(torch.sigmoid(x))', {'x': 0.3}, log(sigmoid(x)), ['x']),
    ('(torch.sigmoid(x) - y)**2', {'x': 0.3, 'y': 1}, (sigmoid(x) - y) ** 2, ['x']),
    ('x*torch.tanh(torch.log(1 + torch.exp(x)))', {'x': 0.3}, x * tanh(log(1 + exp(x))), ['x']),
    ('torch.sqrt(x**2 + 1)', {'x': 0.3}, sqrt(x**2 + 1), ['x']),
    ('torch.exp(x)/(torch.exp(x) + torch.exp(y))', {'x': 0.3, 'y': -1}, exp(x) / (exp(x) + exp(y)), ['x']),
    ('torch.log(torch.exp(x) + torch.exp(y))', {'x': 0.3, 'y': -1}, log(exp(x) + exp(y)), ['x']),
    ('torch.sin(x)*torch.cos(x)', {'x': 0.3}, sin(x) * cos(x), ['x']),
    ('(w*x + b - y)**2/2', {'w': 0.5, 'x': 2, 'b': 0.1, 'y': 1}, (w * x + b - y) ** 2 / 2, ['w']),
    ('-torch.log(torch.sigmoid(w*x))', {'w': 0.5, 'x': 2}, -log(sigmoid(w * x)), ['w']),
]


# Where actgrad is larger on purpose, and why (the jest suite allows these, and only these).
LARGER_ON_PURPOSE = {
    ('torch.tanh(x)**2', 'x'): "tanh' is kept in its usual form 1 - tanh(x)**2; sympy writes 1/cosh(x)**2, one operation shorter in a product",
    ('torch.sin(x)*torch.cos(x)', 'x'): 'sympy applies the double-angle identity (cos(2x)); actgrad knows no trigonometric identities',
}


def size(text):
    """Operators, calls, indices and transposes of a Python expression (see src/symbolic/size.ts)."""
    count = 0
    for node in ast.walk(ast.parse(text, mode='eval')):
        if isinstance(node, (ast.BinOp, ast.UnaryOp, ast.Call, ast.Subscript, ast.BoolOp)):
            count += 1
        elif isinstance(node, ast.Compare):
            count += len(node.ops)
        elif isinstance(node, ast.Attribute) and node.attr in ('T', 'mT'):
            count += 1
    return count


def actgrad_formulas():
    """Each case's --symbolic formulas, from the built library."""
    script = (
        "const { symbolicGradients } = require(process.argv[1] + '/symbolic');"
        "const cases = JSON.parse(process.argv[2]);"
        "const T = (v) => ({ shape: [], data: Float64Array.of(v) });"
        "console.log(JSON.stringify(cases.map(([e, b, wrt]) => Object.fromEntries("
        "symbolicGradients(e, Object.entries(b).map(([k, v]) => [k, T(v)]), wrt)))));"
    )
    payload = json.dumps([[e, b, wrt] for e, b, _, wrt in CASES])
    dist = os.environ.get('ACTGRAD_DIST', os.path.join(ROOT, 'dist'))
    out = subprocess.run(['node', '-e', script, dist, payload], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    ours = actgrad_formulas()
    rows = []
    for (expression, bindings, f, wrt), formulas in zip(CASES, ours):
        for name in wrt:
            d = sympy.simplify(sympy.diff(f, sympy.Symbol(name)))
            theirs = str(d)
            rows.append({
                'expression': expression,
                'bindings': bindings,
                'wrt': name,
                'sympy': theirs,
                'sympy_size': size(theirs),
                'actgrad': formulas[name],
                'actgrad_size': size(formulas[name]),
                'larger_because': LARGER_ON_PURPOSE.get((expression, name)),
            })
    width = max(len(f"{r['expression']}  ∂/∂{r['wrt']}") for r in rows)
    print(f"{'formula'.ljust(width)}  actgrad  sympy")
    for r in rows:
        print(f"{(r['expression'] + '  ∂/∂' + r['wrt']).ljust(width)}  {r['actgrad_size']:7d}  {r['sympy_size']:5d}   {r['actgrad']}   |   {r['sympy']}")
    total_ours = sum(r['actgrad_size'] for r in rows)
    total_theirs = sum(r['sympy_size'] for r in rows)
    larger = [r for r in rows if r['actgrad_size'] > r['sympy_size']]
    unexplained = [r for r in larger if not r['larger_because']]
    print(f"\n{len(rows)} derivatives: actgrad {total_ours} operations in all, sympy {total_theirs}; "
          f"actgrad smaller in {sum(r['actgrad_size'] < r['sympy_size'] for r in rows)}, equal in "
          f"{sum(r['actgrad_size'] == r['sympy_size'] for r in rows)}, larger in {len(larger)}")
    if '--write' in sys.argv:
        with open(FIXTURE, 'w') as fh:
            json.dump([{k: r[k] for k in ('expression', 'bindings', 'wrt', 'sympy', 'sympy_size', 'larger_because') if r[k] is not None} for r in rows], fh, indent=1)
            fh.write('\n')
        print(f'wrote {os.path.relpath(FIXTURE, ROOT)}')
    for r in larger:
        print(f"  larger: {r['expression']} ∂/∂{r['wrt']}: {r['larger_because'] or 'NOT EXPLAINED'}")
    return 1 if unexplained else 0


if __name__ == '__main__':
    sys.exit(main())
