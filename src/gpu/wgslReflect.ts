// A small WGSL reflector: reads a shader's resource bindings, structs, override constants
// and entry points, and which bindings and uniform fields each entry point uses, so the TS
// side never restates them. Not a parser: it reads the declaration forms this repo's
// shaders use and throws on what it cannot read (see wgslReflect.test.ts).

type BindingAccess = 'read' | 'read_write' | 'uniform';

export interface WgslBinding {
  group: number;
  binding: number;
  name: string;
  access: BindingAccess;
  /** The declared type, as written (`array<f32>`, `Params`). */
  type: string;
}

interface WgslField {
  name: string;
  type: string;
}

interface WgslOverride {
  name: string;
  type: string;
  /** The default initialiser as written; absent when the pipeline must supply a value. */
  defaultValue?: string;
}

interface WgslFunction {
  name: string;
  isEntryPoint: boolean;
  /** Identifier tokens of the signature and body (not member names after a dot, not
   * number suffixes such as the e of 1e-6). */
  tokens: Set<string>;
  /** The body, for reading `p.field` uses. */
  body: string;
}

export interface WgslReflection {
  bindings: WgslBinding[];
  structs: Record<string, WgslField[]>;
  overrides: WgslOverride[];
  entryPoints: string[];
  functions: Map<string, WgslFunction>;
}

/** Removes // and (nested) /* *\/ comments, keeping line breaks. */
export function stripComments(code: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < code.length; i++) {
    const two = code.slice(i, i + 2);
    if (depth === 0 && two === '//') {
      while (i < code.length && code[i] !== '\n') i++;
      out += '\n';
    } else if (two === '/*') {
      depth++;
      i++;
    } else if (depth > 0 && two === '*/') {
      depth--;
      i++;
    } else if (depth === 0) out += code[i];
    else if (code[i] === '\n') out += '\n';
  }
  return out;
}

/** Splits at commas outside <...> and (...). */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '<' || ch === '(') depth++;
    if (ch === '>' || ch === ')') depth--;
    if ((ch === ',' || ch === ';') && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function readStructs(code: string): Record<string, WgslField[]> {
  const structs: Record<string, WgslField[]> = {};
  for (const m of code.matchAll(/\bstruct\s+(\w+)\s*\{([^}]*)\}/g)) {
    structs[m[1]] = splitTopLevel(m[2]).map((decl) => {
      const f = /^(\w+)\s*:\s*(.+)$/s.exec(decl);
      if (!f) throw new Error(`WGSL struct ${m[1]}: cannot read field "${decl}" (field attributes are not supported)`);
      return { name: f[1], type: f[2].replace(/\s+/g, '') };
    });
  }
  return structs;
}

function readBindings(code: string): WgslBinding[] {
  const out: WgslBinding[] = [];
  const re = /((?:@\w+\s*\(\s*\d+\s*\)\s*)+)var\s*(?:<([^>]*)>)?\s*(\w+)\s*:\s*([^;=]+);/g;
  for (const m of code.matchAll(re)) {
    const group = /@group\(\s*(\d+)\s*\)/.exec(m[1]);
    const binding = /@binding\(\s*(\d+)\s*\)/.exec(m[1]);
    if (!group || !binding) throw new Error(`WGSL var ${m[3]}: needs both @group and @binding`);
    const space = (m[2] ?? '').split(',').map((s) => s.trim());
    let access: BindingAccess;
    if (space[0] === 'uniform') access = 'uniform';
    else if (space[0] === 'storage') access = space[1] === 'read_write' ? 'read_write' : 'read';
    else throw new Error(`WGSL var ${m[3]}: unsupported address space <${m[2] ?? ''}> (storage and uniform buffers only)`);
    out.push({ group: Number(group[1]), binding: Number(binding[1]), name: m[3], access, type: m[4].replace(/\s+/g, '') });
  }
  return out;
}

function readOverrides(code: string): WgslOverride[] {
  const out: WgslOverride[] = [];
  for (const m of code.matchAll(/\boverride\s+(\w+)\s*(?::\s*(\w+))?\s*(?:=\s*([^;]+))?;/g)) {
    out.push({ name: m[1], type: m[2] ?? 'inferred', defaultValue: m[3]?.trim() });
  }
  return out;
}

/** The index just past the brace that closes the one at `open`. */
function matchBrace(code: string, open: number): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === '{') depth++;
    else if (code[i] === '}' && --depth === 0) return i + 1;
  }
  throw new Error('WGSL: unbalanced braces');
}

function readFunctions(code: string): Map<string, WgslFunction> {
  const out = new Map<string, WgslFunction>();
  const re = /((?:@\w+(?:\s*\([^)]*\))?\s*)*)\bfn\s+(\w+)\s*\(/g;
  for (const m of code.matchAll(re)) {
    const open = code.indexOf('{', m.index + m[0].length);
    const end = matchBrace(code, open);
    const text = code.slice(m.index + m[0].length, end);
    out.set(m[2], {
      name: m[2],
      isEntryPoint: /@compute\b/.test(m[1]),
      tokens: new Set(text.match(/(?<![\w.])[A-Za-z_]\w*/g) ?? []),
      body: text,
    });
  }
  return out;
}

export function reflectWgsl(source: string): WgslReflection {
  const code = stripComments(source);
  const functions = readFunctions(code);
  const bindings = readBindings(code);
  const names = new Set<string>();
  for (const b of bindings) {
    if (names.has(b.name)) throw new Error(`WGSL: binding name ${b.name} declared twice`);
    names.add(b.name);
  }
  return {
    bindings,
    structs: readStructs(code),
    overrides: readOverrides(code),
    entryPoints: [...functions.values()].filter((f) => f.isEntryPoint).map((f) => f.name),
    functions,
  };
}

/** The functions reachable from an entry point (itself included). */
function reachable(r: WgslReflection, entryPoint: string): WgslFunction[] {
  const start = r.functions.get(entryPoint);
  if (!start?.isEntryPoint) {
    throw new Error(`WGSL: no entry point "${entryPoint}" (the shader has ${r.entryPoints.join(', ') || 'none'})`);
  }
  const done = new Map<string, WgslFunction>([[entryPoint, start]]);
  const todo = [start];
  while (todo.length > 0) {
    for (const t of todo.pop()!.tokens) {
      const f = r.functions.get(t);
      if (f && !done.has(t)) {
        done.set(t, f);
        todo.push(f);
      }
    }
  }
  return [...done.values()];
}

/** The bindings an entry point statically uses (the ones a layout: 'auto' pipeline has),
 * in binding order. A local that shadows a binding's name counts as a use. */
export function usedBindings(r: WgslReflection, entryPoint: string): WgslBinding[] {
  const fns = reachable(r, entryPoint);
  return r.bindings.filter((b) => fns.some((f) => f.tokens.has(b.name))).sort((a, b) => a.group - b.group || a.binding - b.binding);
}

/** The fields of a struct variable `v` that an entry point reads as `v.field`. */
export function usedFields(r: WgslReflection, entryPoint: string, variable: string): Set<string> {
  const re = new RegExp(`\\b${variable}\\s*\\.\\s*([A-Za-z_]\\w*)`, 'g');
  const out = new Set<string>();
  for (const f of reachable(r, entryPoint)) for (const m of f.body.matchAll(re)) out.add(m[1]);
  return out;
}
