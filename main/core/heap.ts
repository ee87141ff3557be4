/**
 * Binary min-heap that reports every item's position through `place`, so owners can remove or
 * re-key an item in O(log n) instead of scanning or leaving tombstones behind (an item can sit in
 * more than one heap, hence the callback rather than a fixed index field). Index -1 means "not here".
 */
export class MinHeap<T> {
  private readonly items: T[] = [];

  constructor(
    private readonly before: (a: T, b: T) => boolean,
    private readonly place: (item: T, index: number) => void,
  ) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    this.items.push(item);
    this.place(item, this.items.length - 1);
    this.up(this.items.length - 1);
  }

  pop(): T | undefined {
    return this.items.length === 0 ? undefined : this.removeAt(0);
  }

  removeAt(index: number): T {
    const item = this.at(index);
    const last = this.items.pop() as T;
    this.place(item, -1);
    if (index < this.items.length) {
      this.items[index] = last;
      this.place(last, index);
      this.update(index);
    }
    return item;
  }

  /** Restores order after the item at `index` changed its key, whichever way it moved. */
  update(index: number): void {
    if (!this.up(index)) this.down(index);
  }

  private at(index: number): T {
    const item = this.items[index];
    if (item === undefined) throw new RangeError(`heap index ${index} out of range`);
    return item;
  }

  private swap(i: number, j: number): void {
    const a = this.at(i);
    const b = this.at(j);
    this.items[i] = b;
    this.items[j] = a;
    this.place(b, i);
    this.place(a, j);
  }

  private up(index: number): boolean {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(this.at(i), this.at(parent))) break;
      this.swap(i, parent);
      i = parent;
    }
    return i !== index;
  }

  private down(index: number): void {
    const n = this.items.length;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let best = i;
      if (left < n && this.before(this.at(left), this.at(best))) best = left;
      if (right < n && this.before(this.at(right), this.at(best))) best = right;
      if (best === i) return;
      this.swap(i, best);
      i = best;
    }
  }
}
