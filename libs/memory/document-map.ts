/** Documents by id in memory, for the in-memory adapters (tests, development): promises like a real store. */
export class DocumentMap<T extends { id: string }> {
  private readonly docs = new Map<string, T>();

  get size(): number {
    return this.docs.size;
  }

  get(id: string): T | undefined {
    return this.docs.get(id);
  }

  values(): IterableIterator<T> {
    return this.docs.values();
  }

  async put(doc: T): Promise<void> {
    this.docs.set(doc.id, doc);
  }

  async delete(id: string): Promise<boolean> {
    return this.docs.delete(id);
  }

  close(): void {
    this.docs.clear();
  }
}
