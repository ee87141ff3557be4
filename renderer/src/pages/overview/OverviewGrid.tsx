// The monitor list, windowed: only the rows in view (and a few either side) are in the DOM, each
// placed at index × ROW_H inside a spacer as tall as the whole list.
//
// Keyboard and screen readers: the ARIA treegrid pattern with rows focused, as a file manager's
// tree view. Group headers are level-1 rows (aria-expanded), monitors level-2 rows; aria-rowcount
// and aria-rowindex give every row its place in the whole list, not just in the DOM. One row is
// in the Tab order (roving tabindex), so Tab enters the list on the last row used and leaves it in
// one step. ArrowUp/ArrowDown move between rows, Home/End to the first/last, PageUp/PageDown by a
// screenful; Enter opens a monitor or opens/closes a group; ArrowRight opens a closed group, or
// moves into a monitor's row to its link and then its Check button; ArrowLeft goes back out,
// closes an open group, or goes from a monitor up to its group. The row in focus is always
// rendered, even when scrolled away, so focus is never lost to the windowing.

import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type FocusEvent,
  type KeyboardEvent,
  type MouseEvent,
} from 'react';
import { href, navigate } from '../../router';
import { GroupRow } from './GroupRow';
import type { Item } from './model';
import { MonitorRow, ROW_H } from './MonitorRow';
import type { StatsById } from './useStats';

const OVERSCAN = 6;
const COLUMNS = ['State', 'Monitor', 'Address', 'Service', 'Latency 24 h', 'Uptime 24 h', 'Last failure', 'Actions'];

interface Props {
  items: Item[];
  stats: StatsById;
  label: string;
  onToggle: (groupKey: string) => void;
}

const rowOf = (el: EventTarget | null): HTMLElement | null =>
  el instanceof HTMLElement ? el.closest<HTMLElement>('[data-index]') : null;

