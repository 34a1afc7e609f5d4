/**
 * The decode-time key/value cache of onnx/generate.ts: preallocated [B, H, capacity, D] buffers, one
 * per layer, wrapped once as ORT tensors and updated in place. A decode step reads them as inputs and
 * returns only the new entries, so no step copies the whole cache (bench/model/README.md). When rows
 * finish, `keepRows` drops them, so later steps run on the live rows only.
 */
import * as ort from 'onnxruntime-node';

interface Present {
  presentK: ort.Tensor[];
  presentV: ort.Tensor[];
}

export class FixedCache {
  k: ort.Tensor[] = [];
  v: ort.Tensor[] = [];
  /** Positions written so far (the same for every row: rows advance together). */
  filled = 0;
  private dataK: Float32Array[] = [];
  private dataV: Float32Array[] = [];

  constructor(
    private rows: number,
    private readonly layers: number,
    private readonly heads: number,
    private readonly size: number,
    readonly capacity: number,
  ) {
    this.allocate(rows);
  }

  /**
   * Copies `count` new positions per (row, head) from a step's present tensors into the slots; cache
   * row b reads row `source[b]` of the step (default: row b).
   */
  write(step: Present, count: number, source?: readonly number[]): void {
    const D = this.size;
    const H = this.heads;
    const copy = (src: Float32Array, dst: Float32Array) => {
      for (let b = 0; b < this.rows; b++) {
        const from = source ? source[b]! : b;
        for (let h = 0; h < H; h++) {
          const s = (from * H + h) * count * D;
          dst.set(src.subarray(s, s + count * D), ((b * H + h) * this.capacity + this.filled) * D);
        }
      }
    };
    step.presentK.forEach((t, i) => copy(t.data as Float32Array, this.dataK[i]!));
    step.presentV.forEach((t, i) => copy(t.data as Float32Array, this.dataV[i]!));
    this.filled += count;
  }

  /** Keeps only cache rows `keep` (in that order), copying just their filled positions. */
  keepRows(keep: readonly number[]): void {
    const D = this.size;
    const H = this.heads;
    const span = this.filled * D;
    const oldK = this.dataK;
    const oldV = this.dataV;
    this.allocate(keep.length);
    const move = (src: Float32Array, dst: Float32Array) => {
      keep.forEach((from, to) => {
        for (let h = 0; h < H; h++) {
          const s = (from * H + h) * this.capacity * D;
          dst.set(src.subarray(s, s + span), (to * H + h) * this.capacity * D);
        }
      });
    };
    oldK.forEach((src, i) => move(src, this.dataK[i]!));
    oldV.forEach((src, i) => move(src, this.dataV[i]!));
  }

  private allocate(rows: number): void {
    this.rows = rows;
    const make = () => Array.from({ length: this.layers }, () => new Float32Array(rows * this.heads * this.capacity * this.size));
    this.dataK = make();
    this.dataV = make();
    const dims = [rows, this.heads, this.capacity, this.size];
    this.k = this.dataK.map((d) => new ort.Tensor('float32', d, dims));
    this.v = this.dataV.map((d) => new ort.Tensor('float32', d, dims));
  }
}
