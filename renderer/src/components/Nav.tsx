import { href, type Route } from '../router';

const LINKS: { page: Route['page']; label: string; to: string }[] = [
  { page: 'overview', label: 'Overview', to: href.overview },
  { page: 'inventory', label: 'Inventory', to: href.inventory },
  { page: 'alerts', label: 'Alerts', to: href.alerts },
  { page: 'review', label: 'Weekly review', to: href.review },
  { page: 'settings', label: 'Settings', to: href.settings },
];

export function Nav({ current }: { current: Route['page'] }) {
  // A monitor's pages belong to the overview.
  const active = current === 'monitor' || current === 'edit' ? 'overview' : current;
  return (
    <nav aria-label="Pages" className="nav">
      <ul>
        {LINKS.map((l) => (
          <li key={l.page}>
            <a href={l.to} aria-current={active === l.page ? 'page' : undefined}>
              {l.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
