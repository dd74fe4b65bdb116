import { useLayoutEffect, useState, type RefObject } from 'react';
import type { Size } from './fit-geometry';

const ZERO: Size = { width: 0, height: 0 };

/** The element's content-box size in CSS pixels, kept current by a ResizeObserver (window, layout, zoom). */
export function useElementSize(ref: RefObject<HTMLElement | null>): Size {
  const [size, setSize] = useState<Size>(ZERO);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      const { width, height } = entry.contentRect;
      setSize((previous) => (previous.width === width && previous.height === height ? previous : { width, height }));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}
