import { CATALOG, TIERS } from '../../shared/catalog';

/** First screen: the services Portwatch knows, until the overview arrives with the engine. */
export function App() {
  return (
    <main>
      <h1>Portwatch</h1>
      <p>Service presets: the ports most products depend on, with their default tier.</p>
      <table>
        <caption className="visually-hidden">Service presets</caption>
        <thead>
          <tr>
            <th scope="col">Service</th>
            <th scope="col">Ports</th>
            <th scope="col">Tier</th>
            <th scope="col">What breaks when it is gone</th>
          </tr>
        </thead>
        <tbody>
          {CATALOG.map((s) => (
            <tr key={s.id}>
              <td>{s.name}</td>
              <td>{s.ports.map((p) => p.port).join(', ')}</td>
              <td>
                {s.tier} ({TIERS[s.tier].label})
              </td>
              <td>{s.impact}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
