export function AlertsPage() {
  return (
    <section aria-labelledby="alerts-title">
      <h2 id="alerts-title">Alerts</h2>
    </section>
  );
}
