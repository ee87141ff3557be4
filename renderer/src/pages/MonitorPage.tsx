export function MonitorPage({ id }: { id: string | undefined }) {
  return (
    <section aria-labelledby="monitor-title">
      <h2 id="monitor-title">Monitor</h2>
      <p>{id}</p>
    </section>
  );
}
