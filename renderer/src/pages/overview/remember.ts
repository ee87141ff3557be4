// The overview's search, filters and grouping outlive the page: opening a monitor and coming back
// finds the list as it was left (for this window's life; the address does not carry them).

import { useEffect, useState, type Dispatch, type SetStateAction } from 'react';

const memory = new Map<string, unknown>();

export function useRemembered<T>(key: string, initial: T): [T, Dispatch<SetStateAction<T>>] {
  const [value, setValue] = useState<T>(() => (memory.has(key) ? (memory.get(key) as T) : initial));
  useEffect(() => {
    memory.set(key, value);
  }, [key, value]);
  return [value, setValue];
}
