#!/usr/bin/env python3
"""String-format keys of both apps, checked against their call sites.

Android: every <string>/<plurals> in res/values*/strings.xml (main and flavour
source sets) is parsed for format specifiers (%s, %d, %1$s ...); every call
`stringResource(R.string.X, ...)`, `getString(R.string.X, ...)`,
`pluralStringResource(R.plurals.X, n, ...)`, `getQuantityString(...)` in the
app's Kotlin must pass exactly as many arguments as the string has
placeholders, and an integer placeholder (%d) must not receive a String or a
Kotlin unsigned type (String.format throws IllegalFormatConversionException
on a boxed kotlin.UInt). All translations must use the same placeholders.

iOS: SwiftUI looks a `Text("key \\(x)")` up under a key built from the literal
with one format specifier per interpolation, chosen by the value's type
(Int -> %lld, Int32 -> %d, UInt32 -> %u, UInt -> %llu, Double -> %lf,
String -> %@). A key missing from Localizable.strings shows as raw text. Every
literal in ios/App whose first word is in a namespace of the table ("panic.",
"journal." ...) must name an existing key once its interpolations are typed,
and each value must use the specifiers of its key.

Types are resolved from declarations in the app, the shell's shared code and
the generated bindings (in that order), pattern bindings of enum cases,
closure parameters over array literals and explicit conversions. An
expression whose type cannot be determined is an error: convert it explicitly
(`Int(x)`, `x.toInt()`) so that the key is certain.
"""
from __future__ import annotations

import os
import re
import sys
import xml.etree.ElementTree as ET

SPEC = re.compile(r"%(?:(\d+)\$)?[-#+ 0,(]*\d*(?:\.\d+)?(ll|l|hh|h|q)?([a-zA-Z@%])")


def specifiers(text: str) -> list[tuple[int, str]]:
    """(position, conversion) for each placeholder; %% skipped; positions from 1."""
    out, implicit = [], 0
    for m in SPEC.finditer(text):
        if m.group(3) == "%":
            continue
        implicit += 1
        pos = int(m.group(1)) if m.group(1) else implicit
        out.append((pos, (m.group(2) or "") + m.group(3)))
    return out


def split_args(src: str, start: int) -> tuple[list[str], int]:
    """Splits the call arguments starting just after '(' at START; returns (args, end)."""
    depth, cur, args, i, quote = 0, "", [], start, None
    while i < len(src):
        c = src[i]
        if quote:
            cur += c
            if c == "\\":
                cur += src[i + 1]
                i += 1
            elif c == quote:
                quote = None
        elif c == '"':
            quote = c
            cur += c
        elif c in "([{":
            depth += 1
            cur += c
        elif c in ")]}":
            if depth == 0:
                if cur.strip():
                    args.append(cur.strip())
                return args, i
            depth -= 1
            cur += c
        elif c == "," and depth == 0:
            args.append(cur.strip())
            cur = ""
        else:
            cur += c
        i += 1
    return args, i


