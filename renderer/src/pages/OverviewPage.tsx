import { StatusBadge } from '../components/StatusBadge';
import { href } from '../router';
import { useStore } from '../store';

export function OverviewPage() {
  const monitors = useStore((s) => s.monitors);
  const order = useStore((s) => s.order);
  return (
    <section aria-labelledby="overview-title">
      <h2 id="overview-title">Overview</h2>
      <p>
        <a href={href.newMonitor}>Add a monitor</a>
      </p>
      <ul>
        {order.map((id) => {
          const v = monitors[id];
          if (!v) return null;
          return (
            <li key={id}>
              <a href={href.monitor(id)}>{v.monitor.name}</a> <StatusBadge status={v.state?.status ?? 'unknown'} />
            </li>
          );
        })}
      </ul>
    </section>
  );
}
