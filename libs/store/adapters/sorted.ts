/** First index whose item is not before `key` under `cmp` (binary search on a sorted array). */
export function lowerBound<T, K>(items: readonly T[], key: K, cmp: (item: T, key: K) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(items[mid], key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose item is after `key`. */
export function upperBound<T, K>(items: readonly T[], key: K, cmp: (item: T, key: K) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(items[mid], key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