def read(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


def sources(roots: list[str], ext: str) -> list[str]:
    out = []
    for root in roots:
        for d, _s, files in os.walk(root):
            out += [os.path.join(d, f) for f in files if f.endswith(ext)]
    return sorted(out)


def line_of(src: str, pos: int) -> int:
    return src.count("\n", 0, pos) + 1


class Declarations:
    """Declared types by name, in tiers searched in order (app, shell, bindings)."""

    def __init__(self, tiers: list[list[str]], lang: str):
        self.lang = lang
        self.texts = [[read(p) for p in tier] for tier in tiers]

    def _first(self, pattern: str):
        rx = re.compile(pattern)
        for tier in self.texts:
            found = {m.group("t").strip() for t in tier for m in rx.finditer(t)}
            found = {f for f in found if not re.match(r"^[A-Z]\??$", f)}  # generic parameters
            if len(found) == 1:
                return found.pop()
            if len(found) > 1:
                return None  # ambiguous within a tier
        return None

    def prop(self, name: str):
        n = re.escape(name)
        return self._first(rf"\b(?:val|var|let)\s+`?{n}`?\s*:\s*(?P<t>[\w.]+\??)")

    def func(self, name: str):
        n = re.escape(name)
        if self.lang == "swift":
            return self._first(rf"\bfunc\s+{n}\s*\([^)]*\)\s*->\s*(?P<t>[\w.]+\??)")
        return self._first(rf"\bfun\s+{n}\s*\([^)]*\)\s*:\s*(?P<t>[\w.]+\??)")

    def case_param(self, case: str, index: int):
        """Type of the INDEX-th associated value of enum case CASE (Swift)."""
        rx = re.compile(rf"\bcase\s+{re.escape(case)}\s*\((?P<p>[^)]*)\)")
        for tier in self.texts:
            found = set()
            for t in tier:
                for m in rx.finditer(t):
                    params = [p.split(":")[-1].strip() for p in m.group("p").split(",")]
                    if index < len(params):
                        found.add(params[index])
            if len(found) == 1:
                return found.pop()
            if len(found) > 1:
                return None
        return None


INT_LIT = re.compile(r"^-?\d[\d_]*$")
FLOAT_LIT = re.compile(r"^-?\d[\d_]*\.\d+$")
CONVERSIONS = {"Int", "Int8", "Int16", "Int32", "Int64", "UInt", "UInt8", "UInt16", "UInt32",
               "UInt64", "Double", "Float", "CGFloat", "String"}
KOTLIN_CONV = {"toInt": "Int", "toLong": "Long", "toString": "String", "toDouble": "Double",
               "toUInt": "UInt", "toULong": "ULong", "toFloat": "Float"}


def strip_parens(e: str) -> str:
    e = e.strip()
    while e.startswith("(") and e.endswith(")") and split_args(e, 1)[1] == len(e) - 1:
        e = e[1:-1].strip()
    return e


def resolve(expr: str, src: str, at: int, decls: Declarations) -> str | None:
    """Best-effort static type of EXPR used at offset AT of SRC (see module doc)."""
    t = _resolve(expr, src, at, decls)
    return t.rstrip("?") if t else None


def _resolve(expr: str, src: str, at: int, decls: Declarations) -> str | None:
    e = strip_parens(expr)
    swift = decls.lang == "swift"
    for op in ("??", "?:"):
        if op in e:  # the result has the type of the (non-optional) default
            left, right = e.split(op, 1)
            return resolve(right, src, at, decls) or resolve(left, src, at, decls)
    if e.startswith('"'):
        return "String"
    if INT_LIT.match(e):
        return "Int"
    if FLOAT_LIT.match(e):
        return "Double"
    m = re.match(r"^(?P<a>.+?)\s*[-+*/%]\s*(?P<b>.+)$", e)
    if m and "(" not in e:
        a, b = m.group("a"), m.group("b")
        return resolve(b if INT_LIT.match(a.strip()) else a, src, at, decls)
    m = re.match(r"^(\w+)\(.*\)$", e, re.S)
    if m and m.group(1) in CONVERSIONS:
        return m.group(1)
    if m:
        t = decls.func(m.group(1))
        return t.rstrip("?") if t else None
    m = re.match(r"^.*\.(\w+)\(\)$", e)
    if m and not swift and m.group(1) in KOTLIN_CONV:
        return KOTLIN_CONV[m.group(1)]
    last = re.split(r"\??\.", e)[-1]
    if not re.match(r"^\w+$", last):
        return None
    if last in ("count", "size", "length"):
        return "Int"
    if "." in e:
        t = decls.prop(last)
        return t.rstrip("?") if t else None
    return local(last, src, at, decls)


def local(name: str, src: str, at: int, decls: Declarations) -> str | None:
    """Type of a local binding NAME visible at AT (nearest preceding binding wins)."""
    before = src[:at]
    n = re.escape(name)
    candidates = []
    for m in re.finditer(rf"\b(?:let|var|val)\s+{n}\s*:\s*([\w.]+)", before):
        candidates.append((m.start(), lambda m=m: m.group(1)))
    for m in re.finditer(rf"\b(?:if|guard)?\s*(?:let|var|val)\s+{n}\s*=\s*([^\n{{]+)", before):
        candidates.append((m.start(), lambda m=m: resolve(m.group(1), src, m.start(), decls)))
    for m in re.finditer(r"case\s+let\s+\.(\w+)\(([^)]*)\)|case\s+\.(\w+)\(([^)]*)\)", before):
        case, params = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        names = [p.strip().replace("let ", "").split(":")[-1].strip() for p in params.split(",")]
        if name in names:
            idx = names.index(name)
            candidates.append((m.start(), lambda c=case, i=idx: decls.case_param(c, i)))
    for m in re.finditer(rf"\{{\s*{n}\s*(?:in|->)", before):
        arr = re.search(r"\[([^\[\]]*)\]\s*(?:,[^{]*)?\)?\s*\.?\w*\s*$", before[max(0, m.start() - 120):m.start()])
        lst = re.search(r"listOf\(([^()]*)\)\s*\.\w+\s*$", before[max(0, m.start() - 120):m.start()])
        items = (arr or lst).group(1).split(",") if (arr or lst) else []
        kinds = {resolve(i, src, m.start(), decls) for i in items if i.strip()}
        candidates.append((m.start(), lambda k=kinds: k.pop() if len(k) == 1 else None))
    if name == "it":  # Kotlin: `x?.let { ... it ... }` binds the receiver
        for m in re.finditer(r"([\w.]+)\??\.(?:let|also)\s*\{", before):
            candidates.append((m.start(), lambda m=m: resolve(m.group(1), src, m.start(), decls)))
    for m in re.finditer(rf"\bfor\s+{n}\s+in\s+(\d+)\s*\.\.", before):
        candidates.append((m.start(), lambda: "Int"))
    if candidates:
        return max(candidates, key=lambda c: c[0])[1]()
    t = decls.prop(name)
    return t.rstrip("?") if t else None


SWIFT_SPEC = {"Int": "%lld", "Int64": "%lld", "Int32": "%d", "Int16": "%d", "Int8": "%d",
              "UInt": "%llu", "UInt64": "%llu", "UInt32": "%u", "UInt16": "%u", "UInt8": "%u",
              "Double": "%lf", "CGFloat": "%lf", "Float": "%f", "String": "%@", "Substring": "%@"}
# printf conversions that take the same argument, for comparing a key with its value
SWIFT_EQUIV = {"%lld": {"lld", "lli", "ld", "qd"}, "%llu": {"llu", "lu", "qu"}, "%d": {"d", "i"},
               "%u": {"u"}, "%lf": {"lf", "f", "g", "e"}, "%f": {"f", "g", "e"}, "%@": {"@"}}


# ---------------------------------------------------------------- Android --
def android_strings(app: str) -> tuple[dict, list[str]]:
    """{name: (kind, placeholders)} from every values*/ resource file
    (strings.xml and others such as platform_strings.xml); errors across locales."""
    errors, table = [], {}
    paths = []
    for d, _s, files in os.walk(app):
        if "/res/values" in d + "/":
            paths += [os.path.join(d, f) for f in sorted(files) if f.endswith(".xml")]
    for path in paths:
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as err:
            errors.append(f"{path}: {err}")
            continue
        for el in root:
            name = el.get("name")
            if el.tag == "string":
                texts = ["".join(el.itertext())]
            elif el.tag == "plurals":
                texts = ["".join(i.itertext()) for i in el.findall("item")]
            else:
                continue
            if el.get("formatted") == "false":
                continue
            for text in texts:
                specs = specifiers(text)
                if len(specs) > 1 and not re.search(r"%\d+\$", text):
                    errors.append(f"{path}: {name}: several placeholders must be positional (%1$s, %2$d)")
                got = sorted(set(specs))
                kind = "plurals" if el.tag == "plurals" else "string"
                if name in table and table[name][1] != got and kind == "string":
                    errors.append(f"{path}: {name}: placeholders {got} differ from {table[name][1]} elsewhere")
                table.setdefault(name, (kind, got))
    return table, errors


ANDROID_CALL = re.compile(
    r"\b(stringResource|getString|pluralStringResource|getQuantityString)\(\s*R\.(string|plurals)\.(\w+)")


def check_android(root: str) -> tuple[int, list[str]]:
    app = os.path.join(root, "android/app/src")
    table, errors = android_strings(app)
    tiers = [sources([app], ".kt"), sources([os.path.join(root, "android/shared/src/main")], ".kt"),
             sources([os.path.join(root, "target/platform-checks/jvm-bindings")], ".kt")]
    decls = Declarations(tiers, "kotlin")
    checked = 0
    for path in tiers[0]:
        src = read(path)
        for m in ANDROID_CALL.finditer(src):
            fn, kind, name = m.groups()
            where = f"{os.path.relpath(path, root)}:{line_of(src, m.start())}"
            if name not in table:
                errors.append(f"{where}: R.{kind}.{name} is not in any values resource file")
                continue
            args, _ = split_args(src, m.end())
            args = args[1:] if args else []
            if kind == "plurals":
                args = args[1:]  # the quantity selects the form; the rest are format arguments
            specs = table[name][1]
            positions = sorted({p for p, _ in specs})
            if len(args) != len(positions):
                errors.append(f"{where}: {name} has {len(positions)} placeholder(s), call passes {len(args)}")
                continue
            for (pos, conv) in specs:
                if conv[-1] not in "dxXo":
                    continue
                t = resolve(args[pos - 1], src, m.start(), decls)
                if t is None:
                    errors.append(f"{where}: {name}: type of `{args[pos - 1]}` for %{pos}$d unknown; "
                                  f"convert it explicitly (.toInt())")
                elif t.split(".")[-1] not in ("Int", "Long", "Short", "Byte"):
                    errors.append(f"{where}: {name}: %{pos}$d receives `{args[pos - 1]}` of type {t} "
                                  f"(String.format needs Int/Long: IllegalFormatConversionException)")
            checked += 1
    return checked, errors


# -------------------------------------------------------------------- iOS --
def strings_table(path: str) -> dict[str, str]:
    """Parses a Localizable.strings file ("key" = "value";)."""
    text = re.sub(r"/\*.*?\*/", "", read(path), flags=re.S)
    text = re.sub(r"(?m)^\s*//.*$", "", text)
    pair = re.compile(r'"((?:[^"\\]|\\.)*)"\s*=\s*"((?:[^"\\]|\\.)*)"\s*;')
    table = {m.group(1): m.group(2) for m in pair.finditer(text)}
    rest = pair.sub("", text).strip()
    if rest:
        raise ValueError(f"{path}: unparsed text near {rest[:40]!r}")
    return table


SWIFT_LITERAL = re.compile(r'"((?:[^"\\\n]|\\\((?:[^()]|\([^()]*(?:\([^()]*\))*[^()]*\))*\)|\\.)*)"')


def interpolations(lit: str) -> tuple[list[str], list[str]]:
    """Static pieces and interpolated expressions of a Swift string literal body."""
    pieces, exprs, cur, i = [], [], "", 0
    while i < len(lit):
        if lit.startswith("\\(", i):
            args, end = split_args(lit, i + 2)
            pieces.append(cur)
            cur = ""
            exprs.append(",".join(args))
            i = end + 1
            continue
        cur += lit[i]
        i += 1
    pieces.append(cur)
    return pieces, exprs


def check_ios(root: str) -> tuple[int, list[str]]:
    errors = []
    res = os.path.join(root, "ios/App")
    tables = {}
    for d, _s, files in os.walk(res):
        if d.endswith(".lproj") and "Localizable.strings" in files:
            p = os.path.join(d, "Localizable.strings")
            try:
                tables[p] = strings_table(p)
            except ValueError as err:
                errors.append(str(err))
    if not tables:
        return 0, errors + ["ios: no Localizable.strings under ios/App"]
    base = next((t for p, t in tables.items() if "/en.lproj/" in p), next(iter(tables.values())))
    for p, t in tables.items():
        for key, value in t.items():
            want = [SWIFT_EQUIV.get("%" + c, {c}) for _, c in specifiers(key)]
            got = [c for _, c in sorted(specifiers(value))]
            if len(want) != len(got) or any(g not in w for w, g in zip(want, got)):
                errors.append(f"{os.path.relpath(p, root)}: \"{key}\" = \"{value}\": value placeholders "
                              f"do not match the key's")
        if t.keys() != base.keys():
            errors.append(f"{os.path.relpath(p, root)}: keys differ from en.lproj")
    namespaces = {k.split(".")[0] for k in base}
    tiers = [sources([res], ".swift"), sources([os.path.join(root, "ios/Sources/ParasolKit")], ".swift"),
             sources([os.path.join(root, "target/platform-checks/swift-bindings")], ".swift")]
    decls = Declarations(tiers, "swift")
    checked = 0
    for path in tiers[0]:
        src = read(path)
        for m in SWIFT_LITERAL.finditer(src):
            pieces, exprs = interpolations(m.group(1))
            head = pieces[0].split(" ")[0]
            if "." not in head or head.split(".")[0] not in namespaces or not re.match(r"^[a-z_.0-9]+$", head):
                continue
            where = f"{os.path.relpath(path, root)}:{line_of(src, m.start())}"
            key = pieces[0]
            for expr, piece in zip(exprs, pieces[1:]):
                sm = re.search(r'specifier:\s*"([^"]+)"', expr)
                t = None if sm else resolve(expr, src, m.start(), decls)
                spec = sm.group(1) if sm else SWIFT_SPEC.get((t or "").split(".")[-1])
                if spec is None:
                    errors.append(f"{where}: type of `{expr}` in \"{m.group(1)}\" "
                                  f"{'unknown' if t is None else 'is ' + t}; convert it explicitly (Int(...))")
                    spec = "%?"
                key += spec + piece
            if key not in base:
                errors.append(f"{where}: \"{m.group(1)}\" looks up \"{key}\", which Localizable.strings lacks")
            checked += 1
    return checked, errors


def main(argv: list[str]) -> int:
    root = os.path.abspath(argv[0] if argv else os.path.join(os.path.dirname(__file__), "../.."))
    n_a, err_a = check_android(root)
    n_i, err_i = check_ios(root)
    for e in err_a + err_i:
        print(f"format-keys: {e}", file=sys.stderr)
    print(f"format-keys: {n_a} Android call sites, {n_i} iOS key uses checked, {len(err_a + err_i)} problems")
    if n_a == 0 or n_i == 0:
        print("format-keys: nothing checked on one platform", file=sys.stderr)
        return 1
    return 1 if err_a or err_i else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
