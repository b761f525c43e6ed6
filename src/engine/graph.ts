// A model as plain records: tensors (shapes, roles) and op nodes in execution order.
// The CPU interpreter and the WebGPU compiler both consume this; nothing here runs
// anything. Built with GraphBuilder by src/nn.

import { inferShape, type OpAttrs, type OpName, type Shape } from './ops';

export type { Shape };

/** input: fed each step; label: u32 class ids; param: trainable; state: non-trainable
 * model state updated by ops (BatchNorm running stats); const: fixed values (e.g. a
 * non-learnable a_res); activation: computed by an op. */
export type TensorRole = 'input' | 'label' | 'param' | 'state' | 'const' | 'activation';

export interface TensorSpec {
  id: number;
  name: string;
  shape: Shape;
  role: TensorRole;
}

export interface OpNode<K extends OpName = OpName> {
  op: K;
  inputs: readonly number[];
  output: number;
  attrs: OpAttrs[K];
  /** Layer/block path, for diagnostics (per-block norms) and error messages. */
  scope: string;
}

export interface Graph {
  tensors: readonly TensorSpec[];
  nodes: readonly OpNode[];
}

export function numel(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

export class GraphBuilder {
  private tensors: TensorSpec[] = [];
  private nodes: OpNode[] = [];
  private scopes: string[] = [];

  tensor(name: string, shape: Shape, role: TensorRole): number {
    if (shape.some((d) => !Number.isInteger(d) || d < 1)) throw new Error(`tensor ${name}: invalid shape [${shape.join(', ')}]`);
    const id = this.tensors.length;
    this.tensors.push({ id, name: this.qualified(name), shape: [...shape], role });
    return id;
  }

  input(name: string, shape: Shape): number {
    return this.tensor(name, shape, 'input');
  }

  param(name: string, shape: Shape): number {
    return this.tensor(name, shape, 'param');
  }

  shape(id: number): Shape {
    return this.tensors[id].shape;
  }

  /** Runs `fn` with names and node scopes prefixed by `name` (e.g. "stage1.block0"). */
  scoped<T>(name: string, fn: () => T): T {
    this.scopes.push(name);
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  op<K extends OpName>(op: K, inputs: readonly number[], attrs: OpAttrs[K], name: string = op): number {
    const shapes = inputs.map((i) => this.tensors[i].shape);
    const outShape = inferShape(op, shapes, attrs, this.qualified(name));
    const output = this.tensor(name, outShape, 'activation');
    this.nodes.push({ op, inputs: [...inputs], output, attrs, scope: this.scopes.join('.') });
    return output;
  }

  build(): Graph {
    return { tensors: [...this.tensors], nodes: [...this.nodes] };
  }

  private qualified(name: string): string {
    return [...this.scopes, name].join('.');
  }
}