export function OverviewGrid({ items, stats, label, onToggle }: Props) {
  const body = useRef<HTMLDivElement>(null);
  const spacer = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const [active, setActive] = useState<{ key: string; index: number }>({ key: '', index: 0 });
  const wantFocus = useRef(false);
  const hasFocus = useRef(false);

  const found = items.findIndex((it) => it.key === active.key);
  const activeIndex = found >= 0 ? found : Math.min(active.index, items.length - 1);

  useEffect(() => {
    const el = body.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => entry && setViewport(entry.contentRect.height));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // For the measurements in test/e2e/overview.test.ts: when the first rows are on screen.
  useEffect(() => {
    performance.mark('overview:list');
    requestAnimationFrame(() => setTimeout(() => performance.mark('overview:painted')));
  }, []);

  // Focus follows the keyboard; and when the row in focus goes away (filtered out, its group
  // closed elsewhere), focus moves to the row now in its place instead of falling to the page.
  useLayoutEffect(() => {
    const el = body.current;
    if (!el) return;
    const lost = hasFocus.current && (document.activeElement === document.body || document.activeElement === null);
    if (!wantFocus.current && !lost) return;
    wantFocus.current = false;
    spacer.current?.querySelector<HTMLElement>(`[data-index="${activeIndex}"]`)?.focus({ preventScroll: true });
  }, [activeIndex, items]);

  const pageRows = Math.max(1, Math.floor(viewport / ROW_H) - 1);

  const moveTo = useCallback(
    (index: number) => {
      const el = body.current;
      const i = Math.max(0, Math.min(items.length - 1, index));
      const item = items[i];
      if (!el || !item) return;
      // The sticky column header covers the top of the scroll box: rows must clear it.
      const head = spacer.current?.offsetTop ?? 0;
      const top = i * ROW_H;
      let next = el.scrollTop;
      if (top < next) next = top;
      else if (head + top + ROW_H > next + el.clientHeight) next = head + top + ROW_H - el.clientHeight;
      if (next !== el.scrollTop) {
        el.scrollTop = next;
        setScrollTop(next);
      }
      // The row in focus is rendered already: focus it now. Any other is once it is rendered; a
      // request left pending would pull focus back here on some later update.
      if (i === activeIndex) spacer.current?.querySelector<HTMLElement>(`[data-index="${i}"]`)?.focus();
      else {
        wantFocus.current = true;
        setActive({ key: item.key, index: i });
      }
    },
    [items, activeIndex],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const row = rowOf(e.target);
    if (!row || e.altKey || e.metaKey) return;
    const i = Number(row.dataset.index);
    const item = items[i];
    if (!item) return;
    const onRow = e.target === row;
    const controls = [...row.querySelectorAll<HTMLElement>('a, button')];
    const at = controls.indexOf(e.target as HTMLElement);
    switch (e.key) {
      case 'ArrowDown':
        moveTo(i + 1);
        break;
      case 'ArrowUp':
        moveTo(i - 1);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(items.length - 1);
        break;
      case 'PageDown':
        moveTo(i + pageRows);
        break;
      case 'PageUp':
        moveTo(i - pageRows);
        break;
      case 'ArrowRight':
        if (item.kind === 'group') {
          if (!item.expanded) onToggle(item.key);
          else if (items[i + 1]?.kind === 'monitor') moveTo(i + 1);
        } else controls[onRow ? 0 : Math.min(at + 1, controls.length - 1)]?.focus();
        break;
      case 'ArrowLeft':
        if (item.kind === 'group') {
          if (item.expanded) onToggle(item.key);
        } else if (!onRow) (at > 0 ? controls[at - 1] : row)?.focus();
        else if (item.level === 2) {
          let g = i - 1;
          while (g > 0 && items[g]?.kind !== 'group') g--;
          moveTo(g);
        }
        break;
      case 'Enter':
        // On the link or the button, Enter does what it always does.
        if (!onRow) return;
        if (item.kind === 'group') onToggle(item.key);
        else navigate(href.monitor(item.id));
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const onFocus = (e: FocusEvent<HTMLDivElement>): void => {
    hasFocus.current = true;
    const row = rowOf(e.target);
    const i = Number(row?.dataset.index);
    const item = items[i];
    if (item && item.key !== active.key) setActive({ key: item.key, index: i });
  };

  const onBlur = (e: FocusEvent<HTMLDivElement>): void => {
    const left = e.target;
    // A row removed while focused blurs too; only focus moving elsewhere means the list was left.
    queueMicrotask(() => {
      if (left.isConnected) hasFocus.current = body.current?.contains(document.activeElement) ?? false;
    });
  };

  const onClick = (e: MouseEvent<HTMLDivElement>): void => {
    const row = rowOf(e.target);
    const item = items[Number(row?.dataset.index)];
    if (item?.kind === 'group') onToggle(item.key);
  };

  const first = Math.max(0, Math.floor(scrollTop / ROW_H) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((scrollTop + viewport) / ROW_H) + OVERSCAN);
  const shown = useMemo(() => {
    const list: number[] = [];
    if (activeIndex >= 0 && activeIndex < first) list.push(activeIndex);
    for (let i = first; i < last; i++) list.push(i);
    if (activeIndex >= last) list.push(activeIndex);
    return list;
  }, [first, last, activeIndex]);

  return (
    <div
      role="treegrid"
      className="ov-grid"
      aria-label={label}
      aria-describedby="ov-keys"
      aria-rowcount={items.length + 1}
      aria-colcount={COLUMNS.length}
    >
      {/* One scroll box for the header and the rows, so their columns line up whatever the scrollbars. */}
      <div
        ref={body}
        className="ov-body"
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        onKeyDown={onKeyDown}
        onFocus={onFocus}
        onBlur={onBlur}
        onClick={onClick}
      >
        <div role="rowgroup" className="ov-head">
          <div role="row" className="ov-row ov-head-row" aria-rowindex={1}>
            {COLUMNS.map((c) => (
              <div role="columnheader" key={c}>
                {c === 'Actions' ? <span className="visually-hidden">{c}</span> : c}
              </div>
            ))}
          </div>
        </div>
        <div role="rowgroup" ref={spacer} className="ov-spacer" style={{ height: items.length * ROW_H }}>
          {shown.map((i) => {
            const item = items[i]!;
            const isActive = i === activeIndex;
            return item.kind === 'group' ? (
              <GroupRow
                key={item.key}
                index={i}
                label={item.label}
                total={item.total}
                counts={item.counts}
                expanded={item.expanded}
                pos={item.pos}
                size={item.size}
                active={isActive}
                columns={COLUMNS.length}
              />
            ) : (
              <MonitorRow
                key={item.key}
                id={item.id}
                index={i}
                level={item.level}
                pos={item.pos}
                size={item.size}
                active={isActive}
                stats={stats[item.id]}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
